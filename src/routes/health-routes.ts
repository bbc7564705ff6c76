import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import { sql } from 'drizzle-orm'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { noStore, retryLater } from './schemas.js'

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tag: 'Operations',
  database: false,
  responses: {
    200: {
      description: DOCS ? 'Up' : '',
      headers: noStore,
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
})

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tag: 'Operations',
  responses: {
    200: {
      description: DOCS ? 'Ready' : '',
      headers: noStore,
      content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
    },
    503: retryLater(DOCS ? 'The database does not answer (`unavailable`)' : ''),
  },
})

export const healthRoutes = new OpenApiRoutes<AppEnv>('')
  .openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200, { 'Cache-Control': 'no-store' }))
  .openapi(readyRoute, async (c) => {
    try {
      await c.env.deps.db.execute(sql`select 1`)
    } catch {
      throw new AppError('unavailable', 'The database does not answer.', { retryAfter: 5 })
    }
    return c.json({ status: 'ready' as const }, 200, { 'Cache-Control': 'no-store' })
  })
