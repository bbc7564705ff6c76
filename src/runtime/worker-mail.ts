import type { AppConfig } from '../config.js'
import type { Logger } from '../logger.js'
import type { MailTransport } from '../mail/mail-transport.js'
import { resendTransport } from '../mail/resend-transport.js'

/**
 * How long one send to the email API may take. A Cron Trigger's run sends a batch of notifications
 * in turn: an API that hangs costs at most this per message, and the message is tried again later.
 */
export const MAIL_API_TIMEOUT_MS = 10_000

// Per isolate, as the config it comes from: the warning about SMTP_URL is logged once, not per request.
const transports = new WeakMap<AppConfig, MailTransport | null>()

/**
 * The Worker's mail transport: Resend's API when PARLEY_MAIL_API_KEY is set (PARLEY_MAIL_API_URL,
 * PARLEY_MAIL_FROM). Workers cannot speak SMTP: SMTP_URL alone leaves notifications off (undefined,
 * and the dashboard says so), with a warning that names the setting to use instead.
 */
export function workerMailTransport(config: AppConfig, logger?: Pick<Logger, 'warn'>): MailTransport | undefined {
  const known = transports.get(config)
  if (known !== undefined) return known ?? undefined
  const mail = config.mail
  let transport: MailTransport | null = null
  if (mail?.api) {
    transport = resendTransport({ key: mail.api.key, url: mail.api.url, from: mail.from, timeoutMs: MAIL_API_TIMEOUT_MS })
  } else if (mail?.smtpUrl) {
    logger?.warn('SMTP_URL is set, but a Worker cannot speak SMTP: notifications are off. Set PARLEY_MAIL_API_KEY (Resend) instead')
  }
  transports.set(config, transport)
  return transport ?? undefined
}
