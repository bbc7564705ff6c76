import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { validationError } from '../errors.js'
import { cachedRead } from '../http/cached-read.js'
import { currentThreadEtag, readThread, type ThreadRequest } from '../comments/read-thread.js'
import { encodeCursor } from '../comments/thread-shape.js'
import { findReaderHeld } from '../comments/reader-held.js'
import { threadFragmentHtml } from '../fragments/thread-fragment.js'
import { canonicalTimeZone } from '../fragments/comment-date.js'
import { languageOf } from '../i18n/languages.js'
import { ArticleKeyParam, cachedReadHeaders, ifNoneMatchHeader, pageCursor, problem, threadPageQuery } from './schemas.js'

const HTML = 'text/html; charset=utf-8'
const COUNT_HEADER = 'Parley-Comment-Count'

const countHeader = {
  [COUNT_HEADER]: {
    description: DOCS ? "The article's approved comments (what WordPress's get_comments_number() answers)." : '',
    required: true,
  },
}

const fragmentRoute = createRoute({
  method: 'get',
  path: '/api/v1/articles/{key}/comments.html',
  operationId: 'getThreadFragment',
  tag: 'Comments',
  request: {
    params: ArticleKeyParam,
    query: z.object({
      ...threadPageQuery(50, 'The `data-parley-next` of the previous page (the `parley_cursor` of its link).'),
      tz: z
        .optional(z.string().check(z.maxLength(64)))
        .check(z.describe(DOCS ? "The IANA time zone of the dates shown (WordPress's `timezone_string`); UTC when absent." : '')),
      lang: z
        .optional(z.string().check(z.maxLength(35)))
        .check(
          z.describe(
            DOCS
              ? "The page's language (`de`, or a tag such as `de-DE` or WordPress's `de_DE`): the fragment's words and dates; one Parley does not ship, or none, is the site's `language`. Kept in the read cache as two lowercase letters (`lang=de`)."
              : '',
          ),
        ),
      unapproved: z.optional(z.string().check(z.maxLength(20))).check(z.describe(DOCS ? "WordPress's: the reader's held comment id." : '')),
      'moderation-hash': z
        .optional(z.string().check(z.maxLength(64)))
        .check(z.describe(DOCS ? "WordPress's: the hash that proves it is theirs." : '')),
    }),
    headers: ifNoneMatchHeader,
  },
  responses: {
    200: {
      description: DOCS ? 'The fragment' : '',
      headers: {
        ...cachedReadHeaders,
        ...countHeader,
        ETag: {
          ...cachedReadHeaders.ETag,
          required: false,
          description: DOCS ? `${cachedReadHeaders.ETag.description} Absent on the private answer.` : '',
        },
        'Cache-Control': {
          description: DOCS
            ? "`public, max-age=…` (PARLEY_CACHE_MAX_AGE seconds); `private, no-store` when it shows the reader's held comment."
            : '',
          required: true,
        },
        Vary: { ...cachedReadHeaders.Vary, required: false },
      },
      content: { 'text/html': { schema: z.string() } },
    },
    304: { description: DOCS ? 'Not modified since the ETag in `If-None-Match`' : '', headers: cachedReadHeaders },
    422: problem(DOCS ? 'Invalid key, limit, cursor, order or time zone' : ''),
  },
})

/** GET …/comments.html: the thread as WordPress's markup, to render into the article's own page. */
export const fragmentRoutes = new OpenApiRoutes<AppEnv>('/api/v1/articles').openapi(fragmentRoute, async (c) => {
  const { deps } = c.env
  const { key } = c.req.valid('param')
  const query = c.req.valid('query')
  const cursor = pageCursor(query.cursor)
  const timeZone = canonicalTimeZone(query.tz ?? 'UTC')
  if (timeZone === undefined) throw validationError([{ field: 'tz', code: 'invalid_value', message: 'tz must be an IANA time zone name.' }])
  const now = deps.clock()
  const settings = await deps.settings.get(deps.db)
  const language = languageOf(query.lang) ?? settings.values.language
  const request: ThreadRequest = { key, limit: query.limit, order: query.order, cursor }
  const render = async (held: Awaited<ReturnType<typeof findReaderHeld>>) => {
    const { page, etag, closesAt, anchors } = await readThread(deps.db, request, settings, now)
    const body = threadFragmentHtml(page, {
      held,
      anchors,
      timeZone,
      order: query.order,
      limit: query.limit,
      cursor: cursor ? encodeCursor(cursor) : null,
      language,
    }).markup
    return { body, etag: `"h${etag.slice(1)}`, closesAt, count: page.article.commentCount }
  }
  const pair = { unapproved: query.unapproved, moderationHash: query['moderation-hash'] }
  const held = pair.unapproved ? await findReaderHeld(deps.db, deps.secrets, key, pair, settings.values.threadDepth, now) : null
  if (held) {
    // Theirs alone: no cache keeps it, and no validator makes it look like the public page.
    const { body, count } = await render(held)
    return c.body(body, 200, { 'Content-Type': HTML, 'Cache-Control': 'private, no-store', [COUNT_HEADER]: String(count) })
  }
  return cachedRead(c, {
    canonical: {
      limit: query.limit,
      order: query.order,
      cursor: cursor ? encodeCursor(cursor) : undefined,
      tz: query.tz === undefined ? undefined : timeZone,
      // Two lowercase letters are kept as they are (676 at most: a site whose language Parley does not
      // ship still reads from the cache); any other spelling only as the code of a language it ships.
      lang: query.lang === undefined ? undefined : /^[a-z]{2}$/.test(query.lang) ? query.lang : languageOf(query.lang),
    },
    currentEtag: async () => {
      const etag = await currentThreadEtag(deps.db, key, settings, now)
      return etag && `"h${etag.slice(1)}`
    },
    read: async () => {
      const { body, etag, closesAt, count } = await render(null)
      return { body, etag, articles: [key], expiresAt: closesAt, type: HTML, headers: { [COUNT_HEADER]: String(count) } }
    },
  })
})
