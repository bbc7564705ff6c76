import { inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { floodMarks } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { normalizeEmail } from '../crypto/secrets.js'

/** Flood keys per IP and per email, hashed so that the table holds neither. */
export async function floodKeys(secrets: Secrets, ip: string | null, email: string | null, seconds: number): Promise<string[]> {
  const keys: string[] = []
  if (seconds <= 0) return keys
  if (ip) keys.push(await secrets.rateKey(`comment-ip:${ip}`))
  if (email) keys.push(await secrets.rateKey(`comment-email:${normalizeEmail(email)}`))
  return keys
}

/** Seconds until these keys may post again (0: now). A read only: the claim below decides. */
export async function floodWait(db: Db, keys: string[], now: Date, seconds: number): Promise<number> {
  if (seconds <= 0 || keys.length === 0) return 0
  const rows = await db.select({ lastAt: floodMarks.lastAt }).from(floodMarks).where(inArray(floodMarks.key, keys))
  const last = Math.max(0, ...rows.map((row) => row.lastAt.getTime()))
  const wait = last + seconds * 1000 - now.getTime()
  return wait > 0 ? Math.ceil(wait / 1000) : 0
}

/**
 * Marks the keys as having posted now, only where the last post is old enough; inside the
 * submission's transaction, so that two instances racing for the same key cannot both pass.
 */
export async function claimFlood(db: Db, keys: string[], now: Date, seconds: number): Promise<boolean> {
  if (seconds <= 0 || keys.length === 0) return true
  const cutoff = new Date(now.getTime() - seconds * 1000)
  const claimed = await db
    .insert(floodMarks)
    .values(keys.map((key) => ({ key, lastAt: now })))
    .onConflictDoUpdate({
      target: floodMarks.key,
      set: { lastAt: sql`excluded.last_at` },
      setWhere: sql`${floodMarks.lastAt} <= ${cutoff.toISOString()}::timestamptz`,
    })
    .returning({ key: floodMarks.key })
  return claimed.length === keys.length
}
