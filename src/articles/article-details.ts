import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles } from '../db/schema.js'
import type { Article } from './articles.js'

/** An article's URL and title as a submission offers them (checked: the URL on an article origin). */
export interface ArticleDetails {
  url: string | null
  title: string | null
}

/** What of the request says where it was sent from. */
export interface RequestSource {
  /** The `Origin` header: a browser writes it itself, a page's script cannot. */
  origin: string | null
  referrer: string | null
  articleOrigins: string[]
}

/**
 * A submission's details are vouched for when a browser on the article's own origin sent it: the
 * request's `Origin` is an origin articles may be on and is the URL's, and its `Referer`, if any, is
 * on that origin too (across origins a browser sends the origin alone, so no path is compared).
 * Anything else (no `Origin`: a script of no browser; another page's) says what it likes.
 */
export function vouchedFor(details: ArticleDetails, source: RequestSource): boolean {
  if (details.url === null || source.origin === null) return false
  const origin = new URL(details.url).origin
  if (origin !== source.origin || !source.articleOrigins.includes(origin)) return false
  if (source.referrer === null) return true
  try {
    return new URL(source.referrer).origin === origin
  } catch {
    return false
  }
}

/** True when vouched-for details would change this article: it has none vouched for, or lacks one they give. */
export function wouldAdopt(article: Article, details: ArticleDetails): boolean {
  if (!article.detailsVerified) return true
  return (!article.url && details.url !== null) || (!article.title && details.title !== null)
}

/**
 * Takes a vouched-for submission's details (the caller checked `vouchedFor`), so that the first
 * commenter does not fix an article's URL and title for good:
 * - details no one vouched for are replaced by these, both fields (one not given becomes empty,
 *   for the next vouched-for submission to fill), and are vouched for from then on;
 * - vouched-for details (and a moderator's, an import's) only gain a field they lack.
 * A change bumps the version: readers see the article's title and URL with its thread.
 */
export async function adoptDetails(db: Db, article: Article, details: ArticleDetails): Promise<Article> {
  const [replaced] = await db
    .update(articles)
    .set({ url: details.url, title: details.title, detailsVerified: true, version: sql`${articles.version} + 1` })
    .where(and(eq(articles.id, article.id), eq(articles.detailsVerified, false)))
    .returning()
  if (replaced) return replaced
  const [filled] = await db
    .update(articles)
    .set({
      url: sql`coalesce(nullif(${articles.url}, ''), ${details.url})`,
      title: sql`coalesce(nullif(${articles.title}, ''), ${details.title})`,
      version: sql`${articles.version} + 1`,
    })
    .where(
      and(
        eq(articles.id, article.id),
        sql`((coalesce(${articles.url}, '') = '' and ${details.url}::text is not null) or (coalesce(${articles.title}, '') = '' and ${details.title}::text is not null))`,
      ),
    )
    .returning()
  return filled ?? article
}
