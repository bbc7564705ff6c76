import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { mailAddresses, subscriptions } from '../db/mail-schema.js'
import type { CommentRow } from '../comments/comment-row.js'

/** At most one confirmation email a day per address, however many comments ask for one (unless its owner clicked the last). */
const CONFIRMATION_EVERY_MS = 86_400_000

/**
 * Queues a confirmation for an address with subscriptions waiting, unless it opted out of all
 * email, or one went out in the last day that its owner has not clicked yet: a stranger who types
 * someone's address into comments makes Parley write to it at most once a day, and never after
 * its owner said "stop all".
 */
export async function queueConfirmation(db: Db, emailHash: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - CONFIRMATION_EVERY_MS).toISOString()
  const iso = now.toISOString()
  // `confirmation_sent_at` is set when one is sent (the sweep): one queued and then dropped (its
  // request went to spam meanwhile) holds back no later one.
  await db.execute(sql`
    insert into mail_messages (kind, email_hash, article_id, comment_ids, send_after, created_at)
    select 'confirm', a.email_hash, 0, '{}', ${iso}::timestamptz, ${iso}::timestamptz from mail_addresses a
    where a.email_hash = ${emailHash} and a.opted_out_at is null
      and (a.confirmation_sent_at is null or a.confirmation_sent_at <= ${since}::timestamptz
        or (a.confirmed_at is not null and a.confirmed_at >= a.confirmation_sent_at))
      and exists (select 1 from subscriptions s where s.email_hash = ${emailHash} and s.confirmed_at is null)
      and not exists (select 1 from mail_messages m where m.email_hash = ${emailHash} and m.kind = 'confirm' and m.state = 'sending')
    on conflict (email_hash, kind, article_id) where state = 'queued' and email_hash is not null do nothing`)
}

/**
 * Records what a comment's author asked for (replies on the thread; this held comment's approval)
 * under their address, sealed as the comment keeps it. Every new subscription waits for its
 * owner's confirmation, however often the address confirmed before: the address in a comment is
 * only what its writer typed.
 */
export async function subscribeAuthor(
  db: Db,
  comment: CommentRow,
  wants: { thread: boolean; approval: boolean },
  now: Date,
): Promise<void> {
  const { emailHash, emailEncrypted } = comment
  if (!emailHash || !emailEncrypted) return
  // Held when posted (still, or approved since): there is an approval to tell of.
  const approval = wants.approval && (comment.status === 'pending' || comment.statusChangedAt.getTime() !== comment.createdAt.getTime())
  if (!wants.thread && !approval) return
  // The address as this comment gives it: the latest sealing is the one emails go to.
  await db
    .insert(mailAddresses)
    .values({ emailHash, emailSealed: emailEncrypted, createdAt: now })
    .onConflictDoUpdate({ target: mailAddresses.emailHash, set: { emailSealed: emailEncrypted } })
  if (wants.thread) {
    await db
      .insert(subscriptions)
      .values({ emailHash, articleId: comment.articleId, kind: 'thread', commentId: comment.id, createdAt: now })
      .onConflictDoNothing({ target: [subscriptions.articleId, subscriptions.emailHash], where: sql`kind = 'thread'` })
  }
  if (approval) {
    await db
      .insert(subscriptions)
      .values({ emailHash, articleId: comment.articleId, kind: 'approval', commentId: comment.id, createdAt: now })
      .onConflictDoNothing({ target: [subscriptions.commentId, subscriptions.emailHash], where: sql`kind = 'approval'` })
  }
  await queueConfirmation(db, emailHash, now)
}

/**
 * Tells the authors who asked (and confirmed) that their comment is approved, once: their approval
 * subscriptions are spent. `commentId`: one comment's (a moderator approved it); otherwise every
 * confirmed approval of this address whose comment is already approved (it was confirmed late).
 */
