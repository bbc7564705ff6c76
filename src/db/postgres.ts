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

/** Real PostgreSQL through postgres.js. */
export function openPostgres(options: PostgresOptions): Database & { client: postgres.Sql } {
  const client = postgres(options.url, {
    max: options.poolMax,
    connect_timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
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
