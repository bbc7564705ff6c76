import { and, asc, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments } from '../db/schema.js'
import { checkArticleUrl, type ArticleUrlOrigins } from '../articles/article-url.js'
import { cleanText } from '../comments/clean-text.js'
import type { Article } from '../articles/articles.js'
import { logAction } from '../audit/audit-log.js'
import type { ModerationContext } from './moderation-context.js'
import type { CommentPolicy } from '../settings/comment-policy.js'

export interface ArticleChange {
  url?: string | null
  title?: string | null
  open?: boolean
  /** Who may comment here; null: the site's `commentPolicy`. */
  commentPolicy?: CommentPolicy | null
  /** `hold`: every comment here waits for a moderator; null: the site's rules. */
  moderation?: 'hold' | null
}

function cleanChange(change: ArticleChange, origins: ArticleUrlOrigins): ArticleChange {
  const out: ArticleChange = {}
  if (change.url !== undefined)
    out.url = change.url === null || change.url.trim() === '' ? null : checkArticleUrl(change.url, 'url', origins)
  if (change.title !== undefined)
    out.title = change.title === null ? null : cleanText(change.title, { multiline: false }).trim().slice(0, 500) || null
  if (change.open !== undefined) out.open = change.open
  if (change.commentPolicy !== undefined) out.commentPolicy = change.commentPolicy
  if (change.moderation !== undefined) out.moderation = change.moderation
  return out
}

/**
 * Registers an article (created: true) or changes its URL, title or open state; readers see it at
 * once. A URL must be on `origins` (article-url.ts; null: any).
 */
export async function putArticle(
  ctx: ModerationContext,
  key: string,
  change: ArticleChange,
  origins: ArticleUrlOrigins,
): Promise<{ article: Article; created: boolean }> {
  const clean = cleanChange(change, origins)
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(articles)
      .values({
        key,
        url: clean.url ?? null,
        title: clean.title ?? null,
        open: clean.open ?? true,
        commentPolicy: clean.commentPolicy ?? null,
        moderation: clean.moderation ?? null,
        createdAt: ctx.now,
      })
      .onConflictDoNothing({ target: articles.key })
      .returning()
    if (created) {
      await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'article.register', detail: { key, ...clean } })
      return { article: created, created: true }
    }
    const [before] = await tx.select().from(articles).where(eq(articles.key, key)).for('update')
    // A moderator's URL or title is theirs: no reader's submission replaces it (articles/article-details.ts).
    const vouched = clean.url !== undefined || clean.title !== undefined ? { detailsVerified: true } : {}
    const [updated] = await tx
      .update(articles)
      .set({ ...clean, ...vouched, version: sql`${articles.version} + 1` })
      .where(eq(articles.key, key))
      .returning()
    if (!before || !updated) throw new Error('article vanished')
    if (clean.open !== undefined && clean.open !== before.open) {
      await logAction(tx, {
        at: ctx.now,
        moderatorId: ctx.moderator.id,
        action: clean.open ? 'article.open' : 'article.close',
        from: before.open ? 'open' : 'closed',
        to: clean.open ? 'open' : 'closed',
        detail: { key },
      })
    } else if (clean.moderation !== undefined && clean.moderation !== before.moderation) {
      await logAction(tx, {
        at: ctx.now,
        moderatorId: ctx.moderator.id,
        action: clean.moderation === 'hold' ? 'article.hold' : 'article.rules',
        from: before.moderation ?? 'rules',
        to: clean.moderation ?? 'rules',
        detail: { key },
      })
    } else {
      await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'article.update', detail: { key, ...clean } })
    }
    return { article: updated, created: false }
  })
}

export interface ListedArticle {
  key: string
  url: string | null
  title: string | null
  open: boolean
  /** Every comment held for a moderator (`hold`), else the site's rules. */
  moderation: 'hold' | 'rules'
  commentCount: number
  pendingCount: number
  createdAt: string
}

/** Articles in registration order, with their published and held counts; the cursor is the last id. */
export async function listArticles(
  db: Db,
  after: number | null,
  limit: number,
): Promise<{ articles: ListedArticle[]; next: number | null }> {
  const rows = await db
    .select({
      id: articles.id,
      key: articles.key,
      url: articles.url,
      title: articles.title,
      open: articles.open,
      moderation: articles.moderation,
      commentCount: articles.commentCount,
      createdAt: articles.createdAt,
      // Built with eq(), not columns interpolated in sql``: a one-table select drops the table names of the
      // latter, and the subquery's unqualified "id" then meant comments.id (the counts followed the ids).
      pendingCount: db.$count(comments, and(eq(comments.articleId, articles.id), eq(comments.status, 'pending'))),
    })
    .from(articles)
    .where(after === null ? undefined : gt(articles.id, after))
    .orderBy(asc(articles.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  return {
    articles: page.map(({ id: _id, createdAt, moderation, ...rest }) => ({
      ...rest,
      moderation: moderation ?? 'rules',
      createdAt: createdAt.toISOString(),
    })),
    next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  }
}
