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
    const reused = idlePglite
    idlePglite = undefined
    const database = reused?.database ?? (await openMigratedPglite())
    const pristine = reused?.pristine ?? (await pgliteState(database.client))
    return { ...database, url: null as null, close: () => releasePglite(database, pristine) }
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

type Pglite = Database & { client: PGlite }

async function openMigratedPglite(): Promise<Pglite> {
  const dump = process.env.PARLEY_TEST_PGLITE_DUMP
  // Without global setup's dump (a config that has none), the file migrates its own instance.
  const database = dump ? await openPglite(new Blob([await readFile(dump)])) : await openPglite()
  if (!dump) await migratePglite(database)
  return database
}

/**
 * A closed file's PGlite, kept for the worker's next file (vitest's `isolate: false` keeps this
 * module for all the files a worker runs, one at a time): loading the migrated dump cost ~0.5 s a
 * file. It is kept only when nothing but rows changed, and its tables are truncated first, which
 * gives them back the state a freshly loaded instance has (new empty files, ids restarted, no
 * statistics); else it is closed and the next file loads its own.
 */
let idlePglite: { database: Pglite; pristine: string } | undefined

/**
 * What a file could leave behind in a PGlite besides rows: the schema's objects (tables, columns,
 * defaults, indexes, constraints, functions, triggers and whether they are enabled, types, views,
 * schemas, grants), session settings, channels listened to, advisory locks, an open transaction.
 */
async function pgliteState(client: PGlite): Promise<string> {
  const { rows } = await client.query<{ state: string }>(`select md5(concat_ws('|',
    (select string_agg(concat_ws(',', c.oid, c.relname, c.relnamespace, c.relkind, c.relpersistence, c.reloptions, c.relacl, c.relrowsecurity), ';' order by c.oid) from pg_class c where c.oid >= 16384),
    (select string_agg(concat_ws(',', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.atthasdef, a.attisdropped, a.attidentity, a.attgenerated), ';' order by a.attrelid, a.attnum) from pg_attribute a where a.attrelid >= 16384),
    (select string_agg(concat_ws(',', d.oid, d.adrelid, d.adnum, pg_get_expr(d.adbin, d.adrelid)), ';' order by d.oid) from pg_attrdef d),
    (select string_agg(concat_ws(',', i.indexrelid, i.indisvalid, i.indisunique, pg_get_indexdef(i.indexrelid)), ';' order by i.indexrelid) from pg_index i where i.indexrelid >= 16384),
    (select string_agg(concat_ws(',', o.oid, o.conname, o.contype, o.convalidated, pg_get_constraintdef(o.oid)), ';' order by o.oid) from pg_constraint o where o.oid >= 16384),
    (select string_agg(concat_ws(',', p.oid, p.proname, md5(p.prosrc)), ';' order by p.oid) from pg_proc p where p.oid >= 16384),
    (select string_agg(concat_ws(',', g.oid, g.tgname, g.tgenabled), ';' order by g.oid) from pg_trigger g where g.oid >= 16384),
    (select string_agg(concat_ws(',', y.oid, y.typname), ';' order by y.oid) from pg_type y where y.oid >= 16384),
    (select string_agg(concat_ws(',', e.oid, e.enumlabel), ';' order by e.oid) from pg_enum e),
    (select string_agg(concat_ws(',', r.oid, r.rulename, r.ev_enabled), ';' order by r.oid) from pg_rewrite r where r.oid >= 16384),
    (select string_agg(concat_ws(',', n.oid, n.nspname, n.nspacl), ';' order by n.oid) from pg_namespace n where n.oid >= 16384 and n.nspname not like 'pg\\_%temp\\_%'),
    (select string_agg(concat_ws(',', v.oid, v.evtname), ';' order by v.oid) from pg_event_trigger v),
    (select string_agg(concat_ws(',', s.name, s.setting), ';' order by s.name) from pg_settings s where s.source = 'session'),
    (select string_agg(l, ';' order by l) from pg_listening_channels() l),
    (select count(*) from pg_locks k where k.locktype = 'advisory'),
    (select count(*) from pg_prepared_statements),
    (select count(*) from pg_cursors)
  )) as state`)
  return rows[0]?.state ?? ''
}

async function releasePglite(database: Pglite, pristine: string): Promise<void> {
  if (database.client.closed) return
  try {
    if (!idlePglite && !database.client.isInTransaction() && (await pgliteState(database.client)) === pristine) {
      await database.client.exec(`truncate ${TABLES.join(', ')} restart identity`)
      idlePglite = { database, pristine }
      return
    }
  } catch {
    // A file that left it unusable (a transaction aborted, say) hands it on to no one.
  }
  await database.close()
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
export const TABLES = [
  'mail_messages',
  'mail_link_uses',
  'subscriptions',
  'mail_addresses',
  'notification_prefs',
  'webhook_deliveries',
  'webhooks',
  'jobs',
  'reports',
  'moderation_log',
  'sessions',
  'known_logins',
  'login_failures',
  'commenter_rules',
  'commenter_notes',
  'comment_votes',
  'vote_limits',
  'comments',
  'article_aliases',
  'removed_sources',
  'articles',
  'moderators',
  'instance',
  'flood_marks',
  'settings',
]

/**
 * Empties every table between tests, so that each test makes its own data, and restarts their ids,
 * as `truncate … restart identity` would. Deleting the few rows a test made is ~2 ms where truncate
 * took ~20 ms on PGlite and ~45 ms on PostgreSQL (new files for every table and index), once per
 * test. The same exclusive locks first: whatever still runs from the last test finishes before.
 */
export async function emptyDatabase(database: Database): Promise<void> {
  await database.db.execute(
    sql.raw(`do $$ begin
    lock table ${TABLES.join(', ')} in access exclusive mode;
    ${TABLES.map((table) => `delete from ${table};`).join(' ')}
    perform setval(s.seqrelid, s.seqstart, false) from pg_sequence s
      join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.deptype in ('a', 'i')
      where d.refobjid = any(array['${TABLES.join("', '")}']::regclass[]);
  end $$`),
  )
}
