import * as z from 'zod/mini'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { validationError } from '../http/api-error.js'
import { etagMatches } from '../http/request-context.js'
import { articleKeyPattern } from '../articles/articles.js'
import { articleCounts } from '../comments/article-counts.js'
import { problem } from './schemas.js'

const MAX_KEYS = 100

const countsRoute = createRoute({
  method: 'get',
  path: '/api/v1/counts',
  summary: 'Approved-comment counts for up to 100 article keys',
  request: {
    query: z.object({ keys: z.string().check(z.maxLength(25_000)).check(z.meta({ description: 'Comma-separated article keys', example: 'a,b,c' })) }),
  },
  responses: {
    200: { description: 'Counts by key', content: { 'application/json': { schema: z.object({ counts: z.record(z.string(), z.int()) }) } } },
    304: { description: 'Not modified' },
    422: problem('Missing, invalid or too many keys'),
  },
})

export const countRoutes = new OpenApiRoutes<AppEnv>().openapi(countsRoute, async (c) => {
  const { deps } = c.env
  const keys = [...new Set(c.req.valid('query').keys.split(',').filter((key) => key !== ''))]
  if (keys.length === 0 || keys.length > MAX_KEYS || !keys.every((key) => articleKeyPattern.test(key))) {
    throw validationError([{ field: 'keys', code: 'invalid_keys', message: `Give 1-${MAX_KEYS} article keys, separated by commas.` }])
  }
  const { counts, etag } = await articleCounts(deps.db, keys)
  const headers = { 'Cache-Control': `public, max-age=${deps.config.cacheMaxAge}`, ETag: etag }
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
  return c.json({ counts }, 200, headers)
})
