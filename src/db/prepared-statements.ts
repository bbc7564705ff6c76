import type postgres from 'postgres'

/** Distinct statements a client prepares; past it, new texts run unprepared (see below). */
export const MAX_PREPARED_TEXTS = 200

type UnsafeOptions = Parameters<postgres.Sql['unsafe']>[2]

/**
 * A postgres.js client whose `unsafe()` (all that drizzle calls, in and out of transactions)
 * prepares statements. Drizzle asks for unnamed statements, and postgres.js runs an unnamed one
 * with parameters as two round trips (Parse and Describe, then Bind and Execute) and PostgreSQL
 * parses and plans it every time; a prepared one is one round trip once each connection knows it.
 *
 * Only the first `maxTexts` distinct texts are prepared: a statement built with a list of varying
 * length (`in (…)`, multi-row inserts) is a new text per length, and each prepared one stays in
 * every connection of the pool, on both sides, for the connection's life.
 */
export function preparingClient(client: postgres.Sql, maxTexts = MAX_PREPARED_TEXTS): postgres.Sql {
  const prepared = new Set<string>()
  const shouldPrepare = (query: string): boolean => {
    if (prepared.has(query)) return true
    if (prepared.size >= maxTexts) return false
    prepared.add(query)
    return true
  }
  const wrap = <T extends postgres.Sql | postgres.TransactionSql>(sql: T): T =>
    new Proxy(sql, {
      get(target, property, receiver) {
        if (property === 'unsafe') {
          return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: UnsafeOptions) =>
            target.unsafe(query, parameters, { ...options, prepare: options?.prepare || shouldPrepare(query) })
        }
        if ((property === 'begin' || property === 'savepoint') && property in target) {
          // The transaction's (or savepoint's) own client is what drizzle queries inside it.
          const open = (Reflect.get(target, property) as (...all: unknown[]) => unknown).bind(target)
          return (...args: unknown[]) => {
            const callback = args.pop() as (tx: postgres.TransactionSql) => unknown
            return open(...args, (tx: postgres.TransactionSql) => callback(wrap(tx)))
          }
        }
        // postgres.js's functions are closures: they need no `this`.
        return Reflect.get(target, property, receiver)
      },
    })
  return wrap(client)
}
