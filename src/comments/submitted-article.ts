import { AppError, validationError } from '../errors.js'
import type { Article } from '../articles/articles.js'
import { vouchedFor, wouldAdopt, type ArticleDetails } from '../articles/article-details.js'
import { normalizeUrl } from '../net/normalize-url.js'
import type { CommentContext } from './comment-context.js'
import { cleanText } from './clean-text.js'
import type { SubmissionInput } from './submit-comment.js'

/**
 * An unknown article's details, checked before it may be registered. A URL on Parley's own origin
 * while that origin is only what the request's Host says is left out (the article registers
 * without one) rather than refused: the demo reached by another name still works.
 */
export function articleDetails(
  input: Pick<SubmissionInput, 'article'>,
  origins: Pick<CommentContext, 'articleOrigins' | 'allowedOrigins'>,
): ArticleDetails {
  const rawUrl = input.article?.url?.trim()
  const title =
    cleanText(input.article?.title ?? '', { multiline: false })
      .trim()
      .slice(0, 500) || null
  if (!rawUrl) return { url: null, title }
  const url = normalizeUrl(rawUrl)
  if (!url || url.length > 2000) {
    throw validationError([{ field: 'article.url', code: 'invalid_url', message: 'The article URL is not a valid http or https URL.' }])
  }
  const origin = new URL(url).origin
  if (!origins.articleOrigins.includes(origin)) {
    if (origins.allowedOrigins.includes(origin)) return { url: null, title }
    throw validationError([{ field: 'article.url', code: 'origin_not_allowed', message: 'The article URL is not on an allowed origin.' }])
  }
  return { url, title }
}

/**
 * What a comment on a known article may change of its details (article-details.ts): only what a
 * browser on the article's origin vouches for. Details that fail the checks are ignored, not
 * refused: the comment is about the article, which is known.
 */
export function detailsToAdopt(article: Article, input: Pick<SubmissionInput, 'article'>, ctx: CommentContext): ArticleDetails | undefined {
  if (ctx.origin === null || !input.article?.url) return undefined
  let details: ArticleDetails
  try {
    details = articleDetails(input, ctx)
  } catch (error) {
    if (error instanceof AppError) return undefined
    throw error
  }
  return vouchedFor(details, ctx) && wouldAdopt(article, details) ? details : undefined
}
