import { and, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { mailAddresses, subscriptions } from '../db/mail-schema.js'
import type { CommentRow } from '../comments/comment-row.js'

/** At most one confirmation email a day per address, however many comments ask for one. */
const CONFIRMATION_EVERY_MS = 86_400_000

/**
 * Records what a comment's author asked for (replies on the thread; this held comment's approval)
 * under their address, sealed as the comment keeps it, and queues the address's confirmation when
 * it has none yet (or has bounced since): nothing else is sent to it before it is confirmed.
 */
export async function subscribeAuthor(
  db: Db,
  comment: CommentRow,
  wants: { thread: boolean; approval: boolean },
  now: Date,
): Promise<void> {
  const { emailHash, emailEncrypted } = comment
  if (!emailHash || !emailEncrypted) return
  const approval = wants.approval && comment.status === 'pending'
  if (!wants.thread && !approval) return
  await db.insert(mailAddresses).values({ emailHash, emailSealed: emailEncrypted, createdAt: now }).onConflictDoNothing()
  if (wants.thread) {
    await db
      .insert(subscriptions)
      .values({ emailHash, articleId: comment.articleId, kind: 'thread', createdAt: now })
      .onConflictDoNothing({ target: [subscriptions.articleId, subscriptions.emailHash], where: sql`kind = 'thread'` })
  }
  if (approval) {
    await db
      .insert(subscriptions)
      .values({ emailHash, articleId: comment.articleId, kind: 'approval', commentId: comment.id, createdAt: now })
      .onConflictDoNothing({ target: [subscriptions.commentId, subscriptions.emailHash], where: sql`kind = 'approval'` })
  }
  const since = new Date(now.getTime() - CONFIRMATION_EVERY_MS).toISOString()
  const iso = now.toISOString()
  // The address as this comment gives it: the latest sealing is the one a confirmation goes to.
  await db.execute(sql`
    with due as (
      update mail_addresses set confirmation_sent_at = ${iso}::timestamptz, email_sealed = ${emailEncrypted}
      where email_hash = ${emailHash} and (confirmed_at is null or bounced_at is not null)
        and (confirmation_sent_at is null or confirmation_sent_at <= ${since}::timestamptz)
      returning email_hash
    )
    insert into mail_messages (kind, email_hash, article_id, comment_ids, send_after, created_at)
    select 'confirm', email_hash, 0, '{}', ${iso}::timestamptz, ${iso}::timestamptz from due
    on conflict (email_hash, kind, article_id) where state = 'queued' and email_hash is not null do nothing`)
}

/** The address clicked its confirmation: mail may go to it (again, after a bounce). False: no such address. */
export async function confirmAddress(db: Db, emailHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(mailAddresses)
    .set({ confirmedAt: now, bouncedAt: null })
    .where(eq(mailAddresses.emailHash, emailHash))
    .returning({ emailHash: mailAddresses.emailHash })
  return rows.length > 0
}

/**
 * Stops one article's emails to an address (`articleId`), or all of them (null: every subscription
 * goes, and the queued emails with them). Says how many subscriptions ended.
 */
export async function unsubscribe(db: Db, emailHash: string, articleId: number | null): Promise<number> {
  return db.transaction(async (tx) => {
    const scope = articleId === null ? sql`true` : sql`article_id = ${articleId}::int`
    await tx.execute(sql`delete from mail_messages where email_hash = ${emailHash} and state = 'queued' and ${scope}`)
    const ended = await tx
      .delete(subscriptions)
      .where(and(eq(subscriptions.emailHash, emailHash), articleId === null ? undefined : eq(subscriptions.articleId, articleId)))
      .returning({ id: subscriptions.id })
    return ended.length
  })
}

/** A privacy request's view of an address's email: whether it is confirmed, and what it follows. */
export interface SubscriptionRecord {
  confirmedAt: string | null
  bouncedAt: string | null
  subscriptions: { kind: 'thread' | 'approval'; articleKey: string; commentId: number | null; since: string }[]
}

export async function subscriptionsOf(db: Db, emailHash: string): Promise<SubscriptionRecord | null> {
  const [address] = await db.select().from(mailAddresses).where(eq(mailAddresses.emailHash, emailHash))
  if (!address) return null
  const list = await queryRows<{ kind: 'thread' | 'approval'; key: string; comment_id: number | null; created_at: string | Date }>(
    db,
    sql`select s.kind, a.key, s.comment_id, s.created_at from subscriptions s join articles a on a.id = s.article_id
    where s.email_hash = ${emailHash} order by s.id`,
  )
  return {
    confirmedAt: address.confirmedAt?.toISOString() ?? null,
    bouncedAt: address.bouncedAt?.toISOString() ?? null,
    subscriptions: list.map((r) => ({
      kind: r.kind,
      articleKey: r.key,
      commentId: r.comment_id,
      since: new Date(r.created_at).toISOString(),
    })),
  }
}

/** Erase: the address, its subscriptions and its queued and past emails are gone (cascades). */
export async function forgetAddress(db: Db, emailHash: string): Promise<boolean> {
  const gone = await db.delete(mailAddresses).where(eq(mailAddresses.emailHash, emailHash)).returning({ h: mailAddresses.emailHash })
  return gone.length > 0
}
