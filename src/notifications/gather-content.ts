import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments, moderationLog, moderators, reports } from '../db/schema.js'
import { mailAddresses, subscriptions, type MailKind } from '../db/mail-schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { CommentRow } from '../comments/comment-row.js'
import { ANONYMOUS } from '../comments/public-views.js'
import { LINK_LIFETIME_MS, MAIL_ACTIONS, MAX_CONFIRMED, linkNonce, signLink, type MailAction } from './mail-links.js'
import type { MailArticle, MailComment, MailContent, ModeratedComment } from './mail-content.js'

/** Who an email goes to (in plaintext only here, on its way out) and what it says. */
export interface Recipient {
  address: string
  content: MailContent
}

type Services = { db: Db; secrets: Secrets }

async function articleOf(db: Db, id: number): Promise<MailArticle | null> {
  const [row] = await db.select({ key: articles.key, title: articles.title, url: articles.url }).from(articles).where(eq(articles.id, id))
  return row ?? null
}

function mailComment(row: CommentRow, article: MailArticle | null): MailComment {
  return {
    id: row.id,
    authorName: row.authorName || ANONYMOUS,
    html: row.html,
    body: row.body,
    createdAt: row.createdAt,
    link: article?.url ? `${article.url.split('#')[0] ?? ''}#comment-${row.id}` : null,
  }
}

export const linkUrl = (base: string, path: string, token: string): string => `${base}${path}?t=${encodeURIComponent(token)}`

/**
 * A reader's email: only to an address that is confirmed and has not bounced (its confirmation
 * aside), only about comments still approved and not the reader's own.
 */
export async function contentForReader(
  deps: Services,
  message: { kind: MailKind; emailHash: string; articleId: number; commentIds: number[] },
  base: string,
  now: Date,
): Promise<Recipient | null> {
  const [address] = await deps.db.select().from(mailAddresses).where(eq(mailAddresses.emailHash, message.emailHash))
  if (!address) return null
  const unsubscribeAll = linkUrl(
    base,
    '/mail/unsubscribe',
    await signLink(deps.secrets, { use: 'unsubscribe', emailHash: address.emailHash, articleId: null }),
  )
  if (address.optedOutAt) return null
  if (message.kind === 'confirm') {
    // What the click will confirm: the subscriptions waiting now, each named (a stranger's among them shows).
    const waiting = await deps.db
      .select({ id: subscriptions.id, kind: subscriptions.kind, key: articles.key, title: articles.title, url: articles.url })
      .from(subscriptions)
      .innerJoin(articles, eq(articles.id, subscriptions.articleId))
      .where(and(eq(subscriptions.emailHash, address.emailHash), isNull(subscriptions.confirmedAt)))
      .orderBy(asc(subscriptions.id))
      .limit(MAX_CONFIRMED)
    if (waiting.length === 0) return null
    const token = await signLink(deps.secrets, {
      use: 'confirm',
      emailHash: address.emailHash,
      expires: now.getTime() + LINK_LIFETIME_MS,
      ids: waiting.map((w) => w.id),
    })
    return {
      address: await deps.secrets.decryptEmail(address.emailSealed),
      content: {
        kind: 'confirm',
        confirmUrl: linkUrl(base, '/mail/confirm', token),
        unsubscribeAll,
        asked: waiting.map((w) => ({ kind: w.kind, article: { key: w.key, title: w.title, url: w.url } })),
      },
    }
  }
  if (address.bouncedAt) return null
  if (message.kind !== 'thread' && message.kind !== 'approved') return null
  const article = await articleOf(deps.db, message.articleId)
  if (!article || message.commentIds.length === 0) return null
  const rows = await deps.db
    .select()
    .from(comments)
    .where(and(inArray(comments.id, message.commentIds), eq(comments.status, 'approved')))
    .orderBy(asc(comments.id))
  const shown = rows.filter((row) => message.kind === 'approved' || row.emailHash !== address.emailHash)
  if (shown.length === 0) return null
  const unsubscribeThread = linkUrl(
    base,
    '/mail/unsubscribe',
    await signLink(deps.secrets, { use: 'unsubscribe', emailHash: address.emailHash, articleId: message.articleId }),
  )
  return {
    address: await deps.secrets.decryptEmail(address.emailSealed),
    content: { kind: message.kind, article, comments: shown.map((row) => mailComment(row, article)), unsubscribeThread, unsubscribeAll },
  }
}

