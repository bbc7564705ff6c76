import type { Secrets } from '../crypto/secrets.js'
import { fromBase64Url, toBase64Url, utf8, utf8Decoder } from '../crypto/encoding.js'
import { constantTimeEqual, newToken } from '../crypto/tokens.js'

export type MailAction = 'approve' | 'spam' | 'trash'
export const MAIL_ACTIONS: readonly MailAction[] = ['approve', 'spam', 'trash']

/**
 * What an emailed link may do, signed so that only Parley makes one:
 * - `act`: one moderator's one-click decision on one comment; single-use (its nonce is spent) and
 *   expiring, since a forwarded email must not keep the power to moderate;
 * - `confirm`: an address's double opt-in of the subscriptions it lists by id (the email names
 *   them; any other, perhaps a stranger's, waits for a confirmation of its own), or with none, the
 *   lifting of a "stop all"; expiring;
 * - `unsubscribe`: stop one thread's emails (`articleId`) or all of them (null); never expires, as
 *   RFC 8058 wants a List-Unsubscribe link to work for as long as the mail is kept.
 */
export type MailLink =
  | { use: 'act'; moderatorId: number; commentId: number; action: MailAction; expires: number; nonce: string }
  | { use: 'confirm'; emailHash: string; expires: number; ids: number[] }
  | { use: 'unsubscribe'; emailHash: string; articleId: number | null }

/** The most subscriptions one confirmation lists (and its link carries). */
export const MAX_CONFIRMED = 20

/** How long a moderation or confirmation link works. */
export const LINK_LIFETIME_MS = 7 * 86_400_000

/** A fresh nonce for an `act` link. */
export const linkNonce = (): string => newToken().slice(0, 22)

/** `payload.signature`: the link's fields as base64url JSON, and their HMAC under the mail-link key. */
export async function signLink(secrets: Secrets, link: MailLink): Promise<string> {
  const payload = toBase64Url(utf8.encode(JSON.stringify(link)))
  return `${payload}.${await secrets.mailLinkMac(payload)}`
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0
const isHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)

function linkOf(value: unknown): MailLink | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (v.use === 'act') {
    const action = MAIL_ACTIONS.find((a) => a === v.action)
    if (!isInt(v.moderatorId) || !isInt(v.commentId) || !action || !isInt(v.expires) || typeof v.nonce !== 'string') return null
    return { use: 'act', moderatorId: v.moderatorId, commentId: v.commentId, action, expires: v.expires, nonce: v.nonce }
  }
  if (v.use === 'confirm') {
    const ids = Array.isArray(v.ids) && v.ids.length <= MAX_CONFIRMED && v.ids.every(isInt) ? v.ids : null
    return isHash(v.emailHash) && isInt(v.expires) && ids ? { use: 'confirm', emailHash: v.emailHash, expires: v.expires, ids } : null
  }
  if (v.use === 'unsubscribe' && isHash(v.emailHash) && (v.articleId === null || isInt(v.articleId))) {
    return { use: 'unsubscribe', emailHash: v.emailHash, articleId: v.articleId }
  }
  return null
}

export type LinkCheck = { ok: true; link: MailLink } | { ok: false; reason: 'invalid' | 'expired' }

/**
 * The link a token stands for, if Parley signed it and it has not expired at `now`. The signature is
 * compared in constant time before anything of the payload is read.
 */
export async function verifyLink(secrets: Secrets, token: string, now: Date): Promise<LinkCheck> {
  const [payload, mac, extra] = token.split('.')
  if (!payload || !mac || extra !== undefined || payload.length > 2000) return { ok: false, reason: 'invalid' }
  if (!constantTimeEqual(await secrets.mailLinkMac(payload), mac)) return { ok: false, reason: 'invalid' }
  let link: MailLink | null
  try {
    link = linkOf(JSON.parse(utf8Decoder.decode(fromBase64Url(payload))))
  } catch {
    link = null
  }
  if (!link) return { ok: false, reason: 'invalid' }
  if (link.use !== 'unsubscribe' && now.getTime() > link.expires) return { ok: false, reason: 'expired' }
  return { ok: true, link }
}
