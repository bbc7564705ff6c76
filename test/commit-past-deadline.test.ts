import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings } from './support/seed.js'

// A submission whose COMMIT outlasts the request's deadline (src/http/deadline.ts: 5 s at least):
// once it is committing, its outcome is the answer, however late; a 503 would have the client post
// it again, or believe it lost. A commit is made slow by a deferred constraint trigger that waits,
// at COMMIT, on an advisory lock this test holds from a connection of its own: PostgreSQL waits on
// the server, so Parley's timers run meanwhile. PGlite runs every statement inside the Node thread,
// which no timer can interrupt; this file belongs to the PostgreSQL run (vitest.config.ts).

const t = await setupTestApp()
const LOCK = 48_151_623

describe('a submission whose commit outlasts its deadline', () => {
  it('is answered with its 201, not 503', async () => {
    if (t.database.url === null) throw new Error('this file needs PostgreSQL (DATABASE_URL)')
    await t.setSettings(openSettings)
    await t.deps.db.execute(
      sql.raw(`
      create function wait_for_the_test() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock(${LOCK}); return null; end $$;
      create constraint trigger commit_waits after insert on comments deferrable initially deferred
        for each row when (new.author_name = 'Slow Commit') execute function wait_for_the_test();`),
    )
    const holder = postgres(t.database.url, { max: 1, onnotice: () => {} })
    t.deps.config.dbTimeoutMs = 1000
    try {
      await holder`select pg_advisory_lock(${LOCK})`
      const started = performance.now()
      const answer = t.postJson('/api/v1/articles/slow/comments', {
        name: 'Slow Commit',
        email: 'slow@example.com',
        body: 'Stored at last',
      })
      // Past the deadline, the commit still waits on the lock: the request has not been answered.
      const early = await Promise.race([answer.then(() => 'answered'), sleep(6000).then(() => 'waiting')])
      expect(early).toBe('waiting')
      await holder`select pg_advisory_unlock(${LOCK})`
      const res = await answer
      expect(performance.now() - started).toBeGreaterThan(6000)
      expect(res.status).toBe(201)
      const { comment } = await res.json()
      expect(await t.deps.db.select({ id: comments.id, body: comments.body }).from(comments)).toEqual([
        { id: comment.id, body: 'Stored at last' },
      ])
    } finally {
      t.deps.config.dbTimeoutMs = 5000
      await holder.end()
    }
  }, 30_000)
})
