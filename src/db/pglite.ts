import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import * as schema from './schema.js'
import type { Database, Db } from './database.js'
import { migrationsFolder } from './migrations-folder.js'

/**
 * PostgreSQL's default 128 MB of shared buffers lives inside PGlite's WebAssembly memory, which never
 * shrinks: measured under the bench's load, 16 MB took the server from 415 to 279 MB of RSS at the same
 * throughput (uncached first pages 270 vs 269/s, submissions 430 vs 437/s). Pages the buffers miss come
 * from the operating system's file cache.
 */
const ENGINE_OPTIONS = { postgresqlconf: ['shared_buffers=16MB'] }

/**
 * The embedded engine: PostgreSQL compiled to WebAssembly, in a data directory, or in memory without
 * one: empty, or loaded from a dumpDataDir() tarball (which skips initdb and any migration it holds).
 */
export async function openPglite(dataDir?: string | Blob): Promise<Database & { client: PGlite }> {
  const client = !dataDir
    ? await PGlite.create(ENGINE_OPTIONS)
    : typeof dataDir === 'string'
      ? await PGlite.create(dataDir, ENGINE_OPTIONS)
      : await PGlite.create({ ...ENGINE_OPTIONS, loadDataDir: dataDir })
  const db = drizzle(client, { schema }) as unknown as Db
  return {
    db,
    client,
    engine: 'pglite',
    async close() {
      await client.close()
    },
  }
}

export async function migratePglite(database: { client: PGlite }): Promise<void> {
  await migrate(drizzle(database.client), { migrationsFolder })
}
