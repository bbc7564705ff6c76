import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import * as schema from './schema.js'
import type { Database, Db } from './database.js'
import { preparingClient } from './prepared-statements.js'

export interface PostgresOptions {
  url: string
  poolMax: number
  /** Longest wait for a connection or a statement, in ms: past it the request fails fast. */
  timeoutMs: number
}

/**
 * How long a pool connection that failed waits before it connects again, in seconds, after
 * `failures` failed attempts in a row (pool-wide). postgres.js's default grows as 3^n / 100 up to
 * 20 s and counts every refused attempt: a 4 s outage under load left connections waiting 10–20 s
 * after the database was back, and a request arriving meanwhile waited out its deadline. Capped at
 * half a second: the database is tried again at most twice a second per connection, and only when
 * a request asks for it.
 */
export const reconnectDelay = (failures: number): number => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 0.5)

/** Real PostgreSQL through postgres.js. */
export function openPostgres(options: PostgresOptions): Database & { client: postgres.Sql } {
  const client = postgres(options.url, {
    max: options.poolMax,
    connect_timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
    backoff: reconnectDelay,
    idle_timeout: 60,
    onnotice: () => {},
    connection: {
      statement_timeout: options.timeoutMs * 2,
      application_name: 'parley',
    },
  })
  const db = drizzle(preparingClient(client), { schema }) as unknown as Db
  return {
    db,
    client,
    engine: 'postgres',
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}
