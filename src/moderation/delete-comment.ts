import { eq, sql } from 'drizzle-orm'
import { comments } from '../db/schema.js'
import { bumpArticle } from '../articles/articles.js'
import { lockForChange, refreshShown } from '../comments/comment-status.js'
import { pathIds, SEGMENT_LENGTH } from '../comments/comment-path.js'
import { logAction } from '../audit/audit-log.js'
import { recordEvent } from '../comments/event-outbox.js'
import { commentNotFound } from '../errors.js'
import { instanceId } from '../sources/instance-id.js'
import { rememberRemoved } from '../sources/removed-sources.js'
import type { ModerationContext } from './moderation-context.js'

/**
 * Deletes a comment for good. Its replies move up to its parent (a top-level comment's replies
 * become threads of their own): their paths lose its segment, their depth drops by one. Where it
 * came from is remembered, so that no import brings it back.
 */
export async function deleteComment(ctx: ModerationContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await lockForChange(tx, [id])
    if (!row) throw commentNotFound()
    const cut = row.path.length
    await tx.execute(sql`
      update comments set
        path = substr(path, 1, ${cut - SEGMENT_LENGTH}) || substr(path, ${cut + 1}),
        depth = depth - 1,
        parent_id = case when parent_id = ${row.id} then ${row.parentId}::int else parent_id end,
        root_id = ${row.parentId === null ? sql`('x' || substr(path, ${cut + 13}, 8))::bit(32)::int` : sql`root_id`}
      where root_id = ${row.rootId} and path > ${row.path} and path < ${`${row.path}~`}`)
    await tx.execute(
      rememberRemoved(
        sql`(select id, source, source_site, source_id, created_at from comments where id = ${id})`,
        await instanceId(tx),
        ctx.now,
      ),
    )
    await tx.delete(comments).where(eq(comments.id, id))
    await refreshShown(tx, pathIds(row.path).slice(0, -1))
    if (row.shown || row.status === 'approved') await bumpArticle(tx, row.articleId, row.status === 'approved' ? -1 : 0)
    await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'delete', commentId: id, from: row.status, to: null })
    await recordEvent(tx, { type: 'comment.deleted', at: ctx.now, comment: row })
  })
}
