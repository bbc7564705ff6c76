import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { comments } from '../src/db/schema.js'
import type { SpamFilter } from '../src/spam/spam-filter.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings } from './support/seed.js'

// A submission whose request deadline (src/http/deadline.ts: 5 s at least) passes while it is still
// being checked: the client is answered 503, and a 503 must mean that nothing was stored.

let release: (() => void) | undefined
/** A filter that answers only when the test lets it: the comment waits in it past the deadline. */
const waitsForTheTest: SpamFilter = {
  name: 'waits-for-the-test',
  timeoutMs: 60_000,
  check: () =>
    new Promise((resolve) => {
      release = () => resolve({ verdict: 'approve', reason: 'let through by the test' })
    }),
}

/** Lets the waiting submission's filter answer, once it is waiting there. */
async function releaseFilter(): Promise<void> {
  while (!release) await sleep(10)
  release()
  release = undefined
}

const t = await setupTestApp({ spamFilters: [waitsForTheTest] })

describe('a submission past its deadline', () => {
  it('is answered 503 and not stored when the deadline passes before its commit', async () => {
    await t.setSettings(openSettings)
    t.deps.config.dbTimeoutMs = 1000
    try {
      const started = performance.now()
      const res = await t.postJson('/api/v1/articles/late/comments', { name: 'Lou', email: 'lou@example.com', body: 'Late words' })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(await res.json()).toMatchObject({ status: 503, code: 'unavailable' })
      expect(performance.now() - started).toBeGreaterThanOrEqual(4900)
      // The filter answers after all; the submission reaches its commit, which the deadline refuses.
      await releaseFilter()
      for (let waited = 0; waited < 5000 && !t.logLines.some((line) => line.includes('deadline passed before its commit')); waited += 50)
        await sleep(50)
      expect(await t.deps.db.select({ body: comments.body }).from(comments)).toEqual([])
      expect(t.logLines.filter((line) => line.includes('deadline passed before its commit'))).toHaveLength(1)
      // The client's retry is the only copy.
      const retried = t.postJson(
        '/api/v1/articles/late/comments',
        { name: 'Lou', email: 'lou@example.com', body: 'Late words' },
        {},
        '198.51.100.9',
      )
      await releaseFilter()
      expect((await retried).status).toBe(201)
      expect(await t.deps.db.select({ body: comments.body }).from(comments)).toEqual([{ body: 'Late words' }])
    } finally {
      t.deps.config.dbTimeoutMs = 5000
    }
  }, 30_000)
})
