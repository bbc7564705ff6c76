import { MailSendError, type MailMessage, type MailTransport } from './mail-transport.js'
import { readAtMost } from '../net/read-at-most.js'

/**
 * Resend's error names (https://resend.com/docs/api-reference/errors) that are about Parley's own
 * account or setup, whatever status they come with: the API key, PARLEY_MAIL_FROM and its domain,
 * the key's access, the team's rate and quotas, an idempotency key Parley made badly. A fixed
 * setting or time mends them; no reader's address is to blame, so they are never permanent.
 */
const ABOUT_THE_ACCOUNT = new Set([
  'missing_api_key',
  'invalid_api_key',
  'restricted_api_key',
  'suspended_api_key',
  'invalid_from_address',
  'invalid_access',
  'invalid_region',
  'invalid_idempotency_key',
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
])

/**
 * Resend also answers `validation_error` for a key that is no key at all (400 or 401, "API key is
 * invalid") and for a malformed `from` (422, "Invalid `from` field"). Those would refuse every
 * message alike, so taking them as the recipient's answer would stop mail to every reader: the
 * message text is matched for them here, and otherwise never kept (it may quote the address).
 */
const NAMES_THE_ACCOUNT = /\bapi[ _-]?key\b|`from`|\bfrom field\b/i

/** An error body is a few hundred bytes; an answer that streams on is not read into memory. */
const ERROR_BODY_MAX_BYTES = 4096

/** Resend's error `name` is an identifier such as `validation_error`; anything else is not repeated. */
const IDENTIFIER = /^[a-z][a-z0-9_]{0,39}$/

/**
 * Permanent (the address will not take mail, so mail to it stops until confirmed again) only for
 * a 400 or 422 about the recipient or the message. Everything else is tried again, no address
 * blamed:
 * - 401 and 403 are about Parley's account. Resend's docs give 403 for `invalid_api_key`,
 *   `suspended_api_key`, `invalid_from_address`, a `from` domain not verified (or not the one
 *   verified), the test-mode rule "you can only send testing emails to your own email address"
 *   until a domain is verified, and a request without User-Agent. None says this address will
 *   never take mail; each would refuse every reader alike, so 403 is never permanent.
 * - 409 is an idempotency conflict: the same key still in progress (answered later), or reused
 *   with another payload (Resend forgets keys after 24 hours).
 * - 429 (rate or quota) and 5xx are Resend's own state; a 3xx (not followed: the key stays with
 *   the host it was meant for) or a 404 is a PARLEY_MAIL_API_URL that points elsewhere.
 */
function isPermanent(status: number, name: string | null, message: string): boolean {
  if (status !== 400 && status !== 422) return false
  if (name !== null && ABOUT_THE_ACCOUNT.has(name)) return false
  return !NAMES_THE_ACCOUNT.test(message)
}

/** Resend's error body (`{ statusCode, name, message }`), as far as it is one. */
function errorFields(text: string): { name: string | null; message: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { name: null, message: '' }
  }
  if (typeof body !== 'object' || body === null) return { name: null, message: '' }
  const { name, message } = body as { name?: unknown; message?: unknown }
  return {
    name: typeof name === 'string' && IDENTIFIER.test(name) ? name : null,
    message: typeof message === 'string' ? message : '',
  }
}

/** A refusal: its status and Resend's error name only, never the body's text (it may quote the address). */
async function refusal(res: Response): Promise<MailSendError> {
  const { name, message } = errorFields(await readAtMost(res, ERROR_BODY_MAX_BYTES).catch(() => ''))
  const what = name ? `HTTP ${res.status} ${name}` : `HTTP ${res.status}`
  return new MailSendError(`the email API did not take the message (${what})`, {
    permanent: isPermanent(res.status, name, message),
    code: res.status,
  })
}

/** No answer: the connection failed or the time ran out. Temporary, and no address in sight. */
function noAnswer(error: unknown, timeoutMs: number): MailSendError {
  // A DOMException (TimeoutError) is not an Error on every runtime: its name is read as it is.
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined
  const what = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : 'could not connect'
  return new MailSendError(`the email API did not take the message (${what})`, { permanent: false })
}

export interface ResendOptions {
  /** PARLEY_MAIL_API_KEY. */
  key: string
  /** PARLEY_MAIL_API_URL: Resend's send-email endpoint, or a stand-in's. */
  url: string
  /** PARLEY_MAIL_FROM, e.g. `Comments <comments@example.com>`: its domain must be verified at Resend. */
  from: string
  /** How long one send may take, answer included, before it counts as a temporary failure. */
  timeoutMs: number
  /** The fetch to send with (the runtime's own by default). */
  fetch?: typeof fetch
}

/**
 * Resend's send-email API (https://resend.com/docs/api-reference/emails/send-email): one JSON POST
 * per message. Plain fetch and Web APIs only, so the same code runs on Node and on Workers, where
 * SMTP cannot be spoken.
 */
export function resendTransport(options: ResendOptions): MailTransport {
  const url = new URL(options.url)
  // Called as a plain function: workerd refuses its fetch called as a method of another object.
  const send = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args))
  const post = async (message: MailMessage): Promise<Response> => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.key}`,
      'Content-Type': 'application/json',
      // Resend refuses a request without one (403); Workers' fetch sends none of its own.
      'User-Agent': 'Parley/1',
    }
    if (message.id !== undefined) headers['Idempotency-Key'] = message.id
    const body = {
      from: options.from,
      to: [message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      ...(message.headers ? { headers: message.headers } : {}),
    }
    return send(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      // A redirect is not followed: the key goes to the configured host and nowhere else.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  }
  return {
    describe: `${url.protocol}//${url.host}`,
    async send(message) {
      let res: Response
      try {
        res = await post(message)
      } catch (error) {
        throw noAnswer(error, options.timeoutMs)
      }
      if (res.status >= 200 && res.status < 300) {
        // The answer's id is not kept: taken is all Parley needs to know.
        await res.body?.cancel().catch(() => undefined)
        return
      }
      throw await refusal(res)
    },
  }
}
