import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm'
import { cleanText } from '../comments/clean-text.js'
import { articleKeyPattern } from '../articles/articles.js'
import type { Db } from '../db/database.js'
import { articles, comments, reports, type CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ThreadCursor } from '../comments/thread-query.js'
import { toModComments, type ModComment } from './comment-for-moderators.js'

export interface QueueFilter {
  status?: CommentStatus
  reported: boolean
  articleKey?: string
  q?: string
  cursor: ThreadCursor | null
  limit: number
  /** `oldest` first (the default: the longest waiting first) or `newest`. */
  order?: 'oldest' | 'newest'
}

export type QueueCounts = Record<CommentStatus | 'reported', number>

const openReport = sql`exists (select 1 from ${reports} where ${reports.commentId} = ${comments.id} and ${reports.resolvedAt} is null)`

/** A queue page, oldest first unless asked newest first: pending by default, or the reported queue (any status). */
export async function listQueue(
  db: Db,
  secrets: Secrets,
  filter: QueueFilter,
): Promise<{ comments: ModComment[]; next: ThreadCursor | null; counts: QueueCounts }> {
  const conditions: (SQL | undefined)[] = []
  const status = filter.status ?? (filter.reported ? undefined : 'pending')
  if (status) conditions.push(eq(comments.status, status))
  if (filter.reported) conditions.push(openReport)
  if (filter.articleKey !== undefined) {
    // A key no article can have (the dashboard's filter is free text) matches nothing; PostgreSQL would refuse one holding a NUL.
    conditions.push(
      articleKeyPattern.test(filter.articleKey)
        ? eq(comments.articleId, sql`(select ${articles.id} from ${articles} where ${articles.key} = ${filter.articleKey})`)
        : sql`false`,
    )
  }
  // Searched as bodies and names are stored: PostgreSQL refuses a NUL in text (a 500 before this
  // cleaning), and no stored text holds one or any other control character cleanText removes.
  const q = filter.q === undefined ? '' : cleanText(filter.q, { multiline: true })
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    conditions.push(or(ilike(comments.body, pattern), ilike(comments.authorName, pattern)))
  }
  const newest = filter.order === 'newest'
  if (filter.cursor) {
    conditions.push(
      sql`(${comments.createdAt}, ${comments.id}) ${sql.raw(newest ? '<' : '>')} (${new Date(filter.cursor.at).toISOString()}::timestamptz, ${filter.cursor.id}::int)`,
    )
  }
  const direction = newest ? desc : asc
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(comments)
      .where(and(...conditions))
      .orderBy(direction(comments.createdAt), direction(comments.id))
      .limit(filter.limit + 1),
    queueCounts(db),
  ])
  const page = rows.slice(0, filter.limit)
  const last = page[page.length - 1]
  return {
    comments: await toModComments(db, secrets, page),
    next: rows.length > filter.limit && last ? { at: last.createdAt.getTime(), id: last.id } : null,
    counts,
  }
}

/**
 * Exact counts in one statement, without reading every comment: approved ones are the sum of the
 * articles' counters (kept in the same transaction as every status change), and each queue is
 * counted from comments_queue_idx, so the cost follows the queues' sizes, not the table's (a
 * million approved comments made a GROUP BY over all of them about 200 ms). One statement: a
 * round trip fewer on each queue page, and PGlite answers one query at a time anyway.
 */
async function queueCounts(db: Db): Promise<QueueCounts> {
  const queued = (status: CommentStatus) => sql<number>`(select count(*) from ${comments} where ${comments.status} = ${status})::int`
  const [row] = await db
    .select({
      pending: queued('pending'),
      spam: queued('spam'),
      trash: queued('trash'),
      approved: sql<number>`coalesce(sum(${articles.commentCount}), 0)::int`,
      reported: sql<number>`(select count(distinct ${reports.commentId}) from ${reports} where ${reports.resolvedAt} is null)::int`,
    })
    .from(articles)
  return row ?? { pending: 0, approved: 0, spam: 0, trash: 0, reported: 0 }
}
