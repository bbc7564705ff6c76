import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments, type CommentStatus } from '../db/schema.js'
import { bumpArticle } from '../articles/articles.js'
import { pathIds } from './comment-path.js'
import type { CommentRow } from './comment-row.js'
import { recordEvent } from './event-outbox.js'

/**
 * Recomputes `shown` for the given comments: approved, or the ancestor of an approved comment.
 * Called for a changed comment and its ancestors, the only ones whose `shown` it can change.
 */
export async function refreshShown(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .update(comments)
    .set({
      shown: sql`${comments.status} = 'approved' or exists (
        select 1 from ${comments} d
        where d.root_id = ${comments.rootId} and d.status = 'approved'
          and d.path > ${comments.path} and d.path < ${comments.path} || '~')`,
    })
    .where(inArray(comments.id, ids))
}

/**
 * Moves a comment to another status inside the caller's transaction, keeping the article's
 * approved count, the placeholders of its ancestors and the thread's version in step. A real
 * change of status also queues the `comment.status_changed` webhook event, in that same
 * transaction: every status change passes here, so none goes unannounced.
 */
export async function changeStatus(
  db: Db,
  comment: CommentRow,
  to: CommentStatus,
  at: Date,
  extra: Partial<typeof comments.$inferInsert> = {},
): Promise<void> {
  // Spam and trash are purged by how long they have been spam or trash, not by the comment's age.
  const statusChangedAt = comment.status === to ? {} : { statusChangedAt: at }
  await db
    .update(comments)
    .set({ ...extra, ...statusChangedAt, status: to })
    .where(eq(comments.id, comment.id))
  if (comment.status !== to) {
    await recordEvent(db, {
      type: 'comment.status_changed',
      at,
      comment: { ...comment, ...extra, status: to },
      data: { from: comment.status, to },
    })
  }
  if (comment.status === to && !('html' in extra)) return
  await refreshShown(db, pathIds(comment.path))
  const delta = (to === 'approved' ? 1 : 0) - (comment.status === 'approved' ? 1 : 0)
  if (comment.shown || to === 'approved' || delta !== 0) await bumpArticle(db, comment.articleId, delta)
}

/**
 * Locks comments for a change, their articles first: every change takes article locks before
 * comment locks, both in id order, so concurrent changes queue and never deadlock (a change
 * also updates its article's counters and its ancestors' placeholders).
 */
export async function lockForChange(db: Db, ids: number[]): Promise<(typeof comments.$inferSelect)[]> {
  if (ids.length === 0) return []
  const owners = await db.selectDistinct({ articleId: comments.articleId }).from(comments).where(inArray(comments.id, ids))
  if (owners.length > 0) {
    await db
      .select({ id: articles.id })
      .from(articles)
      .where(
        inArray(
          articles.id,
          owners.map((o) => o.articleId),
        ),
      )
      .orderBy(asc(articles.id))
      .for('update')
  }
  return db.select().from(comments).where(inArray(comments.id, ids)).orderBy(asc(comments.id)).for('update')
}
