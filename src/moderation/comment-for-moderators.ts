import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments, reports, type CheckResult, type CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { toPublicComment, type PublicComment } from '../comments/public-views.js'
import type { CommentRow } from '../comments/comment-row.js'

/** The moderators' view of a comment (API.md, ModComment): everything, decrypted. */
export interface ModComment extends PublicComment {
  status: CommentStatus
  /** The text as written, which `html` renders: what a quick edit starts from. */
  body: string
  email: string | null
  ip: string | null
  userAgent: string | null
  article: { key: string; url: string | null; title: string | null }
  checks: CheckResult[]
  reports: { id: number; reason: string; note: string | null; createdAt: string }[]
}

/** Shapes comment rows for moderators: their articles and open reports in two queries, emails decrypted. */
export async function toModComments(db: Db, secrets: Secrets, rows: CommentRow[]): Promise<ModComment[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const articleIds = [...new Set(rows.map((row) => row.articleId))]
  const [articleRows, reportRows] = await Promise.all([
    db
      .select({ id: articles.id, key: articles.key, url: articles.url, title: articles.title })
      .from(articles)
      .where(inArray(articles.id, articleIds)),
    db
      .select()
      .from(reports)
      .where(and(inArray(reports.commentId, ids), isNull(reports.resolvedAt)))
      .orderBy(reports.id),
  ])
  const articleById = new Map(articleRows.map((a) => [a.id, a]))
  return Promise.all(
    rows.map(async (row) => {
      const article = articleById.get(row.articleId)
      return {
        ...toPublicComment(row),
        status: row.status,
        body: row.body,
        email: row.emailEncrypted ? await secrets.decryptEmail(row.emailEncrypted) : null,
        ip: row.ip,
        userAgent: row.userAgent,
        article: { key: article?.key ?? '', url: article?.url ?? null, title: article?.title ?? null },
        checks: row.checks,
        reports: reportRows
          .filter((report) => report.commentId === row.id)
          .map((report) => ({ id: report.id, reason: report.reason, note: report.note, createdAt: report.createdAt.toISOString() })),
      }
    }),
  )
}

export async function findModComment(db: Db, secrets: Secrets, id: number): Promise<ModComment | undefined> {
  const rows = await db.select().from(comments).where(eq(comments.id, id))
  const [shaped] = await toModComments(db, secrets, rows)
  return shaped
}
