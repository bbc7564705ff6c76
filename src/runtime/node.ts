import { serve, type Http2Bindings, type HttpBindings, type ServerType } from '@hono/node-server'
import { startingAnswer } from './starting-answers.js'
import type { Server } from 'node:http'
import { createApp } from '../app.js'
import { nodeAppOptions } from './node-app-options.js'
import type { Deps } from '../deps.js'
import { createNodeSecrets } from '../crypto/node-secrets.js'
import { nodeCompress } from './node-compress.js'
import { createLogger, type Logger } from '../logger.js'
import { SettingsStore } from '../settings/settings-store.js'
import type { Database } from '../db/database.js'
import { openPostgres } from '../db/postgres.js'
import { migratePostgres } from '../db/migrate-postgres.js'
import { readNodeConfig, resolveSecret, type NodeConfig } from './node-config.js'
import { listenPglite, listenPostgres, type CacheListener } from '../read-cache/cache-listener.js'
import { nativeArgon2 } from './argon2-native.js'
import { importComments } from '../importers/import-comments.js'
import { spoolToFile } from './spool-file.js'
import { resolveHostNode } from './node-resolve-host.js'
import { PublisherTokens } from '../identity/publisher-tokens.js'
import { OidcLogin } from '../auth/oidc-login.js'
import { guardedFetch } from './guarded-fetch.js'
import { ensureFirstAdmin } from './first-admin.js'
import { runJobs } from '../jobs/run-jobs.js'
import { spamJobs } from '../comments/spam-jobs.js'
import { mailSweeps, notificationJobs } from './mail-work.js'
import { nodeSmtpTransport } from './node-mail.js'
import { closableServer } from './graceful-close.js'
import { answerClientErrors } from './client-errors.js'
import { nodeFetch } from './node-fetch.js'
import { readCacheRoom } from './read-cache-room.js'
import { loggedError } from '../logged-error.js'
import { turnGate } from './turn-gate.js'
import { startStep } from './startup-failure.js'
import { holdDataDir } from './hold-data-dir.js'
import { makePrivateDirectory } from '../db/private-directory.js'

const GRACE_MS = 10_000

type OpenReadCache = (maxBytes: number, onFlush: () => void) => Promise<CacheListener>

async function openDatabase(config: NodeConfig, logger: Logger): Promise<{ database: Database; openReadCache: OpenReadCache }> {
  const url = config.databaseUrl
  if (url) {
    await startStep({ step: 'database', url }, () => migratePostgres(url, config.dbTimeoutMs))
    const database = openPostgres({ url, poolMax: config.poolMax, timeoutMs: config.dbTimeoutMs })
    return { database, openReadCache: async (maxBytes, onFlush) => listenPostgres(url, database.client, maxBytes, logger, onFlush) }
  }
  // Loaded only here: PGlite's WebAssembly costs tens of MB that a PostgreSQL deployment should not carry.
  const { migratePglite, openPglite } = await import('../db/pglite.js')
  await startStep({ step: 'data-dir', dir: config.dataDir }, () => makePrivateDirectory(config.dataDir))
  // The first start creates the database (several seconds, more on a busy machine): say so meanwhile.
  logger.info('opening the embedded database', {
    dir: `${config.dataDir}/pgdata`,
    note: 'a first start creates it, which takes several seconds',
  })
  const database = await openPglite(`${config.dataDir}/pgdata`)
  await migratePglite(database)
  return { database, openReadCache: (maxBytes, onFlush) => listenPglite(database.client, maxBytes, onFlush) }
}

const config = await startStep({ step: 'config' }, async () => readNodeConfig(process.env))
const logger = createLogger(config.logLevel)
// Before the port: a second server (or a command) on this embedded database would lose writes.
// Released when the process exits.
if (!config.databaseUrl) await startStep({ step: 'data-dir', dir: config.dataDir }, () => holdDataDir(config.dataDir, 'server'))

// Before the port and the database: a secret that cannot be used stops the start with nothing made.
const secret = await startStep(config.databaseUrl ? { step: 'config' } : { step: 'data-dir', dir: config.dataDir }, () =>
  resolveSecret(process.env, config),
)

