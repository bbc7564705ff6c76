import { readFile } from 'node:fs/promises'
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import postgres from 'postgres'
import { PgDialect } from 'drizzle-orm/pg-core'
import { threadQuery } from '../src/comments/thread-query.js'
import { decodeCursor } from '../src/comments/thread-shape.js'

/**
 * The floors Parley's reads are measured against, each a bare process of its own:
 *   sql:  Hono + postgres.js running the thread page's own SQL text (built by the app's
 *         threadQuery) and answering its rows as JSON: what this stack costs with no app around it.
 *   json: Hono answering a fixed JSON body (FLOOR_BODY_FILE): what HTTP alone costs on this machine.
 * Usage: node --import tsx bench/floor-server.ts sql|json   (PORT, DATABASE_URL, DB_POOL_MAX)
 */
const mode = process.argv[2]
const port = Number(process.env.PORT ?? 8790)
const app = new Hono()

if (mode === 'sql') {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('the sql floor needs DATABASE_URL')
  const client = postgres(url, { max: Number(process.env.DB_POOL_MAX ?? 10), onnotice: () => {} })
  const dialect = new PgDialect()
  app.get('/readyz', async (c) => {
    await client`select 1`
    return c.json({ status: 'ready' })
  })
  app.get('/api/v1/articles/:key/comments', async (c) => {
    const limit = Number(c.req.query('limit') ?? 20)
    const cursorText = c.req.query('cursor')
    const cursor = cursorText ? (decodeCursor(cursorText) ?? null) : null
    const order = c.req.query('order') === 'newest' ? 'newest' : 'oldest'
    const query = dialect.sqlToQuery(threadQuery(c.req.param('key'), limit, order, cursor))
    // Prepared, as the app's statements are (src/db/prepared-statements.ts) and as postgres.js's own
    // tagged templates are by default: the same protocol round trips, parse and plan once per connection.
    // drizzle types its params as unknown[]; they are the strings and numbers threadQuery bound.
    const rows = await client.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true })
    return c.json(rows)
  })
} else if (mode === 'json') {
  const file = process.env.FLOOR_BODY_FILE
  if (!file) throw new Error('the json floor needs FLOOR_BODY_FILE')
  const body = await readFile(file, 'utf8')
  app.get('/readyz', (c) => c.json({ status: 'ready' }))
  app.get('*', (c) => c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' }))
} else {
  throw new Error('usage: floor-server.ts sql|json')
}

const server = serve({ fetch: app.fetch, port })
process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
  // Keep-alive connections from the load generator would otherwise hold close() open.
  setTimeout(() => process.exit(0), 1000).unref()
})
