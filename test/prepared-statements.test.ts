import { describe, expect, it } from 'vitest'
import type postgres from 'postgres'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'

// src/db/prepared-statements.ts makes drizzle's statements named, prepared ones (one round trip once a
// connection knows them, instead of two and a parse and plan each time). Nothing else would notice
// if a drizzle or postgres.js upgrade stopped that: every request still works, only slower. So this
// asks PostgreSQL itself. PostgreSQL run only (vitest.config.ts): PGlite has no pool and no round trips.

const t = await setupTestApp()

interface Prepared {
  statement: string
  uses: number
}

/**
 * What each connection of the app's pool has prepared, read on that connection itself
 * (pg_prepared_statements shows a session its own only): the pool's every connection is reserved at
 * once, so that none is missed, and asked unprepared, so that the question is not among the answers.
 */
async function preparedOnPool(pool: postgres.Sql, size: number): Promise<Prepared[][]> {
  const reserved = await Promise.all(Array.from({ length: size }, () => pool.reserve()))
  try {
    return await Promise.all(
      reserved.map((connection) =>
        connection
          .unsafe<{ statement: string; uses: string }[]>(
            'select statement, generic_plans + custom_plans as uses from pg_prepared_statements',
            [],
            { prepare: false },
          )
          .then((rows) => rows.map((row) => ({ statement: row.statement, uses: Number(row.uses) }))),
      ),
    )
  } finally {
    for (const connection of reserved) connection.release()
  }
}

describe('prepared statements on PostgreSQL', () => {
  it("are really prepared on the app's pooled connections, and used again", async () => {
    const database = t.database
    if (database.url === null) throw new Error('this file runs on PostgreSQL only (vitest.config.ts)')
    await t.setSettings(openSettings)
    const posted = await postComment(t, 'prepared')
    for (let i = 0; i < 5; i++) {
      expect((await t.request('/api/v1/articles/prepared/comments')).status).toBe(200)
      expect(
        (await t.request(`/api/v1/comments/${posted.comment.id}`, { headers: { Authorization: `Bearer ${posted.token}` } })).status,
      ).toBe(200)
    }

    // The test app's pool holds 10 connections (test/support/test-database.ts).
    const perConnection = await preparedOnPool(database.client, 10)
    const all = perConnection.flat()
    expect(all.length, 'statements prepared on the pool').toBeGreaterThan(0)
    // The app's own statements (drizzle quotes every table), one of them used more than once.
    expect(all.filter((p) => p.statement.includes('"comments"')).length).toBeGreaterThan(0)
    expect(Math.max(...all.map((p) => p.uses))).toBeGreaterThan(1)
  })
})