/** Whether a moderator's email about this comment still has a point: a held comment someone already decided on has none. */
function stillRelevant(kind: MailKind, row: CommentRow): boolean {
  if (kind === 'held') return row.status === 'pending'
  if (kind === 'reported') return row.status === 'approved'
  return row.status !== 'trash'
}

async function moderated(deps: Services, row: CommentRow, moderatorId: number, base: string, now: Date): Promise<ModeratedComment> {
  const article = (await articleOf(deps.db, row.articleId)) ?? { key: '', title: null, url: null }
  const open = await deps.db
    .select({ reason: reports.reason, note: reports.note })
    .from(reports)
    .where(and(eq(reports.commentId, row.id), isNull(reports.resolvedAt)))
  const actions = {} as Record<MailAction, string>
  for (const action of MAIL_ACTIONS) {
    const token = await signLink(deps.secrets, {
      use: 'act',
      moderatorId,
      commentId: row.id,
      action,
      expires: now.getTime() + LINK_LIFETIME_MS,
      nonce: linkNonce(),
    })
    actions[action] = linkUrl(base, '/mail/act', token)
  }
  return {
    ...mailComment(row, article),
    status: row.status,
    article,
    authorEmail: row.emailEncrypted ? await deps.secrets.decryptEmail(row.emailEncrypted) : null,
    authorUrl: row.authorUrl,
    checks: row.checks,
    reports: open,
    actions,
    details: `${base}/admin/comments/${row.id}`,
  }
}

/** A moderator's email (one comment, or a digest of several): to an enabled moderator, about comments still worth a look. */
export async function contentForModerator(
  deps: Services,
  message: { kind: MailKind; moderatorId: number; commentIds: number[] },
  base: string,
  now: Date,
): Promise<Recipient | null> {
  const [moderator] = await deps.db.select().from(moderators).where(eq(moderators.id, message.moderatorId))
  if (!moderator || moderator.disabled || message.commentIds.length === 0) return null
  const rows = await deps.db
    .select()
    .from(comments)
    .where(inArray(comments.id, [...new Set(message.commentIds)]))
    .orderBy(asc(comments.id))
  const prefsUrl = `${base}/admin/notifications`
  if (message.kind === 'digest') {
    // Still worth a look: held, reported, or published without a moderator (for "every comment");
    // a published comment a moderator has decided on (the log says so) is left out.
    const ids = rows.map((row) => row.id)
    const reported = new Set(
      (
        await deps.db
          .select({ id: reports.commentId })
          .from(reports)
          .where(and(inArray(reports.commentId, ids), isNull(reports.resolvedAt)))
      ).map((r) => r.id),
    )
    const decided = new Set(
      (
        await deps.db
          .select({ id: moderationLog.commentId })
          .from(moderationLog)
          .where(and(inArray(moderationLog.commentId, ids), inArray(moderationLog.action, ['status', 'reports.dismiss'])))
      ).map((r) => r.id),
    )
    const live = rows.filter(
      (row) => row.status === 'pending' || (row.status === 'approved' && (reported.has(row.id) || !decided.has(row.id))),
    )
    if (live.length === 0) return null
    const items = await Promise.all(live.map((row) => moderated(deps, row, moderator.id, base, now)))
    return { address: moderator.email, content: { kind: 'digest', comments: items, prefsUrl, queueUrl: `${base}/admin` } }
  }
  if (message.kind !== 'held' && message.kind !== 'reported' && message.kind !== 'new') return null
  const [row] = rows
  if (!row || !stillRelevant(message.kind, row)) return null
  return {
    address: moderator.email,
    content: { kind: message.kind, comment: await moderated(deps, row, moderator.id, base, now), prefsUrl },
  }
}
