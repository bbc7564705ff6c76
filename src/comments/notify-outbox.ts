import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { enqueueJob } from '../jobs/job-queue.js'

/** The job that turns a change into emails (src/notifications/notify-job.ts). */
export const NOTIFY_JOB = 'notify'

/**
 * What happened to a comment that someone may want an email about: it was posted (`created`,
 * carrying what its author asked to be told), a moderator approved it, a reader reported it.
 */
export interface NotifyPayload {
  event: 'created' | 'approved' | 'reported'
  /** The author's own requests, from the form: replies on this thread, this comment's approval. */
  subscribe?: { thread: boolean; approval: boolean }
}

/** A new comment's notification job: its author's requests, where there is an address to write to. */
export function createdPayload(asked: { thread?: boolean; approval?: boolean } | undefined, hasEmail: boolean): NotifyPayload {
  const thread = hasEmail && asked?.thread === true
  const approval = hasEmail && asked?.approval === true
  return thread || approval ? { event: 'created', subscribe: { thread, approval } } : { event: 'created' }
}

/**
 * Queues the notification job of a change in the caller's transaction: emails go only about a
 * change that committed, and the request never waits for a mail server. New comments queue theirs
 * inside their own insert statement instead (insert-comment.ts), where no one could want it only
 * when no moderator and no subscriber asked.
 */
export async function queueNotify(db: Db, commentId: number, payload: NotifyPayload, now: Date): Promise<void> {
  await enqueueJob(db, { kind: NOTIFY_JOB, commentId, payload: { ...payload }, now, runAt: now })
}

/**
 * A comment a moderator or a filter sent to spam or the trash asked for nothing anyone confirmed:
 * the subscriptions it made that still wait for their confirmation go with it (one that its
 * address's owner confirmed stays theirs).
 */
export async function dropPendingSubscriptions(db: Db, commentId: number): Promise<void> {
  // Kept where the address has another live comment on the article: the request may be that one's
  // too (a subscription records only the first comment that asked), and it still waits for its owner.
  await db.execute(sql`
    delete from subscriptions s where s.comment_id = ${commentId}::int and s.confirmed_at is null
      and not exists (select 1 from comments c where c.article_id = s.article_id and c.email_hash = s.email_hash
        and c.id <> ${commentId}::int and c.status in ('pending', 'approved'))`)
}
