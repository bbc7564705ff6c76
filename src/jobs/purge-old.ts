import { and, inArray, isNotNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments } from '../db/schema.js'
import type { Settings } from '../settings/settings-schema.js'

const DAY_MS = 86_400_000

/**
 * Deletes what has been spam or trash for `purgeAfterDays` (counted from the status change, so a
 * moderator who trashes an old comment can still restore it; replies of a purged comment were
 * never published under it: moderators could only reply to approved comments), and forgets IPs
 * and user agents held for `ipRetentionDays` (counted from when Parley received them).
 */
export async function purgeOld(db: Db, settings: Settings, now: Date): Promise<{ purged: number; forgotten: number }> {
  let purged = 0
  if (settings.purgeAfterDays > 0) {
    const before = new Date(now.getTime() - settings.purgeAfterDays * DAY_MS)
    const rows = await db
      .delete(comments)
      .where(and(
        inArray(comments.status, ['spam', 'trash']),
        lt(comments.statusChangedAt, before),
        sql`not exists (select 1 from ${comments} c where c.parent_id = ${comments.id})`,
      ))
      .returning({ id: comments.id })
    purged = rows.length
  }
  let forgotten = 0
  if (settings.ipRetentionDays > 0) {
    const before = new Date(now.getTime() - settings.ipRetentionDays * DAY_MS)
    const rows = await db
      .update(comments)
      .set({ ip: null, userAgent: null, ipCollectedAt: null })
      .where(and(isNotNull(comments.ipCollectedAt), lt(comments.ipCollectedAt, before)))
      .returning({ id: comments.id })
    forgotten = rows.length
  }
  return { purged, forgotten }
}
