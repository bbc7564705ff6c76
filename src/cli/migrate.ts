import { migratePostgres } from '../db/migrate-postgres.js'
import { cliDataDir, openCliDatabase } from './open-cli-database.js'

// `npm run db:migrate`: PostgreSQL when DATABASE_URL is set, otherwise the embedded data directory
// (refused while the server runs on it: it migrates at start anyway).
const url = process.env.DATABASE_URL
if (url) {
  await migratePostgres(url)
  console.log('Migrations applied to PostgreSQL.')
} else {
  const database = await openCliDatabase()
  await database.close()
  console.log(`Migrations applied to the embedded database in ${cliDataDir()}.`)
}
