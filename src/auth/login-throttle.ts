import { and, gt, inArray, lt, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { loginFailures } from '../db/schema.js'

const FAILURE_WINDOW_MS = 15 * 60_000
const BASE_LOCK_MS = 30_000

/** A throttled key (a keyed hash) and how many failures it may have within 15 minutes. */
export interface ThrottleKey {
  key: string
  allowed: number
}

/**
 * Seconds to wait before the next attempt for any of these keys (0: go ahead), not counting the
 * rows of `own`. Past a key's allowance of failures within 15 minutes, each further failure
 * doubles the wait: 30 s, 1 min, 2 min … 15 min.
 */
async function loginWait(db: Db, throttled: ThrottleKey[], now: Date, own: number[] = []): Promise<number> {
  const allowed = new Map(throttled.map((t) => [t.key, t.allowed]))
  const keys = [...allowed.keys()]
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS)
  const rows = await db
    .select({ key: loginFailures.key, failures: sql<number>`count(*)::int`, last: sql<string>`max(${loginFailures.at})` })
    .from(loginFailures)
    .where(
      and(inArray(loginFailures.key, keys), gt(loginFailures.at, since), own.length > 0 ? notInArray(loginFailures.id, own) : undefined),
    )
    .groupBy(loginFailures.key)
  let wait = 0
  for (const row of rows) {
    const allowance = allowed.get(row.key) ?? 0
    if (row.failures < allowance) continue
    const lock = Math.min(FAILURE_WINDOW_MS, BASE_LOCK_MS * 2 ** Math.min(20, row.failures - allowance))
    const until = new Date(row.last).getTime() + lock
    wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000))
  }
  return wait
}

/**
 * Claims a login attempt for these keys: `attempt` holds its rows, which count as a failure until
 * withdrawn, or `wait` says how many seconds to wait first. The attempt is recorded *before* the
 * password is checked, so that attempts in flight count one another: checking first and recording
 * after let a burst of simultaneous guesses all pass the check.
 */
export async function claimLoginAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<{ attempt: number[]; wait: number }> {
  // A key already locked costs a read, not a write.
  const locked = await loginWait(db, keys, now)
  if (locked > 0) return { attempt: [], wait: locked }
  const rows = await db
    .insert(loginFailures)
    .values(keys.map(({ key }) => ({ key, at: now })))
    .returning({ id: loginFailures.id })
  const attempt = rows.map((row) => row.id)
  const wait = await loginWait(db, keys, now, attempt)
  if (wait > 0) {
    await withdrawLoginAttempt(db, attempt)
    return { attempt: [], wait }
  }
  await db.delete(loginFailures).where(lt(loginFailures.at, new Date(now.getTime() - FAILURE_WINDOW_MS)))
  return { attempt, wait: 0 }
}

/** An attempt that succeeded is no failure. */
export async function withdrawLoginAttempt(db: Db, attempt: number[]): Promise<void> {
  if (attempt.length > 0) await db.delete(loginFailures).where(inArray(loginFailures.id, attempt))
}

export async function clearLoginFailures(db: Db, keys: string[]): Promise<void> {
  await db.delete(loginFailures).where(inArray(loginFailures.key, keys))
}
