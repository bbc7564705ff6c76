import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, reports, type CommentStatus } from '../db/schema.js'
import { commentNotFound, validationError } from '../errors.js'
import { bumpArticle } from '../articles/articles.js'
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

/** One audit entry of this moderator's action on a comment, from its status to `to` (its own status when unchanged). */
function logOn(
  db: Db,
  ctx: ModerationContext,
  row: CommentRow,
  action: string,
  to: CommentStatus = row.status,
  detail?: Record<string, unknown>,
) {
  return logAction(db, {
    at: ctx.now,
    moderatorId: ctx.moderator.id,
    action,
    commentId: row.id,
    from: row.status,
    to,
    ...(detail ? { detail } : {}),
  })
}

/** Logs reports a moderator dismissed without changing the comment: it stays as it is. */
async function logKept(db: Db, ctx: ModerationContext, row: CommentRow, dismissed: number): Promise<void> {
  await logOn(db, ctx, row, 'reports.dismiss', row.status, { reports: dismissed })
}

/** One comment's status as a moderator's action changed it: what an Undo puts back. */
export interface StatusChange {
  id: number
  from: CommentStatus
  to: CommentStatus
  /** When it was made (ISO): the comment's `statusChangedAt` while no one has changed its status since. */
  at: string
}

/**
 * Applies one moderator decision to a row already locked in this transaction, and logs it. The
 * comment's status unchanged but reports open, the decision keeps it: the reports are dismissed.
 * An Undo (`undo`) only moves the status back, logged as such; the reports stay as they are.
 */
async function applyStatus(db: Db, ctx: ModerationContext, row: CommentRow, to: CommentStatus, undo = false): Promise<boolean> {
  const dismissed = undo ? 0 : await resolveReports(db, row.id, ctx.now)
  if (row.status === to) {
    if (dismissed > 0) await logKept(db, ctx, row, dismissed)
    return dismissed > 0
  }
  await changeStatus(db, row, to, ctx.now)
  await logOn(db, ctx, row, undo ? 'undo' : 'status', to)
  if (ctx.akismet && to === 'spam') await scheduleAkismetFeedback(db, row.id, 'spam', ctx.now)
  else if (ctx.akismet && row.status === 'spam' && to === 'approved') await scheduleAkismetFeedback(db, row.id, 'ham', ctx.now)
  if (ctx.notifications && to === 'approved') await queueNotify(db, row.id, { event: 'approved' }, ctx.now)
  if (to === 'spam' || to === 'trash') await dropPendingSubscriptions(db, row.id)
  return true
}

/**
 * Makes a comment an editor's pick, or no longer one: readers see a badge and find it under
 * `order=featured`. Only an approved comment can be picked; one that later leaves the approved
 * status keeps its pick, shown again if it is approved again (an Undo restores exactly what was).
 */
async function applyFeatured(db: Db, ctx: ModerationContext, row: CommentRow, featured: boolean): Promise<CommentRow> {
  if (featured === (row.featuredAt !== null)) return row
  if (featured && row.status !== 'approved') {
    throw validationError([{ field: 'featured', code: 'invalid_value', message: 'Only an approved comment can be featured.' }])
  }
  const featuredAt = featured ? ctx.now : null
  await db.update(comments).set({ featuredAt }).where(eq(comments.id, row.id))
  if (row.status === 'approved') await bumpArticle(db, row.articleId, 0)
  const changed = { ...row, featuredAt }
  await recordEvent(db, { type: featured ? 'comment.featured' : 'comment.unfeatured', at: ctx.now, comment: changed })
  await logOn(db, ctx, row, featured ? 'feature' : 'unfeature')
  return changed
}

/**
 * A moderator sets a comment's status, rewrites its text (the HTML is rendered again) and/or
 * features it. Answers the status change made, if any (for an Undo).
 */
export async function moderateComment(
  ctx: ModerationContext,
  id: number,
  change: { status?: CommentStatus; body?: string; featured?: boolean },
): Promise<StatusChange[]> {
  const body = change.body === undefined ? undefined : checkBody(change.body)
  return ctx.db.transaction(async (tx) => {
    const [row] = await lockForChange(tx, [id])
    if (!row) throw commentNotFound()
    // The edited row, so that a status change in the same request announces the new text.
    let current = row
    if (body !== undefined && body !== row.body) {
      current = { ...row, body, html: renderBody(body), editedAt: ctx.now }
      await changeStatus(tx, row, row.status, ctx.now, { body, html: current.html, editedAt: ctx.now })
      await recordEvent(tx, { type: 'comment.edited', at: ctx.now, comment: current, data: { by: 'moderator' } })
      await logOn(tx, ctx, row, 'edit')
    }
    // Unfeatured before a status change, featured after one: "approve and feature" in one request works.
    if (change.featured === false) current = await applyFeatured(tx, ctx, current, false)
    const from = current.status
    if (change.status !== undefined) await applyStatus(tx, ctx, current, change.status)
    if (change.featured === true) await applyFeatured(tx, ctx, { ...current, status: change.status ?? current.status }, true)
    return change.status === undefined || change.status === from ? [] : [{ id, from, to: change.status, at: ctx.now.toISOString() }]
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
export async function bulkModerate(
  ctx: ModerationContext,
  ids: number[],
  status: CommentStatus,
): Promise<{ updated: number; changed: StatusChange[] }> {
  const unique = [...new Set(ids)].sort((a, b) => a - b)
  return ctx.db.transaction(async (tx) => {
    const rows = await lockForChange(tx, unique)
    let updated = 0
    const changed: StatusChange[] = []
    for (const row of rows) {
      if (await applyStatus(tx, ctx, row, status)) updated++
      if (row.status !== status) changed.push({ id: row.id, from: row.status, to: status, at: ctx.now.toISOString() })
    }
    return { updated, changed }
  })
}

/**
 * Undoes status changes (what moderateComment and bulkModerate answered): each comment whose status
 * is still the one the change gave it, and took it then (its `statusChangedAt` is the change's `at`),
 * goes back to the one it had, logged `undo`. One changed since by anyone, even back to the same
 * status, is left alone: an Undo never overwrites a later decision. Answers how many went back.
 */
export async function undoStatusChanges(ctx: ModerationContext, changes: StatusChange[]): Promise<number> {
  const wanted = new Map(changes.map((change) => [change.id, change]))
  return ctx.db.transaction(async (tx) => {
    const rows = await lockForChange(
      tx,
      [...wanted.keys()].sort((a, b) => a - b),
    )
    let reverted = 0
    for (const row of rows) {
      const change = wanted.get(row.id)
      const untouched = change !== undefined && row.status === change.to && row.statusChangedAt.getTime() === Date.parse(change.at)
      if (change && untouched && change.from !== change.to && (await applyStatus(tx, ctx, row, change.from, true))) reverted++
    }
    return reverted
  })
}
