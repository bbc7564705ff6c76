import { afterAll, describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { createApp } from '../src/app.js'
import { nodeAppOptions } from '../src/runtime/node-app-options.js'
import type { Deps } from '../src/deps.js'
import { createSecrets } from '../src/crypto/secrets.js'
import { createLogger } from '../src/logger.js'
import { SettingsStore } from '../src/settings/settings-store.js'
import { openPostgres } from '../src/db/postgres.js'
import { migratePostgres } from '../src/db/migrate-postgres.js'
import { listenPostgres, type CacheListener } from '../src/read-cache/cache-listener.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'
import { importComments } from '../src/importers/import-comments.js'
import { spoolToFile } from '../src/runtime/spool-file.js'
import { defaultSessionLimits } from '../src/auth/sessions.js'
import { createThrowawayCluster } from '../bench/throwaway-cluster.js'
import { accepts } from '../bench/database-probes.js'
import { Traffic, type Sample } from '../bench/fault-traffic.js'
import { TEST_SECRET, TEST_START } from './support/test-app.js'
import { openSettings } from './support/seed.js'
import { contractChecker } from './support/contract.js'
import { serveTestApp } from './support/http-server.js'

// PostgreSQL stopped for 4 s under submissions and reads, then started again, with Parley's Node
// server in front of it, its read cache on and off. The database is a throwaway cluster of this
// file's own (initdb on a free port), never the shared one: stopping that would fail other tests.
// Run with the PostgreSQL suite (DATABASE_URL set), where PostgreSQL's binaries are known to be.

const DB_TIMEOUT_MS = 2000
/** The deadline src/http/deadline.ts derives from DB_TIMEOUT_MS. */
const DEADLINE_MS = 5000
/** Scheduling slack on a loaded 2-core machine: an answer this much past the deadline still counts as the deadline's. */
const MARGIN_MS = 1000
const RECOVERY_MS = 5000
const DOWN_MS = 4000

describe('a multi-second PostgreSQL outage', () => {
  const cleanups: (() => Promise<unknown>)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  })

  // Every answer given through the outage, 503s included, must be one the OpenAPI document describes.
  const contract = contractChecker()
  afterAll(() => contract.verify())

  /** A Parley instance on `url` as the Node entry builds one: its own pool and, when asked, its read cache. */
  async function parley(url: string, readCache: boolean, clock: () => Date) {
    const database = openPostgres({ url, poolMax: 4, timeoutMs: DB_TIMEOUT_MS })
    const logger = createLogger('silent')
    const listener: CacheListener | undefined = readCache ? listenPostgres(url, database.client, 8 * 2 ** 20, logger) : undefined
    await listener?.ready
    const deps: Deps = {
      db: database.db,
      secrets: await createSecrets(TEST_SECRET),
      settings: new SettingsStore(),
      spamFilters: [],
      passwords: nativeArgon2,
      importer: { run: importComments, spool: spoolToFile() },
      clock,
      logger,
      config: {
        publicUrl: null,
        trustProxy: null,
        cacheMaxAge: 10,
        dbTimeoutMs: DB_TIMEOUT_MS,
        sessions: defaultSessionLimits,
        akismet: null,
        turnstile: null,
        allowPrivateTargets: true,
      },
      readCache: listener?.cache,
    }
    const server = await serveTestApp({ app: createApp(undefined, nodeAppOptions), deps, contract })
    cleanups.push(async () => {
      await server.close()
      await listener?.close()
      await database.close()
    })
    return server
  }

  it('answers every request within the deadline and serves again within 5 s of the database, read cache on and off', async () => {
    const cluster = await createThrowawayCluster()
    cleanups.push(() => cluster.remove())
    await cluster.start()
    const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe('create database parley')
    await admin.end()
    const url = cluster.adminUrl.replace(/\/postgres$/, '/parley')
    await migratePostgres(url)
    const settings = new SettingsStore()
    const setup = openPostgres({ url, poolMax: 1, timeoutMs: 10_000 })
    await settings.update(setup.db, openSettings, TEST_START)
    await setup.close()

    const clock = () => TEST_START
    const servers = { on: await parley(url, true, clock), off: await parley(url, false, clock) }
    const traffic = Object.entries(servers).map(([cache, server]) => ({
      cache,
      load: new Traffic({
        baseUrl: server.url,
        writers: 2,
        readers: 1,
        keys: ['outage-a', 'outage-b'],
        hardTimeoutMs: 30_000,
        failurePauseMs: 100,
      }),
    }))
    for (const { load } of traffic) load.start()
    cleanups.push(() => Promise.all(traffic.map(({ load }) => load.stop())))

    await sleep(1000)
    await cluster.stop()
    await sleep(DOWN_MS)
    await cluster.start()
    while (!(await accepts(url))) await sleep(10)
    const back = traffic.map(({ load }) => load.now())
    // Watched until each instance has accepted a comment again, and as long as a late answer could take.
    const watchUntil = performance.now() + RECOVERY_MS + DEADLINE_MS + MARGIN_MS
    const acceptedSince = (samples: Sample[], at: number) =>
      samples.some((s) => s.kind === 'submit' && s.status === 201 && s.startedAt >= at)
    while (performance.now() < watchUntil && !traffic.every(({ load }, i) => acceptedSince(load.samples, back[i] ?? 0))) await sleep(100)
    await sleep(DEADLINE_MS + MARGIN_MS)
    await Promise.all(traffic.map(({ load }) => load.stop()))

    const outcomes = traffic.map(({ cache, load }, i) => {
      const backAt = back[i] ?? 0
      const samples = load.samples
      const took = (s: Sample) => Math.round(s.endedAt - s.startedAt)
      const failed = samples.filter((s) => s.status !== 200 && s.status !== 201)
      const accepted = samples.filter((s) => s.kind === 'submit' && s.status === 201 && s.endedAt >= backAt).map((s) => s.endedAt - backAt)
      return {
        cache,
        // The outage was felt: requests failed while the database was down.
        felt: failed.length > 0,
        // Every request answered, and none after the deadline.
        unanswered: samples.filter((s) => s.status === 0).length,
        pastDeadline: samples.filter((s) => took(s) > DEADLINE_MS + MARGIN_MS).map(took),
        // Refusals are the documented 503 unavailable with Retry-After, never a 500.
        otherFailures: failed
          .filter((s) => !(s.status === 503 && s.code === 'unavailable' && s.retryAfter === '5'))
          .map((s) => `${s.status} ${s.code ?? s.error}`),
        // Writing again within 5 s of the database accepting connections.
        firstAcceptedWithinRecovery:
          accepted.length > 0 && Math.min(...accepted) <= RECOVERY_MS ? true : `${Math.round(Math.min(...accepted))} ms`,
      }
    })
    expect(outcomes).toEqual(
      traffic.map(({ cache }) => ({
        cache,
        felt: true,
        unanswered: 0,
        pastDeadline: [],
        otherFailures: [],
        firstAcceptedWithinRecovery: true,
      })),
    )
  }, 90_000)
})
