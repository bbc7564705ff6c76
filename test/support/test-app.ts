import { turnGate } from '../../src/runtime/turn-gate.js'
import { afterAll, beforeEach } from 'vitest'
import { createApp } from '../../src/app.js'
import { nodeAppOptions } from '../../src/runtime/node-app-options.js'
import type { Deps } from '../../src/deps.js'
import { nodeCompress } from '../../src/runtime/node-compress.js'
import { createSecrets } from '../../src/crypto/secrets.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { SettingsStore } from '../../src/settings/settings-store.js'
import type { Settings } from '../../src/settings/settings-schema.js'
import type { SpamFilter } from '../../src/spam/spam-filter.js'
import { testArgon2 } from './test-hasher.js'
import { importComments } from '../../src/importers/import-comments.js'
import { spoolToFile } from '../../src/runtime/spool-file.js'
import { defaultSessionLimits } from '../../src/auth/sessions.js'
import { emptyDatabase, openTestDatabase, type TestDatabase } from './test-database.js'
import { contractChecker } from './contract.js'
import { listenPglite, listenPostgres, type CacheListener } from '../../src/read-cache/cache-listener.js'

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hkdf-0123456789'
export const ORIGIN = 'http://parley.test'
/**
 * The same site as a browser signs in to it: over HTTPS. On plain http a host that is not loopback
 * gets no Secure session cookie from a browser, so the dashboard's login refuses it (and says why).
 */
export const HTTPS_ORIGIN = 'https://parley.test'
export const READER_IP = '203.0.113.7'

/**
 * Where every test's clock starts: far from the wall clock, so that a rule reading the real date
 * (a database default, `new Date()`) behind the injected clock fails. PARLEY_TEST_CLOCK moves it;
 * CI runs the suite once in the future (this default) and once in the past.
 */
export const TEST_START = new Date(process.env.PARLEY_TEST_CLOCK ?? '2031-03-14T20:00:00.000Z')
if (Number.isNaN(TEST_START.getTime())) throw new Error(`PARLEY_TEST_CLOCK is not a date: ${process.env.PARLEY_TEST_CLOCK}`)

/** The test clock's start moved by `seconds`, as an ISO string: what the API answers for it. */
export const testTime = (seconds = 0): string => new Date(TEST_START.getTime() + seconds * 1000).toISOString()

/** A read cache on this database, with its own LISTEN connection on PostgreSQL, as each Node instance has. */
export async function listenForChanges(database: TestDatabase, logger: Logger, onFlush?: () => void): Promise<CacheListener> {
  const maxBytes = 8 * 1024 * 1024
  const listener =
    database.url === null
      ? await listenPglite(database.client, maxBytes, onFlush)
      : listenPostgres(database.url, database.client, maxBytes, logger, onFlush)
  await listener.ready
  return listener
}

/** Everything a test file needs: the real app on its own database, a settable clock and the log lines. */
export async function setupTestApp(options: TestAppOptions = {}) {
  const t = await createTestApp(options)
  beforeEach(() => t.reset())
  afterAll(() => t.close())
  // Every response this file's requests saw, as /openapi.json documents it: else the file fails.
  afterAll(() => t.contract.verify())
  return t
}

export interface TestAppOptions {
  spamFilters?: SpamFilter[]
  readCache?: boolean
}

/**
 * The test app without vitest's hooks (setupTestApp adds them), for scripts such as
 * test/screenshots.ts: `reset()` empties the database and restarts the clock, `close()` ends it.
 */
export async function createTestApp(options: TestAppOptions = {}) {
  const database = await openTestDatabase()
  const logLines: string[] = []
  let now = TEST_START
  const deps: Deps = {
    db: database.db,
    secrets: await createSecrets(TEST_SECRET),
    settings: new SettingsStore(60_000),
    spamFilters: options.spamFilters ?? [],
    // argon2id at a test's cost (test-hasher.ts); a test of the production hasher sets its own.
    passwords: testArgon2,
    importer: { run: importComments, spool: spoolToFile() },
    clock: () => now,
    logger: createLogger('debug', (line) => logLines.push(line)),
    config: {
      publicUrl: null,
      trustProxy: null,
      cacheMaxAge: 10,
      dbTimeoutMs: 5000,
      sessions: { ...defaultSessionLimits },
      akismet: null,
      turnstile: null,
      allowPrivateTargets: true,
    },
    // As the Node entry runs PGlite: requests start one per event-loop turn.
    startGate: database.url ? undefined : turnGate(),
    // As the Node entry: answers compressed for clients that accept it.
    compress: nodeCompress,
  }
  // On as on Node only where asked: a test that writes around the app (not through a request) and then
  // reads must first `sync()` the cache on PostgreSQL, as the app does after each write it answers.
  const listener = !options.readCache ? undefined : await listenForChanges(database, deps.logger, () => deps.settings.invalidate())
  deps.readCache = listener?.cache
  const app = createApp(undefined, nodeAppOptions)
  const contract = contractChecker()

  const reset = async () => {
    await emptyDatabase(database)
    // The emptied tables' notification may still be on its way (PostgreSQL): nothing of the last test may be served.
    deps.readCache?.flush()
    deps.settings.invalidate()
    deps.spamFilters = options.spamFilters ?? []
    deps.passwords = testArgon2
    logLines.length = 0
    now = TEST_START
  }
  const close = async () => {
    await listener?.close()
    await database.close()
  }

  /** A request to `path` on ORIGIN, or to an absolute URL (another scheme or host). */
  const request = async (path: string, init: RequestInit = {}, remoteAddr = READER_IP) => {
    const url = /^https?:\/\//.test(path) ? path : `${ORIGIN}${path}`
    const res = await app.request(url, init, { deps, remoteAddr })
    contract.record(init.method ?? 'GET', url, res)
    return res
  }

  return {
    app,
    reset,
    close,
    contract,
    deps,
    database,
    logLines,
    request,
    /** Moves the clock on, in seconds. */
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000)
    },
    now: () => now,
    setSettings: async (patch: Partial<Settings>) => {
      const changed = await deps.settings.update(deps.db, patch, now)
      await deps.readCache?.sync()
      return changed
    },
    postJson: (path: string, body: unknown, headers: Record<string, string> = {}, remoteAddr = READER_IP) =>
      request(
        path,
        { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) },
        remoteAddr,
      ),
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>
