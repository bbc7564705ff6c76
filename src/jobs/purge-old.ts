import { and, inArray, isNotNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments } from '../db/schema.js'
import type { Settings } from '../settings/settings-schema.js'

const DAY_MS = 86_400_000

/**
 * Deletes spam and trash older than `purgeAfterDays` (replies of a purged comment were never
 * published under it: moderators could only reply to approved comments), and forgets the IP and
 * user agent of comments older than `ipRetentionDays`.
 */
export async function purgeOld(db: Db, settings: Settings, now: Date): Promise<{ purged: number; forgotten: number }> {
  let purged = 0
  if (settings.purgeAfterDays > 0) {
    const before = new Date(now.getTime() - settings.purgeAfterDays * DAY_MS)
    const rows = await db
      .delete(comments)
      .where(and(inArray(comments.status, ['spam', 'trash']), lt(comments.createdAt, before), sql`not exists (select 1 from ${comments} c where c.parent_id = ${comments.id})`))
      .returning({ id: comments.id })
    purged = rows.length
  }
  let forgotten = 0
  if (settings.ipRetentionDays > 0) {
    const before = new Date(now.getTime() - settings.ipRetentionDays * DAY_MS)
    const rows = await db
      .update(comments)
      .set({ ip: null, userAgent: null })
      .where(and(lt(comments.createdAt, before), isNotNull(comments.ip)))
      .returning({ id: comments.id })
    forgotten = rows.length
  }
  return { purged, forgotten }
}
