import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { validationError } from '../errors.js'
import { cachedRead } from '../http/cached-read.js'
import { articleKeyPattern } from '../articles/articles.js'
import { articleCounts } from '../comments/article-counts.js'
import { cachedReadHeaders, countSchema, ifNoneMatchHeader, problem } from './schemas.js'

const MAX_KEYS = 100

const countsRoute = createRoute({
  method: 'get',
  path: '/api/v1/counts',
  operationId: 'getCounts',
  tag: 'Comments',
  request: {
    query: z.object({
      keys: z
        .string()
        .check(z.maxLength(25_000))
        .check(z.meta({ description: DOCS ? 'Comma-separated article keys' : '', example: 'a,b,c' })),
    }),
    headers: ifNoneMatchHeader,
  },
  responses: {
    200: {
      description: DOCS ? 'Counts by key' : '',
      headers: cachedReadHeaders,
      content: { 'application/json': { schema: z.object({ counts: z.record(z.string(), countSchema()) }) } },
    },
    304: { description: DOCS ? 'Not modified since the ETag in `If-None-Match`' : '', headers: cachedReadHeaders },
    422: problem(DOCS ? 'Missing, invalid or too many keys' : ''),
  },
})

export const countRoutes = new OpenApiRoutes<AppEnv>('/api/v1/counts').openapi(countsRoute, async (c) => {
  const { deps } = c.env
  const keys = [
    ...new Set(
      c.req
        .valid('query')
        .keys.split(',')
        .filter((key) => key !== ''),
    ),
  ]
  const fault =
    keys.length === 0
      ? 'required'
      : keys.length > MAX_KEYS
        ? 'too_long'
        : keys.every((key) => articleKeyPattern.test(key))
          ? undefined
          : 'invalid_format'
  if (fault) throw validationError([{ field: 'keys', code: fault, message: `Give 1-${MAX_KEYS} article keys, separated by commas.` }])
  return cachedRead(c, {
    canonical: { keys: keys.join(',') },
    read: async () => {
      const { counts, etag } = await articleCounts(deps.db, keys)
      return { body: JSON.stringify({ counts }), etag, articles: keys, expiresAt: Infinity }
    },
  })
})
