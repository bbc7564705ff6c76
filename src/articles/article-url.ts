import { validationError } from '../errors.js'
import { normalizeUrl } from '../net/normalize-url.js'

/**
 * Where a moderator may point an article: any http(s) URL while the site has no `allowedOrigins`
 * (nothing says where its pages live), otherwise one on those origins or Parley's own, the
 * origins a reader's first comment may register it on. A moderator is trusted, so Parley's own
 * origin here is the request's, with or without PARLEY_PUBLIC_URL.
 */
export type ArticleUrlOrigins = readonly string[] | null

/** The article URL normalized as submissions normalize it, or the field's 422. */
export function checkArticleUrl(raw: string, field: string, origins: ArticleUrlOrigins): string {
  const url = normalizeUrl(raw.trim())
  if (!url || url.length > 2000) {
    throw validationError([{ field, code: 'invalid_url', message: 'The article URL is not a valid http or https URL.' }])
  }
  if (origins !== null && !origins.includes(new URL(url).origin)) {
    throw validationError([
      {
        field,
        code: 'origin_not_allowed',
        message: `The article URL is not on an allowed origin (allowedOrigins: ${origins.join(', ')}).`,
      },
    ])
  }
  return url
}
