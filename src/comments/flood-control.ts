import { inArray, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { floodMarks } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { normalizeEmail } from '../crypto/secrets.js'
import { rateLimitNetwork } from '../privacy/ip-networks.js'

/** Flood keys per IP (an IPv6 client's /64) and per email, hashed so that the table holds neither. */
export async function floodKeys(secrets: Secrets, ip: string | null, email: string | null, seconds: number): Promise<string[]> {
  const keys: string[] = []
  if (seconds <= 0) return keys
  if (ip) keys.push(await secrets.rateKey(`comment-ip:${rateLimitNetwork(ip)}`))
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
 * Marks the keys as having posted now, in one statement and only when every key's last post is
 * old enough: two instances racing for the same key cannot both pass, and a refused attempt
 * leaves the marks as they were (so its Retry-After is the wait it was told).
 */
export async function claimFlood(db: Db, keys: string[], now: Date, seconds: number): Promise<boolean> {
  if (seconds <= 0 || keys.length === 0) return true
  const cutoff = new Date(now.getTime() - seconds * 1000).toISOString()
  const claimed = await queryRows<{ key: string }>(db, sql`
    with recent as (
      select 1 from ${floodMarks} where ${inArray(floodMarks.key, keys)} and ${floodMarks.lastAt} > ${cutoff}::timestamptz limit 1
    )
    insert into ${floodMarks} (key, last_at)
    select key, ${now.toISOString()}::timestamptz from unnest(array[${sql.join(keys.map((key) => sql`${key}`), sql`, `)}]::text[]) as key
    where not exists (select 1 from recent)
    on conflict (key) do update set last_at = excluded.last_at where ${floodMarks.lastAt} <= ${cutoff}::timestamptz
    returning key`)
  return claimed.length === keys.length
}
