import { and, asc, eq, gt, inArray, or } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments, moderators } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ExportedArticle, ExportedComment } from './parley-json-format.js'

export type ArticleRow = typeof articles.$inferSelect

const commentColumns = {
  comment: comments,
  articleKey: articles.key,
  moderatorEmail: moderators.email,
  moderatorName: moderators.name,
}

type CommentJoin = {
  comment: typeof comments.$inferSelect
  articleKey: string
  moderatorEmail: string | null
  moderatorName: string | null
}

/** A comment as exports carry it: everything, the email decrypted (exports are for admins). `siteId`: this Parley's instance id. */
async function toExportedComment(secrets: Secrets, siteId: string, row: CommentJoin): Promise<ExportedComment & { articleId: number }> {
  const c = row.comment
  return {
    id: c.id,
    articleId: c.articleId,
    article: row.articleKey,
    parentId: c.parentId,
    status: c.status,
    author: {
      name: c.authorName,
      url: c.authorUrl,
      email: c.emailEncrypted ? await secrets.decryptEmail(c.emailEncrypted) : null,
      moderator: row.moderatorEmail === null ? null : { email: row.moderatorEmail, name: row.moderatorName ?? '' },
    },
    ip: c.ip,
    userAgent: c.userAgent,
    body: c.body,
    html: c.html,
    checks: c.checks,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    // Parley's own comments are named as such, by this Parley's id, so that importing the export
    // anywhere (twice, or back here) keeps one of each.
    source: c.source ?? 'parley',
    sourceSite: c.source === null ? siteId : c.sourceSite,
    sourceId: c.sourceId ?? String(c.id),
  }
}

export function toExportedArticle(a: ArticleRow): ExportedArticle {
  return { key: a.key, url: a.url, title: a.title, open: a.open, createdAt: a.createdAt.toISOString() }
}

/** Articles in id order, a page at a time (keyset: no OFFSET, no snapshot held between pages). */
export async function* articlePages(db: Db, size: number): AsyncGenerator<ArticleRow[]> {
  let after = 0
  for (;;) {
    const page = await db.select().from(articles).where(gt(articles.id, after)).orderBy(asc(articles.id)).limit(size)
    if (page.length > 0) yield page
    const last = page[page.length - 1]
    if (!last || page.length < size) return
    after = last.id
  }
}

/** Every comment in id order, a page at a time, emails decrypted. */
export async function* commentPages(
  db: Db,
  secrets: Secrets,
  siteId: string,
  size: number,
): AsyncGenerator<(ExportedComment & { articleId: number })[]> {
  let after = 0
  for (;;) {
    const rows = await db
      .select(commentColumns)
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .leftJoin(moderators, eq(moderators.id, comments.moderatorId))
      .where(gt(comments.id, after))
      .orderBy(asc(comments.id))
      .limit(size)
    if (rows.length > 0) yield await Promise.all(rows.map((row) => toExportedComment(secrets, siteId, row)))
    const last = rows[rows.length - 1]
    if (!last || rows.length < size) return
    after = last.comment.id
  }
}

/** The comments of some articles, ordered by article then id, a page at a time. */
export async function* commentsOfArticles(
  db: Db,
  secrets: Secrets,
  siteId: string,
  articleIds: number[],
  size: number,
): AsyncGenerator<(ExportedComment & { articleId: number })[]> {
  let after = { articleId: 0, id: 0 }
  for (;;) {
    const rows = await db
      .select(commentColumns)
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .leftJoin(moderators, eq(moderators.id, comments.moderatorId))
      .where(
        and(
          inArray(comments.articleId, articleIds),
          or(gt(comments.articleId, after.articleId), and(eq(comments.articleId, after.articleId), gt(comments.id, after.id))),
        ),
      )
      .orderBy(asc(comments.articleId), asc(comments.id))
      .limit(size)
    if (rows.length > 0) yield await Promise.all(rows.map((row) => toExportedComment(secrets, siteId, row)))
    const last = rows[rows.length - 1]
    if (!last || rows.length < size) return
    after = { articleId: last.comment.articleId, id: last.comment.id }
  }
}
