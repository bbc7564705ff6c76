import { sql, type Query, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Db } from './database.js'

const dialect = new PgDialect()

/** Names a value of the statement: `$('articleId')` in the template, its value given at each run. */
export type Slot<V> = (name: keyof V & string) => SQL

/**
 * A raw statement whose text is built once, with placeholders where its values go, and run many
 * times with values. Drizzle builds a template's text anew on every run: for a submission's two
 * statements that was most of what a request allocated (measured, issue 16), and the garbage of
 * 50 requests in flight outlives the young generation. The same text every run also lets the
 * connection keep it prepared. Runs in a transaction too (`db` is then the transaction).
 */
export function compiledStatement<V extends Record<string, unknown>>(build: ($: Slot<V>) => SQL): <T>(db: Db, values: V) => Promise<T[]> {
  let query: Query | undefined
  return async <T>(db: Db, values: V): Promise<T[]> => {
    query ??= dialect.sqlToQuery(build((name) => sql`${sql.placeholder(name)}`))
    const result: unknown = await db._.session.prepareQuery(query, undefined, undefined, false).execute(values)
    // postgres.js answers an array of rows, PGlite `{ rows }` (queryRows).
    return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows
  }
}
