import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import { migrationsFolder } from './migrations-folder.js'

// Any fixed number: every instance that starts at once waits here for the first one's migrations.
const MIGRATION_LOCK = 7_041_966

/** Applies the committed drizzle migrations over one dedicated connection, one instance at a time. */
export async function migratePostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migrate(drizzle(client), { migrationsFolder })
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined)
    await client.end({ timeout: 5 })
  }
}
