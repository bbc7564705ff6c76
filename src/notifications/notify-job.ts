import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments } from '../db/schema.js'
import type { CommentRow } from '../comments/comment-row.js'
import { NOTIFY_JOB, type NotifyPayload } from '../comments/notify-outbox.js'
import type { JobHandler } from '../jobs/run-jobs.js'
import type { MailConfig } from '../config.js'
import type { MailTransport } from '../mail/mail-transport.js'
import { queueApprovals, subscribeAuthor } from './subscriptions.js'
import type { DigestFrequency } from '../db/mail-schema.js'

/** What the notify job needs of the runtime (a part of `Deps`). */
export type NotifyServices = { db: Db; mail?: MailTransport; config: { mail?: MailConfig | null } }

function payloadOf(value: Record<string, unknown>): NotifyPayload | null {
  const event = value.event
  if (event !== 'created' && event !== 'approved' && event !== 'reported') return null
  const subscribe = value.subscribe as { thread?: unknown; approval?: unknown } | undefined
  return {
    event,
    ...(subscribe ? { subscribe: { thread: subscribe.thread === true, approval: subscribe.approval === true } } : {}),
  }
}

/** When a digest of this frequency that starts gathering at `now` goes out: the next full hour or UTC midnight. */
export function digestDue(frequency: Exclude<DigestFrequency, 'off'>, now: Date): Date {
  const next = new Date(now)
  if (frequency === 'hourly') next.setUTCMinutes(60, 0, 0)
  else next.setUTCHours(24, 0, 0, 0)
  return next
}

type ModeratorKind = 'held' | 'reported' | 'new'

/**
 * The most comments one reader email gathers: a busy thread's later comments are left to the
 * article's page (each one listed links there). Past it, nothing rewrites the queued row again: on a
 * breaking story with many followers, each new comment would otherwise rewrite every follower's row
 * with a longer list (measured: 888 MB of dead rows for 100 followers and 2,000 comments).
 */
const MAX_GATHERED = 25

/**
 * One email per moderator who asked for this kind of news, or the comment added to their queued
 * digest (one per moderator, gathering until it is due). Disabled moderators get nothing, and no
 * moderator hears of their own reply.
 */
async function queueForModerators(db: Db, comment: CommentRow, kind: ModeratorKind, now: Date): Promise<void> {
  const wants = kind === 'held' ? sql`(p.on_held or p.on_every)` : kind === 'reported' ? sql`p.on_reported` : sql`p.on_every`
  const iso = now.toISOString()
  await db.execute(sql`
    insert into mail_messages (kind, moderator_id, article_id, comment_ids, send_after, created_at)
    select case when p.digest = 'off' then ${kind} else 'digest' end, p.moderator_id,
      case when p.digest = 'off' then ${comment.articleId}::int else 0 end, array[${comment.id}::int],
      case p.digest when 'hourly' then ${digestDue('hourly', now).toISOString()}::timestamptz
        when 'daily' then ${digestDue('daily', now).toISOString()}::timestamptz else ${iso}::timestamptz end,
      ${iso}::timestamptz
    from notification_prefs p join moderators m on m.id = p.moderator_id
    where not m.disabled and ${wants} and p.moderator_id is distinct from ${comment.moderatorId}::int
    on conflict (moderator_id) where state = 'queued' and kind = 'digest'
    do update set comment_ids = case when ${comment.id}::int = any(mail_messages.comment_ids) then mail_messages.comment_ids
      else mail_messages.comment_ids || excluded.comment_ids end`)
}

/**
 * An approved comment, to every confirmed subscription on its article but its author's: added
 * to the email already queued for that address and article, or a new one, due no sooner than
 * `coalesceMinutes` after the last one sent (at most one email per thread per N minutes).
 */
async function queueForThread(db: Db, comment: CommentRow, coalesceMinutes: number, now: Date): Promise<void> {
  const iso = now.toISOString()
  await db.execute(sql`
    insert into mail_messages (kind, email_hash, article_id, comment_ids, send_after, created_at)
    select 'thread', s.email_hash, s.article_id, array[${comment.id}::int],
      greatest(${iso}::timestamptz, (select max(m.sent_at) from mail_messages m
        where m.email_hash = s.email_hash and m.article_id = s.article_id and m.kind = 'thread')
        + make_interval(mins => ${coalesceMinutes}::int)),
      ${iso}::timestamptz
    from subscriptions s join mail_addresses a on a.email_hash = s.email_hash
    where s.article_id = ${comment.articleId}::int and s.kind = 'thread' and s.confirmed_at is not null
      and a.bounced_at is null and a.opted_out_at is null
      and s.email_hash is distinct from ${comment.emailHash}::text
      -- Approved again after a moderator held it: they were told the first time.
      and not exists (select 1 from mail_messages m where m.email_hash = s.email_hash and m.article_id = s.article_id
        and m.kind = 'thread' and m.state in ('sending', 'sent') and ${comment.id}::int = any(m.comment_ids))
    on conflict (email_hash, kind, article_id) where state = 'queued' and email_hash is not null
    do update set comment_ids = mail_messages.comment_ids || excluded.comment_ids
      where not (${comment.id}::int = any(mail_messages.comment_ids)) and cardinality(mail_messages.comment_ids) < ${MAX_GATHERED}`)
}

/**
 * Turns a committed change into queued emails (mail_messages, sent by the mail sweep): new comments
 * to the moderators who asked and, once approved, to the thread's followers; the author's own
 * requests recorded (and their confirmation queued). Spam and trash reach no one: a comment a
 * filter caught subscribes no address and mails no reader. With notifications off (no transport),
 * the job is done at once.
 */
export const notifyJob: JobHandler<NotifyServices> = {
  kind: NOTIFY_JOB,
  async run(deps, job, now) {
    const mail = deps.config.mail
    if (!deps.mail || !mail || job.commentId === null) return { done: true }
    const payload = payloadOf(job.payload)
    const [comment] = await deps.db.select().from(comments).where(eq(comments.id, job.commentId))
    if (!payload || !comment || comment.status === 'spam' || comment.status === 'trash') return { done: true }
    await deps.db.transaction(async (tx) => {
      if (payload.event === 'reported') {
        if (comment.status === 'approved') await queueForModerators(tx, comment, 'reported', now)
        return
      }
      if (payload.event === 'created') {
        if (payload.subscribe) await subscribeAuthor(tx, comment, payload.subscribe, now)
        await queueForModerators(tx, comment, comment.status === 'pending' ? 'held' : 'new', now)
      }
      if (comment.status !== 'approved') return
      // Held, then approved before this job ran: the approval's own job tells the thread.
      if (payload.event === 'created' && comment.statusChangedAt.getTime() !== comment.createdAt.getTime()) return
      await queueForThread(tx, comment, mail.coalesceMinutes, now)
      if (payload.event === 'approved') await queueApprovals(tx, { commentId: comment.id }, now)
    })
    return { done: true }
  },
}
