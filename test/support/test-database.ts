import { readFile } from 'node:fs/promises'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import type { Database } from '../../src/db/database.js'
import { PGlite } from '@electric-sql/pglite'
import { openPglite, migratePglite } from '../../src/db/pglite.js'
import { openPostgres } from '../../src/db/postgres.js'

/** Each vitest run migrates its own template (global setup names it), so that runs side by side never collide. */
export const templateDb = () => process.env.PARLEY_TEST_TEMPLATE ?? 'parley_test_template'

/** The suite runs on PostgreSQL when DATABASE_URL is set, on PGlite otherwise. */
export const postgresUrl = process.env.DATABASE_URL || null

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.href
}

/**
 * A database of this test file's own, made from the migrations: an in-memory PGlite loaded from the
 * migrated instance that global setup dumped, or a PostgreSQL database cloned from the migrated
 * template that global setup prepared.
 */
export type TestDatabase = Database & ({ url: null; client: PGlite } | { url: string; client: postgres.Sql })

export async function openTestDatabase(): Promise<TestDatabase> {
  if (!postgresUrl) {
    const dump = process.env.PARLEY_TEST_PGLITE_DUMP
    // Without global setup's dump (a config that has none), the file migrates its own instance.
    const database = dump ? await openPglite(new Blob([await readFile(dump)])) : await openPglite()
    if (!dump) await migratePglite(database)
    return { ...database, url: null as null }
  }
  const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}" template "${templateDb()}"`)
  await admin.end()
  const url = withDatabase(postgresUrl, name)
  const database = openPostgres({ url, poolMax: 10, timeoutMs: 5000 })
  return {
    ...database,
    url,
    async close() {
      await database.close()
      const cleanup = postgres(postgresUrl, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`)
      await cleanup.end()
    },
  }
}

/**
 * Gives a data directory (PARLEY_DATA_DIR) the migrated database that global setup dumped, as
 * `pgdata`, so that a CLI or server started on it skips initdb and the migrations (seconds each
 * time); the tests of a first start leave theirs empty. Without a dump, it stays empty.
 */
export async function migratedDataDir(dir: string): Promise<void> {
  const dump = process.env.PARLEY_TEST_PGLITE_DUMP
  if (!dump) return
  const client = await PGlite.create(`${dir}/pgdata`, { loadDataDir: new Blob([await readFile(dump)]) })
  await client.close()
}

/** Every table of the schema, each after the tables whose rows point to it. */
const TABLES = ['webhook_deliveries', 'webhooks', 'jobs', 'reports', 'moderation_log', 'sessions', 'known_logins', 'login_failures', 'comments', 'article_aliases', 'removed_sources', 'articles', 'moderators', 'instance', 'flood_marks', 'settings']

/**
 * Empties every table between tests, so that each test makes its own data, and restarts their ids,
 * as `truncate … restart identity` would. Deleting the few rows a test made is ~2 ms where truncate
 * took ~20 ms on PGlite and ~45 ms on PostgreSQL (new files for every table and index), once per
 * test. The same exclusive locks first: whatever still runs from the last test finishes before.
 */
export async function emptyDatabase(database: Database): Promise<void> {
  await database.db.execute(sql.raw(`do $$ begin
    lock table ${TABLES.join(', ')} in access exclusive mode;
    ${TABLES.map((table) => `delete from ${table};`).join(' ')}
    perform setval(s.seqrelid, s.seqstart, false) from pg_sequence s
      join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.deptype in ('a', 'i')
      where d.refobjid = any(array['${TABLES.join("', '")}']::regclass[]);
  end $$`))
}
