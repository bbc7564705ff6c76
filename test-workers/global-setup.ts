import postgres from 'postgres'
import { migratePostgres } from '../src/db/migrate-postgres.js'
import { writeStaticFiles } from '../src/cli/build-static.js'

/**
 * In Node, before workerd starts: the static assets as wrangler.toml's [build] makes them (the pool
 * does not run it), and the suite's own database, made from the committed migrations; dropped after.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await writeStaticFiles({ openApi: true })
  const url = process.env.PARLEY_WORKERS_DATABASE_URL
  if (!url) throw new Error('vitest.workers.config.ts names the database')
  const name = new URL(url).pathname.slice(1)
  const server = new URL(url)
  server.pathname = '/postgres'
  const admin = postgres(server.href, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists "${name}" with (force)`)
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  await migratePostgres(url)
  return async () => {
    const cleanup = postgres(server.href, { max: 1, onnotice: () => {} })
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`)
    await cleanup.end()
  }
}
