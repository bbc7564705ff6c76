import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { reports, type CommentStatus } from '../db/schema.js'
import { commentNotFound } from '../errors.js'
import { changeStatus, lockForChange } from '../comments/comment-status.js'
import { checkBody } from '../comments/submission-rules.js'
import { renderBody } from '../comments/render-body.js'
import type { CommentRow } from '../comments/comment-row.js'
import { logAction } from '../audit/audit-log.js'
import { recordEvent } from '../comments/event-outbox.js'
import { scheduleAkismetFeedback } from '../spam/akismet-feedback.js'
import { dropPendingSubscriptions, queueNotify } from '../comments/notify-outbox.js'
import type { ModerationContext } from './moderation-context.js'

/** Closes a comment's open reports (a moderator has looked at it) and says how many there were. */
async function resolveReports(db: Db, commentId: number, now: Date): Promise<number> {
  const closed = await db
    .update(reports)
    .set({ resolvedAt: now })
    .where(and(eq(reports.commentId, commentId), isNull(reports.resolvedAt)))
    .returning({ id: reports.id })
  return closed.length
}

/** Logs reports a moderator dismissed without changing the comment: it stays as it is. */
async function logKept(db: Db, ctx: ModerationContext, row: CommentRow, dismissed: number): Promise<void> {
  await logAction(db, {
    at: ctx.now,
    moderatorId: ctx.moderator.id,
    action: 'reports.dismiss',
    commentId: row.id,
    from: row.status,
    to: row.status,
    detail: { reports: dismissed },
  })
}

/**
 * Applies one moderator decision to a row already locked in this transaction, and logs it. The
 * comment's status unchanged but reports open, the decision keeps it: the reports are dismissed.
 */
async function applyStatus(db: Db, ctx: ModerationContext, row: CommentRow, to: CommentStatus): Promise<boolean> {
  const dismissed = await resolveReports(db, row.id, ctx.now)
  if (row.status === to) {
    if (dismissed > 0) await logKept(db, ctx, row, dismissed)
    return dismissed > 0
  }
  await changeStatus(db, row, to, ctx.now)
  await logAction(db, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'status', commentId: row.id, from: row.status, to })
  if (ctx.akismet && to === 'spam') await scheduleAkismetFeedback(db, row.id, 'spam', ctx.now)
  else if (ctx.akismet && row.status === 'spam' && to === 'approved') await scheduleAkismetFeedback(db, row.id, 'ham', ctx.now)
  if (ctx.notifications && to === 'approved') await queueNotify(db, row.id, { event: 'approved' }, ctx.now)
  if (to === 'spam' || to === 'trash') await dropPendingSubscriptions(db, row.id)
  return true
}

/** A moderator sets a comment's status and/or rewrites its text (the HTML is rendered again). */
export async function moderateComment(
  ctx: ModerationContext,
  id: number,
  change: { status?: CommentStatus; body?: string },
): Promise<void> {
  const body = change.body === undefined ? undefined : checkBody(change.body)
  await ctx.db.transaction(async (tx) => {
    const [row] = await lockForChange(tx, [id])
    if (!row) throw commentNotFound()
    // The edited row, so that a status change in the same request announces the new text.
    let current = row
    if (body !== undefined && body !== row.body) {
      current = { ...row, body, html: renderBody(body), editedAt: ctx.now }
      await changeStatus(tx, row, row.status, ctx.now, { body, html: current.html, editedAt: ctx.now })
      await recordEvent(tx, { type: 'comment.edited', at: ctx.now, comment: current, data: { by: 'moderator' } })
      await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'edit', commentId: id, from: row.status, to: row.status })
    }
    if (change.status !== undefined) await applyStatus(tx, ctx, current, change.status)
  })
}

/** A moderator keeps a reported comment as it is: its open reports are dismissed. Returns how many. */
export async function dismissReports(ctx: ModerationContext, id: number): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await lockForChange(tx, [id])
    if (!row) throw commentNotFound()
    const dismissed = await resolveReports(tx, row.id, ctx.now)
    if (dismissed > 0) await logKept(tx, ctx, row, dismissed)
    return dismissed
  })
}

export const BULK_MAX = 500

/**
 * One status for up to 500 comments in one transaction, locked in id order (so that overlapping
 * bulk actions queue instead of deadlocking); each change is its own log entry.
 */
export async function bulkModerate(ctx: ModerationContext, ids: number[], status: CommentStatus): Promise<number> {
  const unique = [...new Set(ids)].sort((a, b) => a - b)
  return ctx.db.transaction(async (tx) => {
    const rows = await lockForChange(tx, unique)
    let updated = 0
    for (const row of rows) if (await applyStatus(tx, ctx, row, status)) updated++
    return updated
  })
}
