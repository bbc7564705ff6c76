import * as z from 'zod'
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.js'
import { validationError } from '../http/api-error.js'
import { toId } from '../http/request-context.js'
import { putArticle, listArticles } from '../moderation/moderated-articles.js'
import { listLog } from '../moderation/audit-log.js'
import { isOpen } from '../articles/articles.js'
import { ArticleKeyParam, ArticleSchema, authProblems, jsonBody, jsonContent, problem } from './schemas.js'
import { validationHook } from './validation-hook.js'
import { moderationContext } from './moderation-routes.js'

const idCursor = (text: string | undefined): number | null => {
  if (text === undefined) return null
  const id = toId(text)
  if (id === undefined) {
    throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' }])
  }
  return id
}

/** The articles list and the log: pages after the last id seen. */
const idPageQuery = z.object({ cursor: z.string().max(12).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })

const putArticleRoute = createRoute({
  method: 'put',
  path: '/api/v1/moderation/articles/{key}',
  summary: 'Register an article (201), or change its URL, title, or open state (200)',
  request: {
    params: ArticleKeyParam,
    body: jsonBody(z.object({ url: z.string().max(4000).nullable().optional(), title: z.string().max(4000).nullable().optional(), open: z.boolean().optional() })),
  },
  responses: {
    200: jsonContent('Changed', z.object({ article: ArticleSchema })),
    201: jsonContent('Registered', z.object({ article: ArticleSchema })),
    ...authProblems,
    422: problem('Invalid URL or title'),
  },
})

const listArticlesRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/articles',
  summary: 'Articles with their published and held counts',
  request: { query: idPageQuery },
  responses: {
    200: jsonContent('A page', z.object({
      articles: z.array(z.object({
        key: z.string(), url: z.string().nullable(), title: z.string().nullable(), open: z.boolean(),
        commentCount: z.number().int(), pendingCount: z.number().int(), createdAt: z.string(),
      })),
      nextCursor: z.string().nullable(),
    })),
    ...authProblems,
  },
})

const logRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/log',
  summary: 'The audit log, newest first',
  request: { query: idPageQuery },
  responses: {
    200: jsonContent('A page', z.object({
      entries: z.array(z.object({
        id: z.number().int(), at: z.string(), moderator: z.object({ id: z.number().int(), name: z.string() }).nullable(),
        action: z.string(), commentId: z.number().int().nullable(), from: z.string().nullable(), to: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
      })),
      nextCursor: z.string().nullable(),
    })),
    ...authProblems,
  },
})

export const moderationArticleRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(putArticleRoute, async (c) => {
    const ctx = moderationContext(c)
    const { article, created } = await putArticle(ctx, c.req.valid('param').key, c.req.valid('json'))
    const settings = (await c.env.deps.settings.get(ctx.db)).values
    const shaped = { key: article.key, url: article.url, title: article.title, open: isOpen(article, settings, ctx.now), commentCount: article.commentCount }
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
