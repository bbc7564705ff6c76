import { effectivePolicy } from '../settings/comment-policy.js'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles } from '../db/schema.js'
import type { Settings } from '../settings/settings-schema.js'

export type Article = typeof articles.$inferSelect

/** Article keys are the publisher's own ids (API.md, Conventions). */
export const articleKeyPattern = /^[A-Za-z0-9._~:@-]{1,200}$/

/** A prefix an import puts before every key of a file: key characters, leaving room for the key. */
export const keyPrefixPattern = /^[A-Za-z0-9._~:@-]{1,100}$/

/** What a field holding an article key must be, as the end of a sentence naming the field. */
export const articleKeyRule = 'must be an article key: 1-200 characters of A-Z a-z 0-9 . _ ~ : @ -'

function findArticle(db: Db, key: string): Promise<Article | undefined> {
  return db
    .select()
    .from(articles)
    .where(eq(articles.key, key))
    .then((rows) => rows[0])
}

/**
 * Registers an article on its first comment, noting whether a browser on its origin vouched for
 * its details (article-details.ts); a concurrent registration of the same key wins harmlessly.
 */
export async function registerArticle(
  db: Db,
  key: string,
  details: { url: string | null; title: string | null; verified: boolean },
  now: Date,
): Promise<Article> {
  const [created] = await db
    .insert(articles)
    .values({ key, url: details.url, title: details.title, detailsVerified: details.verified, createdAt: now })
    .onConflictDoNothing({ target: articles.key })
    .returning()
  if (created) return created
  const existing = await findArticle(db, key)
  if (!existing) throw new Error('article vanished during registration')
  return existing
}

/** Open unless closed by a moderator or older than `closeAfterDays`, as WordPress's close_comments_for_old_posts. */
export function isOpen(article: Pick<Article, 'open' | 'createdAt'>, settings: Settings, now: Date): boolean {
  if (!article.open) return false
  if (settings.closeAfterDays === null) return true
  return now.getTime() - article.createdAt.getTime() < settings.closeAfterDays * 86_400_000
}

/** When an open article closes by age (ms since the epoch); Infinity if nothing but a moderator will close it. */
export function closesAt(article: Pick<Article, 'open' | 'createdAt'>, settings: Settings): number {
  if (!article.open || settings.closeAfterDays === null) return Infinity
  return article.createdAt.getTime() + settings.closeAfterDays * 86_400_000
}

/** Records a change readers can see: the thread's ETag and every cached page of it change. */
export function bumpArticle(db: Db, articleId: number, countDelta: number): Promise<unknown> {
  return db
    .update(articles)
    .set({ version: sql`${articles.version} + 1`, commentCount: sql`${articles.commentCount} + ${countDelta}` })
    .where(eq(articles.id, articleId))
}

export function findArticleById(db: Db, id: number): Promise<Article | undefined> {
  return db
    .select()
    .from(articles)
    .where(eq(articles.id, id))
    .then((rows) => rows[0])
}

/** An article as the API shows it: open by its row and its age, and who may comment (its own policy, else the site's). */
export function articleView(article: Article, settings: Settings, now: Date) {
  return {
    key: article.key,
    url: article.url,
    title: article.title,
    open: isOpen(article, settings, now),
    commentCount: article.commentCount,
    commentPolicy: effectivePolicy(article.commentPolicy, settings.commentPolicy),
  }
}

/** An article as moderators see it: and whether every comment there is held. */
export function moderatedArticleView(article: Article, settings: Settings, now: Date) {
  return { ...articleView(article, settings, now), moderation: article.moderation ?? 'rules' }
}
