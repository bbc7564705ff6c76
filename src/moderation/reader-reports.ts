import { rateLimitNetwork } from '../net/ip-networks.js'
import { and, count, eq, gt, isNull, min } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, reports } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { AppError, validationError, commentNotFound } from '../errors.js'
import { cleanText } from '../comments/clean-text.js'
import { recordEvent } from '../comments/event-outbox.js'
import { queueNotify } from '../comments/notify-outbox.js'

export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const
export type ReportReason = (typeof REPORT_REASONS)[number]

/** The longest note a reader may add, in UTF-16 code units (what the schema's maxLength counts). */
export const REPORT_NOTE_MAX = 2000

const WINDOW_MS = 3_600_000
const REPORTS_PER_WINDOW = 10

/**
 * A reader flags a published comment for the moderators' reported queue. Ten reports an hour
 * per IP; the same reader flagging the same comment again changes nothing.
 */
export async function reportComment(
  ctx: { db: Db; secrets: Secrets; now: Date; ip: string | null; notifications?: boolean },
  commentId: number,
  reason: ReportReason,
  rawNote: string | undefined,
): Promise<{ created: boolean }> {
  const [comment] = await ctx.db.select().from(comments).where(eq(comments.id, commentId))
  if (!comment || comment.status !== 'approved') throw commentNotFound()
  const reporterKey = await ctx.secrets.rateKey(`report:${ctx.ip === null ? 'unknown' : rateLimitNetwork(ctx.ip)}`)
  const since = new Date(ctx.now.getTime() - WINDOW_MS)
  const [recent] = await ctx.db
    .select({ count: count(), oldest: min(reports.createdAt) })
    .from(reports)
    .where(and(eq(reports.reporterKey, reporterKey), gt(reports.createdAt, since)))
  if (recent && recent.count >= REPORTS_PER_WINDOW) {
    const oldest = recent.oldest ? new Date(recent.oldest).getTime() : ctx.now.getTime()
    const wait = Math.max(1, Math.ceil((oldest + WINDOW_MS - ctx.now.getTime()) / 1000))
    throw new AppError('too_fast', 'You have reported many comments in a short time; please wait.', { retryAfter: wait })
  }
  const [already] = await ctx.db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.commentId, commentId), eq(reports.reporterKey, reporterKey), isNull(reports.resolvedAt)))
  if (already) return { created: false }
  const note = rawNote === undefined ? null : cleanText(rawNote, { multiline: true }).trim() || null
  // Refused, never cut: the route's schema already refuses a longer note, this keeps the rule whole.
  if (note !== null && note.length > REPORT_NOTE_MAX) {
    throw validationError([{ field: 'note', code: 'too_long', message: `note must be at most ${REPORT_NOTE_MAX} characters.` }])
  }
  await ctx.db.transaction(async (tx) => {
    // Moderators are emailed about a comment's first open report only: more readers (or one with
    // many networks) flagging it add to the queue's count, not to their inboxes.
    const [open] = await tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.commentId, commentId), isNull(reports.resolvedAt)))
      .limit(1)
    const [report] = await tx
      .insert(reports)
      .values({ commentId, reason, note, reporterKey, createdAt: ctx.now })
      .returning({ id: reports.id })
    await recordEvent(tx, { type: 'comment.reported', at: ctx.now, comment, data: { report: { id: report?.id ?? null, reason, note } } })
    if (ctx.notifications && !open) await queueNotify(tx, commentId, { event: 'reported' }, ctx.now)
  })
  return { created: true }
}
