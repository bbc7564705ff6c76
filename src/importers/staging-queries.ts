import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { LISTED_PROBLEMS, type ProblemList } from './import-summary.js'
import type { RecordProblem } from './import-records.js'

/**
 * Records a problem for each row of `query` (ordered by `order`, its `seq` column by default): at
 * most LISTED_PROBLEMS listed, all counted. Returns how many rows there were.
 */
export async function report<Row extends object>(
  db: Db,
  query: SQL,
  list: ProblemList,
  describe: (row: Row) => RecordProblem,
  order: SQL = sql`seq`,
): Promise<number> {
  const rows = await queryRows<Row & { total: number }>(
    db,
    sql`
    select q.*, (count(*) over ())::int as total from (${query}) q order by ${order} limit ${LISTED_PROBLEMS}`,
  )
  for (const row of rows) list.add(describe(row))
  const total = rows[0]?.total ?? 0
  list.count += total - rows.length
  return total
}

/** Indexes a temporary table and gathers its statistics. */
export async function analyzed(db: Db, table: string, indexes: SQL[]): Promise<void> {
  for (const columns of indexes) await db.execute(sql`create index on ${sql.identifier(table)} (${columns})`)
  // Temporary tables are never analyzed by autovacuum: without statistics the plans that read them go wrong.
  await db.execute(sql`analyze ${sql.identifier(table)}`)
}
