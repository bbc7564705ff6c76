/**
 * One email as Parley sends it: plain text and HTML alternatives, and the headers a notification
 * needs beside the usual ones (RFC 8058's List-Unsubscribe and List-Unsubscribe-Post, say).
 * Addresses are in plaintext only here, on their way out: never stored or logged so.
 */
export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
  headers?: Record<string, string>
  /**
   * A stable id of this message (the same on every attempt to send it, e.g. `notification-42`), at
   * most 256 characters. An email API that supports it is told so (Resend's Idempotency-Key, kept 24
   * hours): when an answer is lost after the message was taken, the retry is not sent twice.
   * SMTP has no such thing and ignores it.
   */
  id?: string
}

/**
 * How messages leave: SMTP on Node (src/runtime/node-mail.ts), an email API's JSON POST where
 * SMTP cannot be spoken (Workers). `from` is the transport's own (PARLEY_MAIL_FROM).
 */
export interface MailTransport {
  /** What the dashboard names as the way mail goes out: `smtp://host:port`, never credentials. */
  describe: string
  /** Resolves once the receiving server took the message; throws MailSendError otherwise. */
  send(message: MailMessage): Promise<void>
}

/**
 * A refused or failed send. `permanent`: the receiving side said the address will never take it
 * (an SMTP 5xx reply, an email API's 4xx about the recipient): mail to that address stops until it
 * is confirmed again. Otherwise (4xx, no connection, a timeout) the message is tried again later.
 */
export class MailSendError extends Error {
  readonly permanent: boolean
  /** The SMTP reply code or HTTP status, where there was one. */
  readonly code: number | null

  constructor(message: string, options: { permanent: boolean; code?: number | null; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MailSendError'
    this.permanent = options.permanent
    this.code = options.code ?? null
  }
}
