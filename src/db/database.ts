import type { SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from './schema.js'

/** Both engines (PGlite and postgres.js) behind one type: domain code never knows which. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** A database handle plus what only its owner may do with it. */
export interface Database {
  db: Db
  engine: 'pglite' | 'postgres'
  /** Ends the client (a PGlite instance, or postgres.js's pool). */
  close(): Promise<void>
}

/**
 * Runs a parameterized raw statement and returns its rows, whichever driver answers.
 * postgres.js resolves to an array of rows, PGlite to `{ rows }`.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query)
  if (Array.isArray(result)) return result as T[]
  return (result as { rows: T[] }).rows
}
