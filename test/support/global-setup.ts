import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { migratePostgres } from '../../src/db/migrate-postgres.js'
import { migratePglite, openPglite } from '../../src/db/pglite.js'
import { postgresUrl } from './test-database.js'
import { writeStaticFiles } from '../../src/cli/build-static.js'

/**
 * The built files of src/static, as `npm run build:static` writes them (Node serves the widget from
 * there; the OpenAPI document's lint reads the written copy). Then, on PostgreSQL: one migrated
 * template database, cloned by every test file. On PGlite: one migrated instance, dumped to a file
 * that every test file loads (initdb and the migrations took ~10 s a file).
 */
export default async function setup(): Promise<() => Promise<void>> {
  await writeStaticFiles({ openApi: true })
  const base = postgresUrl
  if (!base) return dumpMigratedPglite()
  const TEMPLATE_DB = `parley_test_template_${process.pid}`
  // Test files run in child processes started after this, which inherit the name.
  process.env.PARLEY_TEST_TEMPLATE = TEMPLATE_DB
  const admin = postgres(base, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists "${TEMPLATE_DB}" with (force)`)
  await admin.unsafe(`create database "${TEMPLATE_DB}"`)
  const url = new URL(base)
  url.pathname = `/${TEMPLATE_DB}`
  await migratePostgres(url.href)
  // Clones need the template free of sessions.
  await admin.end()
  return async () => {
    const cleanup = postgres(base, { max: 1, onnotice: () => {} })
    await cleanup.unsafe(`drop database if exists "${TEMPLATE_DB}" with (force)`)
    await cleanup.end()
  }
}

async function dumpMigratedPglite(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-test-pglite-'))
  const file = join(dir, 'migrated.tar')
  const database = await openPglite()
  await migratePglite(database)
  // Uncompressed: loading it then costs no gunzip in each of the test files.
  const dump = await database.client.dumpDataDir('none')
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()))
  await database.close()
  // Test files run in child processes started after this, which inherit the path.
  process.env.PARLEY_TEST_PGLITE_DUMP = file
  return async () => {
    await rm(dir, { recursive: true, force: true })
  }
}
