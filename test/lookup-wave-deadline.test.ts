import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { postComment } from './support/seed.js'

// An outside tester's (test/outsider-hot-path.test.ts), on PostgreSQL only: another connection
// holds the flood marks locked past the requests' deadline while their look-up waits in its wave,
// which PGlite, one connection inside this thread, cannot stage (vitest.config.ts).
const t = await setupTestApp()
const path = (key: string) => `/api/v1/articles/${key}/comments`
let serial = 0
const fresh = () => {
  serial++
  return { name: `Burst ${serial}`, email: `burst${serial}@example.com`, body: `Burst comment ${serial}` }
}
const statuses = (responses: Response[]) => responses.map((res) => ({ status: res.status }))

describe('a wave of look-ups past the deadline', () => {
  it(
    'a burst whose deadline passes while its look-up waits: 503, nothing stored, no flood mark left behind',
    { timeout: 30_000 },
    async () => {
      await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
      await postComment(t, 'burst-late', {}, '198.51.100.200')
      t.advance(60)
      const other = postgres(t.database.url as string, { max: 1 })
      try {
        const locked = new Promise<void>((resolve, reject) => {
          other
            .begin(async (tx) => {
              await tx`lock table flood_marks in access exclusive mode`
              resolve()
              await new Promise((r) => setTimeout(r, 11_500))
            })
            .catch(reject)
        })
        await locked
        const answers = statuses(
          await Promise.all(Array.from({ length: 4 }, (_, i) => t.postJson(path('burst-late'), fresh(), {}, `198.51.102.${i + 1}`))),
        )
        expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503])
        // Let the queued statements finish after the lock is gone.
        await new Promise((r) => setTimeout(r, 2500))
        const stored = await t.deps.db
          .select()
          .from(comments)
          .where(sql`body like 'Burst comment%'`)
        expect(stored.filter((c) => c.ip?.startsWith('198.51.102.'))).toHaveLength(0)
        const retry = await t.postJson(path('burst-late'), fresh(), {}, '198.51.102.1')
        expect(retry.status).toBe(201)
      } finally {
        await other.end()
      }
    },
  )
})
