import { serve, type ServerType } from '@hono/node-server'
import type { Server } from 'node:http'
import { mkdir } from 'node:fs/promises'
import { createApp } from '../app.js'
import { fromSource } from './from-source.js'
import type { Deps } from '../deps.js'
import { createSecrets } from '../crypto/secrets.js'
import { createLogger } from '../logger.js'
import { SettingsStore } from '../settings/settings-store.js'
import type { Database } from '../db/database.js'
import { openPostgres } from '../db/postgres.js'
import { migratePostgres } from '../db/migrate-postgres.js'
import { readNodeConfig, resolveSecret } from './node-config.js'
import { nativeArgon2 } from './argon2-native.js'
import { importComments } from '../importers/import-comments.js'
import { resolveHostNode } from './node-resolve-host.js'
import { ensureFirstAdmin } from './first-admin.js'
import { runJobs } from '../jobs/run-jobs.js'
import { spamJobs } from '../spam/spam-jobs.js'

const GRACE_MS = 10_000

async function openDatabase(config: ReturnType<typeof readNodeConfig>): Promise<Database> {
  if (config.databaseUrl) {
    await migratePostgres(config.databaseUrl)
    return openPostgres({ url: config.databaseUrl, poolMax: config.poolMax, timeoutMs: config.dbTimeoutMs })
  }
  // Loaded only here: PGlite's WebAssembly costs tens of MB that a PostgreSQL deployment should not carry.
  const { migratePglite, openPglite } = await import('../db/pglite.js')
  await mkdir(config.dataDir, { recursive: true })
  const database = await openPglite(`${config.dataDir}/pgdata`)
  await migratePglite(database)
  return database
}

const config = readNodeConfig(process.env)
const logger = createLogger(config.logLevel)
const database = await openDatabase(config)
const deps: Deps = {
  db: database.db,
  secrets: await createSecrets(await resolveSecret(process.env, config)),
  settings: new SettingsStore(),
  spamFilters: [],
  passwords: nativeArgon2,
  importer: importComments,
  resolveHost: resolveHostNode,
  clock: () => new Date(),
  logger,
  config,
}
if (!config.databaseUrl) await ensureFirstAdmin(deps.db, deps.passwords)
const app = createApp(deps, fromSource)

const server: ServerType = serve(
  {
    fetch: (request, env: { incoming?: { socket?: { remoteAddress?: string } } }) =>
      app.fetch(request, { deps, remoteAddr: env.incoming?.socket?.remoteAddress }),
    port: config.port,
  },
  (info) => {
    const base = config.publicUrl ?? `http://localhost:${info.port}`
    const engine = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
    logger.info('Parley is listening', { url: base, database: engine, docs: `${base}/docs` })
    console.log(`\nParley is running on ${base} (${engine})\n  API docs:   ${base}/docs\n  Demo:       ${base}/demo (the widget)\n  Plain form: ${base}/demo/plain (no JavaScript)\n  Moderation: ${base}/admin\n`)
  },
)

// Jobs (Akismet re-checks and feedback, webhook deliveries, purges) run here on a timer, one run at a time.
let jobsRun: Promise<unknown> | undefined
const jobsTimer = setInterval(() => {
  jobsRun ??= runJobs(deps, new Date(), spamJobs)
    .catch((error: unknown) => logger.error('jobs run failed', { error: error instanceof Error ? error.message : String(error) }))
    .finally(() => {
      jobsRun = undefined
    })
}, config.jobsIntervalMs)

let stopping = false
/** Stop accepting, let in-flight requests finish, close the pool, exit; force it after the grace period. */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info('shutting down', { signal })
  const force = setTimeout(() => {
    logger.error('shutdown grace period over; exiting')
    process.exit(1)
  }, GRACE_MS)
  force.unref()
  clearInterval(jobsTimer)
  const http = server as Server
  await new Promise<void>((resolve) => {
    http.close(() => resolve())
    http.closeIdleConnections()
  })
  await jobsRun
  await database.close()
  logger.info('stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
