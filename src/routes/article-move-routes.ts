import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { moveArticle } from '../articles/move-article.js'
import { articleView } from '../articles/articles.js'
import { articleUrlOrigins } from './moderation-routes.js'
import { ArticleKeyParam, ArticleSchema, authProblems, countSchema, jsonBody, jsonContent, problem, urlText } from './schemas.js'

const moveRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/articles/{key}/move',
  operationId: 'moveArticle',
  tag: 'Articles',
  request: {
    params: ArticleKeyParam,
    body: jsonBody(
      z.strictObject({
        to: z
          .string()
          .check(z.meta({ description: DOCS ? 'The new key (1-200 characters of A-Z a-z 0-9 . _ ~ : @ -)' : '', example: 'new-slug' })),
        url: z.optional(z.nullable(urlText().check(z.maxLength(4000)))),
      }),
    ),
  },
  responses: {
    200: jsonContent(
      DOCS ? 'The article under its new key; `moved` counts its comments (any status) that came from the old key' : '',
      z.object({ article: ArticleSchema, merged: z.boolean(), moved: countSchema() }),
    ),
    ...authProblems,
    404: problem(DOCS ? 'No article has this key' : ''),
    422: problem(
      DOCS ? 'Invalid key or URL, the same key, or a URL outside `allowedOrigins` while they are set (`origin_not_allowed`)' : '',
    ),
  },
})

export const articleMoveRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation').openapi(moveRoute, async (c) => {
  const { deps } = c.env
  const now = deps.clock()
  const { to, url } = c.req.valid('json')
  const settings = (await deps.settings.get(deps.db)).values
  const result = await moveArticle(
    deps.db,
    { from: c.req.valid('param').key, to, url },
    { moderatorId: c.var.moderator.id, now, urlOrigins: articleUrlOrigins(c, settings) },
  )
  return c.json({ article: articleView(result.article, settings, now), merged: result.merged, moved: result.moved }, 200)
})
