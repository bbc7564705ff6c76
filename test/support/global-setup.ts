import postgres from 'postgres'
import { migratePostgres } from '../../src/db/migrate-postgres.js'
import { postgresUrl } from './test-database.js'

/** On PostgreSQL: one migrated template database, cloned by every test file. */
export default async function setup(): Promise<() => Promise<void>> {
  const base = postgresUrl
  if (!base) return async () => {}
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
