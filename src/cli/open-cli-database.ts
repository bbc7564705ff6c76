import type { Database } from '../db/database.js'
import { migratePostgres } from '../db/migrate-postgres.js'
import { openPostgres } from '../db/postgres.js'
import { holdDataDir } from '../runtime/hold-data-dir.js'

/** The embedded data directory the server would use (as src/runtime/node-config.ts reads it). */
export const cliDataDir = (): string => process.env.PARLEY_DATA_DIR || './.parley'

/**
 * The database the server would use: DATABASE_URL, or the embedded data directory, migrated. The
 * embedded one is locked until close(): with the server running on it, the command exits 2 at once.
 */
export async function openCliDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL
  if (url) {
    await migratePostgres(url)
    return openPostgres({ url, poolMax: 2, timeoutMs: 10_000 })
  }
  const dir = cliDataDir()
  const lock = await holdDataDir(dir, 'command')
  const { migratePglite, openPglite } = await import('../db/pglite.js')
  const database = await openPglite(`${dir}/pgdata`)
  await migratePglite(database)
  return {
    ...database,
    async close() {
      await database.close()
      lock.release()
    },
  }
}
