import { and, isNotNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { comments, floodMarks } from '../db/schema.js'
import { voteLimits } from '../db/desk-schema.js'
import { MAX_FLOOD_SECONDS, type Settings } from '../settings/settings-schema.js'
import { instanceId } from '../sources/instance-id.js'
import { rememberRemoved } from '../sources/removed-sources.js'

const DAY_MS = 86_400_000

/**
 * Deletes what has been spam or trash for `purgeAfterDays` (counted from the status change, so a
 * moderator who trashes an old comment can still restore it; replies of a purged comment were
 * never published under it: moderators could only reply to approved comments), remembering
 * where each came from so that no import brings it back, and forgets IPs and user agents held
 * for `ipRetentionDays` (counted from when Parley received them). Flood marks too old to decide
 * anything go as well.
 */
export async function purgeOld(db: Db, settings: Settings, now: Date): Promise<{ purged: number; forgotten: number }> {
  let purged = 0
  if (settings.purgeAfterDays > 0) {
    const before = new Date(now.getTime() - settings.purgeAfterDays * DAY_MS)
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`
      with gone as (
        delete from comments c
        where c.status in ('spam', 'trash') and c.status_changed_at < ${before.toISOString()}::timestamptz
          and not exists (select 1 from comments r where r.parent_id = c.id)
        returning c.id, c.source, c.source_site, c.source_id, c.created_at
      ),
      remembered as (${rememberRemoved(sql`gone`, await instanceId(db), now)})
      select count(*)::int as n from gone`,
    )
    purged = row?.n ?? 0
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
  // No flood wait is longer than MAX_FLOOD_SECONDS: older marks decide nothing, and every submission adds up to three.
  await db.delete(floodMarks).where(lt(floodMarks.lastAt, new Date(now.getTime() - MAX_FLOOD_SECONDS * 1000)))
  // A network's vote count matters for its minute only.
  await db.delete(voteLimits).where(lt(voteLimits.startedAt, new Date(now.getTime() - 60_000)))
  return { purged, forgotten }
}
