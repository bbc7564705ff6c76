import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import * as schema from './schema.js'
import type { Database, Db } from './database.js'
import { migrationsFolder } from './migrations-folder.js'

/**
 * The embedded engine: PostgreSQL compiled to WebAssembly, in a data directory, or in memory without
 * one: empty, or loaded from a dumpDataDir() tarball (which skips initdb and any migration it holds).
 */
export async function openPglite(dataDir?: string | Blob): Promise<Database & { client: PGlite }> {
  const client = !dataDir ? await PGlite.create() : typeof dataDir === 'string' ? await PGlite.create(dataDir) : await PGlite.create({ loadDataDir: dataDir })
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
