import { makePrivateDirectory } from '../db/private-directory.js'
import type { Database } from '../db/database.js'
import { migratePostgres } from '../db/migrate-postgres.js'
import { openPostgres } from '../db/postgres.js'

/** The database the server would use: DATABASE_URL, or the embedded data directory; migrated. */
export async function openCliDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL
  if (url) {
    await migratePostgres(url)
    return openPostgres({ url, poolMax: 2, timeoutMs: 10_000 })
  }
  const dir = process.env.PARLEY_DATA_DIR || './.parley'
  const { migratePglite, openPglite } = await import('../db/pglite.js')
  await makePrivateDirectory(dir)
  const database = await openPglite(`${dir}/pgdata`)
  await migratePglite(database)
  return database
}