// Listening before the database is open: /healthz answers at once, the rest 503 until ready.
let handle: (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response> = startingAnswer
let announceReady: (port: number) => void = () => {}
let failToListen: (error: Error) => void = () => {}
const listening = new Promise<number>((resolve, reject) => {
  announceReady = resolve
  failToListen = reject
})
const server: ServerType = serve(
  { fetch: (request, env: HttpBindings | Http2Bindings) => handle(request, env), port: config.port },
  (info) => announceReady(info.port),
)
server.once('error', failToListen)
answerClientErrors(server as Server)
const port = await startStep({ step: 'listen', port: config.port }, () => listening)
logger.info('Parley is starting', { port })

const { database, openReadCache } = await openDatabase(config, logger)
const settings = new SettingsStore()
const readCacheBytes = readCacheRoom(config.readCacheBytes)
if (readCacheBytes < config.readCacheBytes) {
  logger.warn('the read cache is smaller than READ_CACHE_MB: the heap has no room for more; raise PARLEY_HEAP_MB', {
    readCacheMb: Math.floor(readCacheBytes / 2 ** 20),
  })
}
// Settings are kept for a second per instance; a change another instance made flushes the read cache, and them with it.
const readCache = readCacheBytes > 0 ? await openReadCache(readCacheBytes, () => settings.invalidate()) : undefined
// Notifications are on where SMTP_URL is set: a pooled SMTP connection, closed at shutdown.
const mail = config.mail?.smtpUrl ? nodeSmtpTransport({ url: config.mail.smtpUrl, from: config.mail.from }) : undefined
const targetFetch = guardedFetch()
const targetPolicy = { allowPrivate: config.allowPrivateTargets, resolveHost: resolveHostNode, targetFetch }
const identity = config.sso ? new PublisherTokens(config.sso, targetPolicy) : undefined
const oidc = config.oidc ? new OidcLogin(config.oidc, targetPolicy) : undefined
const deps: Deps = {
  db: database.db,
  secrets: createNodeSecrets(secret),
  settings,
  spamFilters: [],
  passwords: nativeArgon2,
  importer: { run: importComments, spool: spoolToFile() },
  resolveHost: resolveHostNode,
  targetFetch,
  clock: () => new Date(),
  logger,
  config: { ...config, listenPort: port },
  readCache: readCache?.cache,
  compress: nodeCompress,
  startGate: config.databaseUrl ? undefined : turnGate(),
  ...(mail ? { mail } : {}),
  ...(identity ? { identity } : {}),
  ...(oidc ? { oidc } : {}),
}
if (!config.databaseUrl) await ensureFirstAdmin(deps.db, deps.passwords, deps.clock())
const app = createApp(deps, nodeAppOptions)
handle = nodeFetch(app, deps)
{
  const base = config.publicUrl ?? `http://localhost:${port}`
  const engine = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
  logger.info('Parley is listening', { url: base, database: engine, docs: `${base}/docs` })
  console.log(
    `\nParley is running on ${base} (${engine})\n  API docs:   ${base}/docs\n  Demo:       ${base}/demo (the widget)\n  Plain form: ${base}/demo/plain (no JavaScript)\n  Enhanced:   ${base}/demo/enhanced (server-rendered, taken over by the widget)\n  Moderation: ${base}/admin\n`,
  )
}

const closable = closableServer(server as Server)

// Jobs (Akismet re-checks and feedback, notifications, emails, webhook deliveries, purges) run here on a timer, one run at a time.
let jobsRun: Promise<unknown> | undefined
/** One run, and more at once while a backlog remains (each run also sends mail and webhooks between). */
async function runAllJobs(): Promise<void> {
  for (;;) {
    const report = await runJobs(deps, new Date(), [...spamJobs, ...notificationJobs], mailSweeps)
    if (!report.backlog || stopping) return
  }
}
const jobsTimer = setInterval(() => {
  jobsRun ??= runAllJobs()
    .catch((error: unknown) => logger.error('jobs run failed', loggedError(error)))
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
  await closable.close()
  await jobsRun
  mail?.close()
  await readCache?.close()
  await database.close()
  logger.info('stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
