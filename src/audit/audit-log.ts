import { desc, eq, lt } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { moderationLog, moderators } from '../db/schema.js'

export interface LogEntryInput {
  at: Date
  /** Null for a comment's author or the system. */
  moderatorId: number | null
  action: string
  commentId?: number | null
  from?: string | null
  to?: string | null
  detail?: Record<string, unknown>
}

/** Records one change, in the caller's transaction: the log and the change commit together. */
export async function logAction(db: Db, entry: LogEntryInput): Promise<void> {
  await db.insert(moderationLog).values({
    at: entry.at,
    moderatorId: entry.moderatorId,
    action: entry.action,
    commentId: entry.commentId ?? null,
    from: entry.from ?? null,
    to: entry.to ?? null,
    detail: entry.detail ?? null,
  })
}

export interface LogEntry {
  id: number
  at: string
  moderator: { id: number; name: string } | null
  action: string
  commentId: number | null
  from: string | null
  to: string | null
  detail: Record<string, unknown> | null
}

/** Newest first; the cursor is the last id seen. */
export async function listLog(db: Db, before: number | null, limit: number): Promise<{ entries: LogEntry[]; next: number | null }> {
  const rows = await db
    .select({ entry: moderationLog, moderatorName: moderators.name })
    .from(moderationLog)
    .leftJoin(moderators, eq(moderators.id, moderationLog.moderatorId))
    .where(before === null ? undefined : lt(moderationLog.id, before))
    .orderBy(desc(moderationLog.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  return {
    entries: page.map(({ entry, moderatorName }) => ({
      id: entry.id,
      at: entry.at.toISOString(),
      moderator: entry.moderatorId === null ? null : { id: entry.moderatorId, name: moderatorName ?? '' },
      action: entry.action,
      commentId: entry.commentId,
      from: entry.from,
      to: entry.to,
      detail: entry.detail,
    })),
    next: rows.length > limit ? (page[page.length - 1]?.entry.id ?? null) : null,
  }
}
