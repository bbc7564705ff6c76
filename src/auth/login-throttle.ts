import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { loginFailures } from '../db/schema.js'

export const FAILURE_WINDOW_MS = 15 * 60_000
export const FAILURES_ALLOWED = 5
const BASE_LOCK_MS = 30_000

/**
 * Seconds to wait before the next attempt for any of these keys (0: go ahead). After five
 * failures within 15 minutes each further failure doubles the wait: 30 s, 1 min, 2 min … 15 min.
 */
export async function loginWait(db: Db, keys: string[], now: Date): Promise<number> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS)
  const rows = await db
    .select({ key: loginFailures.key, failures: sql<number>`count(*)::int`, last: sql<string>`max(${loginFailures.at})` })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.at, since)))
    .groupBy(loginFailures.key)
  let wait = 0
  for (const row of rows) {
    if (row.failures < FAILURES_ALLOWED) continue
    const lock = Math.min(FAILURE_WINDOW_MS, BASE_LOCK_MS * 2 ** (row.failures - FAILURES_ALLOWED))
    const until = new Date(row.last).getTime() + lock
    wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000))
  }
  return wait
}

export async function recordLoginFailure(db: Db, keys: string[], now: Date): Promise<void> {
  await db.insert(loginFailures).values(keys.map((key) => ({ key, at: now })))
  await db.delete(loginFailures).where(lt(loginFailures.at, new Date(now.getTime() - FAILURE_WINDOW_MS)))
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.key, key))
}
