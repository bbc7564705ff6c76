import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articleAliases, articles, comments } from '../db/schema.js'
import { AppError, validationError } from '../errors.js'
import { checkArticleUrl, type ArticleUrlOrigins } from './article-url.js'
import { logAction } from '../audit/audit-log.js'
import { articleKeyPattern, articleKeyRule, type Article } from './articles.js'

export interface ArticleMove {
  from: string
  to: string
  /** The article's new URL, when it moved too. */
  url?: string | null
}

export interface MovedArticle {
  article: Article
  /** True when `to` already existed and took the comments in; false for a rename. */
  merged: boolean
  /** Comments (of any status) now under the new key that were under the old one. */
  moved: number
}

/**
 * Moves an article's comments to another key, when the publisher's key or URL changed: a
 * rename when nothing has the new key yet, otherwise a merge into the article that has it (its
 * open state and title stay; counts add up). Both articles are locked first, in id order, as
 * every change takes article locks before comment locks. Readers see it at once (versions bump).
 * The old key, and every key that led to the old article, now lead to the new one: an import
 * naming them lands there (see article_aliases), while the new key stops being anyone's alias.
 */
export async function moveArticle(
  db: Db,
  move: ArticleMove,
  actor: { moderatorId: number | null; now: Date; urlOrigins: ArticleUrlOrigins },
): Promise<MovedArticle> {
  if (!articleKeyPattern.test(move.to)) {
    throw validationError([{ field: 'to', code: 'invalid_format', message: `to ${articleKeyRule}.` }])
  }
  if (move.to === move.from) throw validationError([{ field: 'to', code: 'same_key', message: 'The article already has this key.' }])
  const url = move.url === undefined || move.url === null ? move.url : checkArticleUrl(move.url, 'url', actor.urlOrigins)
  return db.transaction(async (tx) => {
    const locked = await tx
      .select()
      .from(articles)
      .where(inArray(articles.key, [move.from, move.to]))
      .orderBy(asc(articles.id))
      .for('update')
    const source = locked.find((a) => a.key === move.from)
    const target = locked.find((a) => a.key === move.to)
    if (!source) throw new AppError('article_not_found', 'There is no article with this key.')
    // A URL a moderator gives is theirs: no reader's submission replaces it (article-details.ts).
    const urlChange = url === undefined ? {} : { url, detailsVerified: true }
    let result: MovedArticle
    if (!target) {
      const [renamed] = await tx
        .update(articles)
        .set({ key: move.to, ...urlChange, version: sql`${articles.version} + 1` })
        .where(eq(articles.id, source.id))
        .returning()
      if (!renamed) throw new Error('article vanished')
      const [count] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(comments)
        .where(eq(comments.articleId, source.id))
      result = { article: renamed, merged: false, moved: count?.n ?? 0 }
    } else {
      const moved = await tx
        .update(comments)
        .set({ articleId: target.id })
        .where(eq(comments.articleId, source.id))
        .returning({ id: comments.id })
      // Before the old article goes (its aliases would go with it).
      await tx.update(articleAliases).set({ articleId: target.id }).where(eq(articleAliases.articleId, source.id))
      const [merged] = await tx
        .update(articles)
        .set({ ...urlChange, commentCount: sql`${articles.commentCount} + ${source.commentCount}`, version: sql`${articles.version} + 1` })
        .where(eq(articles.id, target.id))
        .returning()
      await tx.delete(articles).where(eq(articles.id, source.id))
      if (!merged) throw new Error('article vanished')
      result = { article: merged, merged: true, moved: moved.length }
    }
    await tx.delete(articleAliases).where(eq(articleAliases.key, move.to))
    await tx
      .insert(articleAliases)
      .values({ key: move.from, articleId: result.article.id })
      .onConflictDoUpdate({ target: articleAliases.key, set: { articleId: result.article.id } })
    await logAction(tx, {
      at: actor.now,
      moderatorId: actor.moderatorId,
      action: 'article.move',
      from: move.from,
      to: move.to,
      detail: { merged: result.merged, comments: result.moved, ...urlChange },
    })
    return result
  })
}
