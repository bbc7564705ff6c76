import { COMMENT_POLICIES } from '../settings/comment-policy.js'
import { DOCS } from '../docs-flag.js'
import * as z from 'zod/mini'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { validationError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { putArticle, listArticles } from '../moderation/moderated-articles.js'
import { listLog } from '../audit/audit-log.js'
import { moderatedArticleView } from '../articles/articles.js'
import {
  ArticleKeyParam,
  ModeratedArticleSchema,
  authProblems,
  countSchema,
  dateTimeSchema,
  idSchema,
  jsonBody,
  jsonContent,
  problem,
  urlText,
} from './schemas.js'
import { articleUrlOrigins, moderationContext } from './moderation-routes.js'

const idCursor = (text: string | undefined): number | null => {
  if (text === undefined) return null
  const id = toId(text)
  if (id === undefined) {
    throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' }])
  }
  return id
}

/** The articles list and the log: pages after the last id seen. */
const idPageQuery = z.object({
  cursor: z.optional(z.string().check(z.maxLength(12))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
})

const putArticleRoute = createRoute({
  method: 'put',
  path: '/api/v1/moderation/articles/{key}',
  operationId: 'putArticle',
  tag: 'Articles',
  request: {
    params: ArticleKeyParam,
    body: jsonBody(
      z.strictObject({
        url: z.optional(z.nullable(urlText().check(z.maxLength(4000)))),
        title: z.optional(z.nullable(z.string().check(z.maxLength(4000)))),
        open: z.optional(z.boolean()),
        commentPolicy: z
          .optional(z.nullable(z.enum(COMMENT_POLICIES)))
          .check(z.describe(DOCS ? "Who may comment on this article, over the site's `commentPolicy` (null: the site's)." : '')),
        moderation: z
          .optional(z.enum(['hold', 'rules']))
          .check(
            z.describe(
              DOCS
                ? "`hold`: every comment here waits for a moderator (a sensitive story), trusted commenters' too; `rules`: the site's."
                : '',
            ),
          ),
      }),
    ),
  },
  responses: {
    200: jsonContent(DOCS ? 'Changed' : '', z.object({ article: ModeratedArticleSchema })),
    201: jsonContent(DOCS ? 'Registered' : '', z.object({ article: ModeratedArticleSchema })),
    ...authProblems,
    422: problem(DOCS ? 'Invalid URL (`invalid_url`), or one outside `allowedOrigins` while they are set (`origin_not_allowed`)' : ''),
  },
})

const listArticlesRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/articles',
  operationId: 'listArticles',
  tag: 'Articles',
  request: { query: idPageQuery },
  responses: {
    200: jsonContent(
      DOCS ? 'A page' : '',
      z.object({
        articles: z.array(
          z.object({
            key: z.string(),
            url: z.nullable(urlText()),
            title: z.nullable(z.string()),
            open: z.boolean(),
            moderation: z.enum(['hold', 'rules']),
            commentCount: countSchema(),
            pendingCount: countSchema().check(z.describe(DOCS ? 'Its comments waiting for a moderator' : '')),
            createdAt: dateTimeSchema(),
          }),
        ),
        nextCursor: z.nullable(z.string()),
      }),
    ),
    ...authProblems,
  },
})

const logRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/log',
  operationId: 'listAuditLog',
  tag: 'Moderation',
  request: { query: idPageQuery },
  responses: {
    200: jsonContent(
      DOCS ? 'A page' : '',
      z.object({
        entries: z.array(
          z.object({
            id: idSchema(),
            at: dateTimeSchema(),
            moderator: z.nullable(z.object({ id: idSchema(), name: z.string() })),
            action: z.string(),
            commentId: z.nullable(idSchema()),
            from: z.nullable(z.string()),
            to: z.nullable(z.string()),
            detail: z.nullable(z.record(z.string(), z.unknown())),
          }),
        ),
        nextCursor: z.nullable(z.string()),
      }),
    ),
    ...authProblems,
  },
})

export const moderationArticleRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation')
  .openapi(putArticleRoute, async (c) => {
    const ctx = moderationContext(c)
    const settings = (await c.env.deps.settings.get(ctx.db)).values
    const { moderation, ...change } = c.req.valid('json')
    const held = moderation === undefined ? {} : { moderation: moderation === 'hold' ? ('hold' as const) : null }
    const { article, created } = await putArticle(ctx, c.req.valid('param').key, { ...change, ...held }, articleUrlOrigins(c, settings))
    const shaped = moderatedArticleView(article, settings, ctx.now)
    return created ? c.json({ article: shaped }, 201) : c.json({ article: shaped }, 200)
  })
  .openapi(listArticlesRoute, async (c) => {
    const query = c.req.valid('query')
    const page = await listArticles(c.env.deps.db, idCursor(query.cursor), query.limit)
    return c.json({ articles: page.articles, nextCursor: page.next === null ? null : String(page.next) }, 200)
  })
  .openapi(logRoute, async (c) => {
    const query = c.req.valid('query')
    const page = await listLog(c.env.deps.db, idCursor(query.cursor), query.limit)
    return c.json({ entries: page.entries, nextCursor: page.next === null ? null : String(page.next) }, 200)
  })
