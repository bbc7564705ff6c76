import { mkdir } from 'node:fs/promises'
import { migratePostgres } from './migrate-postgres.js'
import { migratePglite, openPglite } from './pglite.js'

// `npm run db:migrate`: PostgreSQL when DATABASE_URL is set, otherwise the embedded data directory.
const url = process.env.DATABASE_URL
if (url) {
  await migratePostgres(url)
  console.log('Migrations applied to PostgreSQL.')
} else {
  const dir = process.env.PARLEY_DATA_DIR ?? './.parley'
  await mkdir(dir, { recursive: true })
  const database = await openPglite(`${dir}/pgdata`)
  await migratePglite(database)
  await database.close()
  console.log(`Migrations applied to the embedded database in ${dir}.`)
}
