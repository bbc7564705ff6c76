import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { queryRows } from '../src/db/database.js'
import { TABLES } from './support/test-database.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

describe('the test harness', () => {
  // A table left out of the list keeps one test's rows for the next (a ban made in one test refused
  // the next test's commenter): every table the migrations make is emptied between tests.
  it('empties every table the migrations make between tests', async () => {
    const rows = await queryRows<{ name: string }>(
      t.deps.db,
      sql`select tablename as name from pg_tables where schemaname = 'public' and tablename not like '%drizzle%'`,
    )
    expect(rows.map((row) => row.name).sort()).toEqual([...TABLES].sort())
  })
})
