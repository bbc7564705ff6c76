import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { floodMarks } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'

// Flood control claims its marks before anything else can answer (so a 409 costs the sender a
// wait, see submit-comment.ts); a comment that is then not stored must not cost one. The store
// is made to fail by a trigger that refuses one author's row, on PGlite and on PostgreSQL alike.

const t = await setupTestApp()

describe('a submission whose comment could not be stored', () => {
  it('leaves no flood mark: the retry from the same network and email is taken, not told to wait', async () => {
    await t.deps.db.execute(
      sql.raw(`
      create function refuse_for_the_test() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test'; end $$`),
    )
    await t.deps.db.execute(
      sql.raw(`
      create trigger store_fails before insert on comments
        for each row when (new.author_name = 'Unlucky Reader') execute function refuse_for_the_test();`),
    )
    const post = { name: 'Unlucky Reader', email: 'unlucky@example.com', body: 'Posted once, stored at the second try' }
    const failed = await t.postJson('/api/v1/articles/flood-release/comments', post)
    expect(failed.status).toBeGreaterThanOrEqual(500)
    expect(await t.deps.db.select().from(floodMarks)).toEqual([])

    await t.deps.db.execute(sql.raw('drop trigger store_fails on comments'))
    const retry = await t.postJson('/api/v1/articles/flood-release/comments', post)
    expect(retry.status).toBe(201)
    // The stored comment's marks are kept: the next post from here waits, as WordPress has it.
    const next = await t.postJson('/api/v1/articles/flood-release/comments', { ...post, body: 'And another' })
    expect(next.status).toBe(429)
  })

  it('keeps the marks of a duplicate: a 409 costs its sender the same wait as a post', async () => {
    const post = { name: 'Twice Reader', email: 'twice@example.com', body: 'Said once' }
    expect((await t.postJson('/api/v1/articles/flood-release/comments', post)).status).toBe(201)
    t.advance(60)
    expect((await t.postJson('/api/v1/articles/flood-release/comments', post)).status).toBe(409)
    expect((await t.postJson('/api/v1/articles/flood-release/comments', { ...post, body: 'Something new' })).status).toBe(429)
  })
})
