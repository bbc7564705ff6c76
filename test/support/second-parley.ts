import { afterAll, beforeEach } from 'vitest'
import type { Deps } from '../../src/deps.js'
import { SettingsStore } from '../../src/settings/settings-store.js'
import { ORIGIN, READER_IP, type TestApp } from './test-app.js'
import { emptyDatabase, openTestDatabase } from './test-database.js'

/**
 * A second, fresh Parley beside the test file's own: the same app and secret on another
 * database (another PGlite, or another PostgreSQL database). Where exports are imported back.
 */
export async function secondParley(t: TestApp): Promise<TestApp> {
  const database = await openTestDatabase()
  // Without the first one's read cache, which hears of the first database only.
  const deps: Deps = { ...t.deps, db: database.db, settings: new SettingsStore(60_000), readCache: undefined }
  beforeEach(async () => {
    await emptyDatabase(database)
    deps.settings.invalidate()
  })
  afterAll(() => database.close())
  const request = async (path: string, init: RequestInit = {}, remoteAddr = READER_IP) => {
    const res = await t.app.request(`${ORIGIN}${path}`, init, { deps, remoteAddr })
    t.contract.record(init.method ?? 'GET', `${ORIGIN}${path}`, res)
    return res
  }
  return {
    ...t,
    deps,
    database,
    request,
    setSettings: (patch) => deps.settings.update(deps.db, patch, deps.clock()),
    postJson: (path, body, headers = {}, remoteAddr = READER_IP) =>
      request(
        path,
        { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) },
        remoteAddr,
      ),
  }
}