export async function queueApprovals(db: Db, scope: { commentId: number } | { emailHash: string }, now: Date): Promise<void> {
  const iso = now.toISOString()
  const which = 'commentId' in scope ? sql`s.comment_id = ${scope.commentId}::int` : sql`s.email_hash = ${scope.emailHash}`
  await db.execute(sql`
    with spent as (
      delete from subscriptions s using comments c
      where s.kind = 'approval' and ${which} and s.confirmed_at is not null and c.id = s.comment_id and c.status = 'approved'
      returning s.email_hash, s.article_id, s.comment_id
    )
    insert into mail_messages (kind, email_hash, article_id, comment_ids, send_after, created_at)
    select 'approved', s.email_hash, s.article_id, array[s.comment_id], ${iso}::timestamptz, ${iso}::timestamptz
    from spent s join mail_addresses a on a.email_hash = s.email_hash
    where a.bounced_at is null and a.opted_out_at is null
    on conflict (email_hash, kind, article_id) where state = 'queued' and email_hash is not null
    do update set comment_ids = mail_messages.comment_ids || excluded.comment_ids`)
}

/**
 * The address's owner clicked a confirmation: the subscriptions it listed (`ids`; none for the
 * "allow emails again" of a stop-all page) start, and the address may be written to again. Only a
 * confirmation that started something counts as the owner's answer (the bounce is cleared, the next
 * confirmation may go at once): lifting a stop-all proves nothing of the inbox, as its link is in
 * every email, forwarded ones too. Approvals already given are told, and subscriptions waiting
 * beyond those listed get a confirmation of their own. Says how many started; null: no such
 * address (erased).
 */
export async function confirmAddress(db: Db, emailHash: string, ids: number[], now: Date): Promise<number | null> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(mailAddresses)
      .set({ optedOutAt: null })
      .where(eq(mailAddresses.emailHash, emailHash))
      .returning({ emailHash: mailAddresses.emailHash })
    if (rows.length === 0) return null
    const started =
      ids.length === 0
        ? []
        : await tx
            .update(subscriptions)
            .set({ confirmedAt: now })
            .where(and(eq(subscriptions.emailHash, emailHash), isNull(subscriptions.confirmedAt), inArray(subscriptions.id, ids)))
            .returning({ id: subscriptions.id })
    if (started.length > 0) {
      await tx.update(mailAddresses).set({ confirmedAt: now, bouncedAt: null }).where(eq(mailAddresses.emailHash, emailHash))
      await queueApprovals(tx, { emailHash }, now)
    }
    await queueConfirmation(tx, emailHash, now)
    return started.length
  })
}

/**
 * Stops one article's emails to an address (`articleId`), or all of them (null: every subscription
 * goes, the queued emails with them, and the address is marked opted out: not even a confirmation
 * is sent to it until its owner asks from an email's page). Says how many subscriptions ended.
 */
export async function unsubscribe(db: Db, emailHash: string, articleId: number | null, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    if (articleId === null) await tx.update(mailAddresses).set({ optedOutAt: now }).where(eq(mailAddresses.emailHash, emailHash))
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
  optedOutAt: string | null
  subscriptions: { kind: 'thread' | 'approval'; articleKey: string; commentId: number | null; since: string; confirmedAt: string | null }[]
}

export async function subscriptionsOf(db: Db, emailHash: string): Promise<SubscriptionRecord | null> {
  const [address] = await db.select().from(mailAddresses).where(eq(mailAddresses.emailHash, emailHash))
  if (!address) return null
  const list = await queryRows<{
    kind: 'thread' | 'approval'
    key: string
    comment_id: number | null
    created_at: string | Date
    confirmed_at: string | Date | null
  }>(
    db,
    sql`select s.kind, a.key, s.comment_id, s.created_at, s.confirmed_at from subscriptions s join articles a on a.id = s.article_id
    where s.email_hash = ${emailHash} order by s.id`,
  )
  return {
    confirmedAt: address.confirmedAt?.toISOString() ?? null,
    bouncedAt: address.bouncedAt?.toISOString() ?? null,
    optedOutAt: address.optedOutAt?.toISOString() ?? null,
    subscriptions: list.map((r) => ({
      kind: r.kind,
      articleKey: r.key,
      commentId: r.comment_id,
      since: new Date(r.created_at).toISOString(),
      confirmedAt: r.confirmed_at === null ? null : new Date(r.confirmed_at).toISOString(),
    })),
  }
}

/** Erase: the address, its subscriptions and its queued and past emails are gone (cascades). */
export async function forgetAddress(db: Db, emailHash: string): Promise<boolean> {
  const gone = await db.delete(mailAddresses).where(eq(mailAddresses.emailHash, emailHash)).returning({ h: mailAddresses.emailHash })
  return gone.length > 0
}
