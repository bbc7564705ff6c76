import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { createRoute, type ResponseConfig } from '../openapi/openapi-routes.js'
import { emailText, urlText } from './schemas.js'

const page = (description: string, headers: ResponseConfig['headers'] = {}): ResponseConfig => ({
  description,
  headers: { 'Cache-Control': { description: DOCS ? '`no-store`' : '', required: true }, ...headers },
  content: {
    'text/html': {
      schema: z.string().check(z.describe(DOCS ? "WordPress's error page (wp_die()): the message, and a way back to the form" : '')),
    },
  },
})

const retryAfter = {
  'Retry-After': { description: DOCS ? 'Seconds to wait before trying again.' : '', required: true, type: 'integer' as const },
}

/** WordPress's field names; unknown fields (its nonce, a theme's own) are ignored. */
const formFields = z.object({
  comment: z.string(),
  author: z.optional(z.string()),
  email: z.optional(emailText()),
  url: z.optional(urlText()),
  comment_post_ID: z.string().check(z.describe(DOCS ? 'The article key' : '')),
  comment_parent: z.optional(z.string()).check(z.describe(DOCS ? '0 for none' : '')),
  redirect_to: z
    .optional(urlText())
    .check(z.describe(DOCS ? 'Where to return after posting: only a URL on an allowed origin is followed' : '')),
  parley_article_url: z
    .optional(urlText())
    .check(
      z.describe(
        DOCS ? "The article's URL, registered with its first comment (the WordPress plugin sends the permalink); else `redirect_to`" : '',
      ),
    ),
  parley_article_title: z.optional(z.string()).check(z.describe(DOCS ? "The article's title, registered with its first comment" : '')),
  parley_identity: z
    .optional(z.string())
    .check(z.describe(DOCS ? "The site's signed token for its logged-in reader, as `identityToken` in the JSON submission" : '')),
  'cf-turnstile-response': z.optional(z.string()).check(z.describe(DOCS ? 'The Turnstile token, when the site has Turnstile' : '')),
  subscribe_comments: z
    .optional(z.string())
    .check(z.describe(DOCS ? "Jetpack's checkbox: any value but empty or `0` asks for follow-up comments by email (double opt-in)" : '')),
  notify_approval: z
    .optional(z.string())
    .check(z.describe(DOCS ? 'Any value but empty or `0`: email the author when this comment, if held, is approved' : '')),
})

/** POST /comment-form, which answers pages and redirects rather than JSON, as the document tells it. */
export const commentFormDoc = createRoute({
  method: 'post',
  path: '/comment-form',
  operationId: 'postCommentForm',
  tag: 'Comments',
  request: {
    body: {
      required: true,
      description: DOCS
        ? 'WordPress\'s own comment form as a browser posts it: URL-encoded, or multipart when the theme\'s form says `enctype="multipart/form-data"` (the same fields; files are ignored).'
        : '',
      content: { 'application/x-www-form-urlencoded': { schema: formFields }, 'multipart/form-data': { schema: formFields } },
    },
  },
  responses: {
    201: page('Received, and no allowed page to return to'),
    303: {
      description: DOCS ? 'Back to the article' : '',
      headers: { Location: { description: DOCS ? "The article's page, ending `#comment-{id}`" : '', required: true } },
    },
    400: page('The form could not be read (`malformed_form`)'),
    403: page('Comments are closed (`comments_closed`), or the form was posted from an origin that is not allowed (`forbidden`)'),
    404: page('Unknown article and a first comment may not register it (`article_not_found`)'),
    409: page('Duplicate comment (`duplicate_comment`)'),
    413: page('The form is larger than 1 MiB (`payload_too_large`)'),
    415: page('Not a form (`unsupported_media_type`)'),
    422: page(
      "WordPress's message for a missing or invalid field, a `comment_post_ID` that cannot be an article key, or a parent that is not an approved comment of the article (`validation_failed`, `parent_not_found`)",
    ),
    429: page('Posting too quickly (`too_fast`)', retryAfter),
    503: page('The database is unreachable or saturated (`unavailable`)', retryAfter),
  },
})
