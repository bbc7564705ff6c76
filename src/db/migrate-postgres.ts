import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import { migrationsFolder } from './migrations-folder.js'

// Any fixed number: every instance that starts at once waits here for the first one's migrations.
const MIGRATION_LOCK = 7_041_966

/**
 * Applies the committed drizzle migrations over one dedicated connection, one instance at a time.
 * `connectMs` bounds the connection attempt (DB_TIMEOUT_MS at start): a database out of reach fails
 * the start in seconds, not after postgres.js's 30.
 */
export async function migratePostgres(url: string, connectMs = 30_000): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: Math.max(1, Math.ceil(connectMs / 1000)) })
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migrate(drizzle(client), { migrationsFolder })
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined)
    await client.end({ timeout: 5 })
  }
}
