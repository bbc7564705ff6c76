import { afterAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { createApp } from '../src/app.js'
import { nodeAppOptions } from '../src/runtime/node-app-options.js'
import type { Deps } from '../src/deps.js'
import { createSecrets } from '../src/crypto/secrets.js'
import { createLogger } from '../src/logger.js'
import { SettingsStore } from '../src/settings/settings-store.js'
import { openPostgres } from '../src/db/postgres.js'
import { TEST_SECRET } from './support/test-app.js'
import { contractChecker } from './support/contract.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'
import { importComments } from '../src/importers/import-comments.js'
import { spoolToFile } from '../src/runtime/spool-file.js'
import { defaultSessionLimits } from '../src/auth/sessions.js'

// A port where nothing listens (refused at once), and a server that accepts and never answers (a hang).
const refused = openPostgres({ url: 'postgres://postgres@127.0.0.1:1/test', poolMax: 2, timeoutMs: 1000 })
const silent: Server = createServer(() => {})
await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
const silentPort = (silent.address() as { port: number }).port
const hanging = openPostgres({ url: `postgres://postgres@127.0.0.1:${silentPort}/test`, poolMax: 2, timeoutMs: 1000 })

afterAll(async () => {
  await Promise.all([refused.close(), hanging.close()])
  silent.close()
})

const depsFor = async (db: Deps['db']): Promise<Deps> => ({
  db,
  secrets: await createSecrets(TEST_SECRET),
  settings: new SettingsStore(),
  spamFilters: [],
  passwords: nativeArgon2,
  importer: { run: importComments, spool: spoolToFile() },
  clock: () => new Date(),
  logger: createLogger('silent'),
  config: {
    publicUrl: null,
    trustProxy: null,
    cacheMaxAge: 10,
    dbTimeoutMs: 1000,
    sessions: defaultSessionLimits,
    akismet: null,
    turnstile: null,
    allowPrivateTargets: true,
  },
})

const contract = contractChecker()
afterAll(() => contract.verify())

describe('when the database is unreachable', () => {
  const app = createApp(undefined, nodeAppOptions)
  for (const [name, database] of [
    ['refuses connections', refused],
    ['never answers', hanging],
  ] as const) {
    it(`answers 503 unavailable with Retry-After when it ${name}, and /healthz stays up`, async () => {
      const deps = await depsFor(database.db)
      const sent: [string, RequestInit][] = [
        ['/api/v1/articles/a/comments', {}],
        [
          '/api/v1/articles/a/comments',
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ name: 'Ann', email: 'ann@example.com', body: 'Hello' }),
          },
        ],
        ['/api/v1/counts?keys=a', {}],
        ['/readyz', {}],
      ]
      const answers = await Promise.all(
        sent.map(async ([path, init]) => {
          const res = await app.request(`http://parley.test${path}`, init, { deps })
          contract.record(init.method ?? 'GET', `http://parley.test${path}`, res)
          return res
        }),
      )
      for (const res of answers) {
        expect(res.status).toBe(503)
        expect(res.headers.get('retry-after')).toBe('5')
        expect(await res.json()).toMatchObject({ status: 503, code: 'unavailable' })
      }
      expect((await app.request('http://parley.test/healthz', {}, { deps })).status).toBe(200)
      // A hang fails the test: answers must come within the request deadline, not a driver's retries.
    }, 15_000)
  }
})
