import { eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { comments, moderators, type CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { moderateComment } from '../moderation/moderate-comment.js'
import { confirmAddress, unsubscribe } from './subscriptions.js'
import { verifyLink, type MailAction, type MailLink } from './mail-links.js'

const statusOf: Record<MailAction, CommentStatus> = { approve: 'approved', spam: 'spam', trash: 'trash' }

type LinkServices = { db: Db; secrets: Secrets; akismet: boolean; notifications: boolean }

/** What an emailed link's confirm page shows, before anything is done. */
export type LinkPreview =
  | { ok: true; link: MailLink; comment?: { authorName: string; body: string; status: CommentStatus } }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'not_allowed' }

/** Reads a link for its confirm page (the GET a mail scanner may prefetch): checks it, changes nothing. */
export async function previewLink(deps: LinkServices, token: string, now: Date): Promise<LinkPreview> {
  const check = await verifyLink(deps.secrets, token, now)
  if (!check.ok) return check
  const link = check.link
  if (link.use !== 'act') return { ok: true, link }
  const [used] = await queryRows<{ nonce: string }>(deps.db, sql`select nonce from mail_link_uses where nonce = ${link.nonce}`)
  if (used) return { ok: false, reason: 'used' }
  const [moderator] = await deps.db.select({ disabled: moderators.disabled }).from(moderators).where(eq(moderators.id, link.moderatorId))
  if (!moderator || moderator.disabled) return { ok: false, reason: 'not_allowed' }
  const [row] = await deps.db
    .select({ authorName: comments.authorName, body: comments.body, status: comments.status })
    .from(comments)
    .where(eq(comments.id, link.commentId))
  return { ok: true, link, ...(row ? { comment: row } : {}) }
}

export type LinkOutcome =
  | { ok: true; link: MailLink; done: 'moderated' | 'confirmed' | 'unsubscribed'; started?: number }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'gone' | 'not_allowed' }

/**
 * Does what a link says, on its POST: a moderator's decision (once: the nonce is spent in the same
 * transaction, so a failed decision leaves the link usable; audit-logged as that moderator, who
 * must still be enabled), an address's confirmation, an unsubscription.
 */
export async function useLink(deps: LinkServices, token: string, now: Date, use: MailLink['use']): Promise<LinkOutcome> {
  const check = await verifyLink(deps.secrets, token, now)
  if (!check.ok) return check
  const link = check.link
  // A link of another kind where this one was expected is as invalid as a forged one.
  if (link.use !== use) return { ok: false, reason: 'invalid' }
  if (link.use === 'confirm') {
    const started = await confirmAddress(deps.db, link.emailHash, link.ids, now)
    return started === null ? { ok: false, reason: 'gone' } : { ok: true, link, done: 'confirmed', started }
  }
  if (link.use === 'unsubscribe') {
    await unsubscribe(deps.db, link.emailHash, link.articleId, now)
    return { ok: true, link, done: 'unsubscribed' }
  }
  return deps.db.transaction(async (tx): Promise<LinkOutcome> => {
    const spent = await queryRows<{ nonce: string }>(
      tx,
      sql`insert into mail_link_uses (nonce, used_at, expires_at)
        values (${link.nonce}, ${now.toISOString()}::timestamptz, ${new Date(link.expires).toISOString()}::timestamptz)
        on conflict (nonce) do nothing returning nonce`,
    )
    if (spent.length === 0) return { ok: false, reason: 'used' }
    const [moderator] = await tx.select().from(moderators).where(eq(moderators.id, link.moderatorId))
    if (!moderator || moderator.disabled) return { ok: false, reason: 'not_allowed' }
    const [exists] = await tx.select({ id: comments.id }).from(comments).where(eq(comments.id, link.commentId))
    if (!exists) return { ok: false, reason: 'gone' }
    await moderateComment(
      { db: tx, secrets: deps.secrets, moderator, now, akismet: deps.akismet, notifications: deps.notifications },
      link.commentId,
      { status: statusOf[link.action] },
    )
    return { ok: true, link, done: 'moderated' }
  })
}
