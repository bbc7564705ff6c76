import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import type { Database } from '../src/db/database.js'
import { migratePostgres } from '../src/db/migrate-postgres.js'
import { openPostgres } from '../src/db/postgres.js'
import { migratePglite, openPglite } from '../src/db/pglite.js'
import type { PlannedArticle } from './dataset.js'
import { trackDir } from './exit-cleanup.js'
import { configureForOneAddress, configureForSubmissions, seed, type SeedSummary } from './seed.js'

/** BENCH_DB_NAME lets two benches share one server without dropping each other's data. */
export const BENCH_DB = process.env.BENCH_DB_NAME || 'parley_bench'

/**
 * The tables the seed filled. Not the empty ones: analyzed empty, a table is planned as empty for
 * good (flood_marks' look-ups were read as sequential scans of its thousands of marks, in every
 * connection that had prepared them before autovacuum's first visit, a minute later); a database
 * that never analyzed them plans them by their size.
 */
const ANALYZE_SEEDED = 'analyze articles, comments, settings'

/** The same server, another database: the bench never touches the ones tests or people use. */
export function benchDatabaseUrl(adminUrl: string, name = BENCH_DB): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.href
}

/** Drops and creates database `name` on the admin URL's server, migrated as the server would; its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.unsafe(`create database "${name}"`)
  } finally {
    await admin.end({ timeout: 5 })
  }
  const url = benchDatabaseUrl(adminUrl, name)
  await migratePostgres(url)
  return url
}

async function seedAndConfigure(database: Database, plan: PlannedArticle[], secret: string): Promise<SeedSummary> {
  const summary = await seed(database.db, plan, secret, new Date(Date.now() - 30 * 86_400_000))
  await configureForSubmissions(database.db)
  return summary
}

/** Drops and recreates the bench's database, empty but migrated and open to one address's submissions (the fault benches). */
export async function prepareEmptyPostgres(adminUrl: string): Promise<string> {
  const url = await recreateDatabase(adminUrl, BENCH_DB)
  const database = openPostgres({ url, poolMax: 1, timeoutMs: 10_000 })
  try {
    await configureForOneAddress(database.db)
  } finally {
    await database.close()
  }
  return url
}

/** Drops and recreates `parley_bench`, migrates it as the server would, and seeds it. */
export async function preparePostgres(
  adminUrl: string,
  plan: PlannedArticle[],
  secret: string,
): Promise<{ url: string; seeded: SeedSummary }> {
  const url = await recreateDatabase(adminUrl, BENCH_DB)
  const database = openPostgres({ url, poolMax: 4, timeoutMs: 30_000 })
  try {
    // Fresh rows and no statistics yet: analyze so the first measured queries get real plans.
    const seeded = await seedAndConfigure(database, plan, secret)
    await database.client.unsafe(ANALYZE_SEEDED)
    return { url, seeded }
  } finally {
    await database.close()
  }
}

/** A fresh data directory holding a migrated, seeded PGlite, closed again so the server can open it. */
export async function preparePglite(
  plan: PlannedArticle[],
  secret: string,
): Promise<{ dataDir: string; seeded: SeedSummary; remove(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'))
  const untrack = trackDir(dataDir)
  const remove = async () => {
    await rm(dataDir, { recursive: true, force: true })
    untrack()
  }
  try {
    const database = await openPglite(join(dataDir, 'pgdata'))
    try {
      await migratePglite(database)
      const seeded = await seedAndConfigure(database, plan, secret)
      await database.client.exec(ANALYZE_SEEDED)
      return { dataDir, seeded, remove }
    } finally {
      await database.close()
    }
  } catch (error) {
    await remove()
    throw error
  }
}
