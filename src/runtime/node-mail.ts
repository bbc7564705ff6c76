import nodemailer from 'nodemailer'
import { MailSendError, type MailTransport } from '../mail/mail-transport.js'

/** What nodemailer's errors carry beside the message (SMTPConnection's error fields). */
interface SmtpFailure {
  code?: string
  responseCode?: number
  command?: string
}

/** Replies about this recipient or this message: a 5xx there is the address's answer, not the relay's. */
const ABOUT_THE_RECIPIENT = /^(RCPT TO|DATA)/

/**
 * A 5xx to RCPT TO or DATA is permanent (RFC 5321 §4.2.1): the address will not take mail. A 5xx
 * anywhere else (AUTH, MAIL FROM) is about Parley's own account or sender, which a fixed setting
 * mends: tried again, and no address is blamed. Everything else (4xx, no connection, a timeout)
 * is temporary.
 */
function sendError(error: unknown): MailSendError {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {}
  const code = typeof failure.responseCode === 'number' ? failure.responseCode : null
  const permanent = code !== null && code >= 500 && code < 600 && ABOUT_THE_RECIPIENT.test(failure.command ?? '')
  // The reply's text may quote the address: only its code and the failing command are kept.
  const what = code !== null ? `SMTP ${code} to ${failure.command ?? 'a command'}` : `SMTP ${failure.code ?? 'error'}`
  return new MailSendError(`the mail server did not take the message (${what})`, { permanent, code })
}

/** `smtp://host:port` of an SMTP_URL: the dashboard may show it; user, password and options stay out. */
export function describeSmtpUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`
}

/**
 * SMTP through nodemailer. SMTP_URL is read here into nodemailer's options: `smtp://user:pass@host:587`
 * upgrades with STARTTLS when the server offers it (`?requireTLS=true` insists), `smtps://…:465` is
 * TLS from the start; user and password percent-encoded. PARLEY_MAIL_FROM is the sender. A pool of
 * at most two connections per process, reused across messages: a thread with thousands of
 * subscribers is not a connection per email.
 */
export function nodeSmtpTransport(options: { url: string; from: string; timeoutMs?: number }): MailTransport & { close(): void } {
  const url = new URL(options.url)
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://')
  const timeout = options.timeoutMs ?? 30_000
  const secure = url.protocol === 'smtps:'
  const user = decodeURIComponent(url.username)
  const transport = nodemailer.createTransport(
    {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      requireTLS: url.searchParams.get('requireTLS') === 'true',
      ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
      pool: true,
      maxConnections: 2,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    },
    { from: options.from },
  )
  return {
    describe: describeSmtpUrl(options.url),
    async send(message) {
      try {
        await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(message.headers ? { headers: message.headers } : {}),
        })
      } catch (error) {
        throw sendError(error)
      }
    },
    close: () => transport.close(),
  }
}
