import { and, eq, gt, inArray, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { compiledStatement } from '../db/compiled-statement.js'
import { floodMarks } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { normalizeEmail } from '../crypto/secrets.js'
import { rateLimitNetwork } from '../net/ip-networks.js'

/**
 * A submission's flood keys, hashed so that the table holds no IP or email: its network (an IPv4
 * address, an IPv6 client's /64; one for every request without an address), its email, and its email from this network, which says whether
 * the email's last post came from here (see `claimSubmissionFlood`).
 */
export interface SubmissionFloodKeys {
  network: string | null
  email: string | null
  emailFromNetwork: string | null
}

export async function floodKeys(secrets: Secrets, ip: string | null, email: string | null, seconds: number): Promise<SubmissionFloodKeys> {
  if (seconds <= 0) return { network: null, email: null, emailFromNetwork: null }
  const network = ip ? rateLimitNetwork(ip) : null
  const address = email ? normalizeEmail(email) : null
  return {
    // Requests without an address (a Worker's without CF-Connecting-IP) share one network, as
    // WordPress's flood check compares comment_author_IP = '': without it, and without an email,
    // such a request had no flood mark at all (an outside tester's burst: 8 of 8 stored).
    network: await secrets.rateKey(`comment-ip:${network ?? ''}`),
    email: address === null ? null : await secrets.rateKey(`comment-email:${address}`),
    // Requests without an address share one "network" here: as before, they wait on the email's mark.
    emailFromNetwork: address === null ? null : await secrets.rateKey(`comment-email-from:${network ?? ''}|${address}`),
  }
}

const present = (keys: (string | null)[]): string[] => keys.filter((key): key is string => key !== null)

/**
 * Claims a submission's flood marks (WordPress's check_comment_flood, per network and per email):
 * - `post`: no mark is recent; all are set now;
 * - `hold`: only the email's mark is recent, and it was set from another network. Refusing would
 *   let a stranger learn that this address just commented (a 429 oracle) and keep its owner from
 *   commenting (by posting under it every few seconds); the comment is kept, held for a moderator,
 *   and only this network's own marks are set (the email's stays its earlier poster's);
 * - otherwise the seconds to wait (429), as WordPress answers the network that posted.
 */
export async function claimSubmissionFlood(
  db: Db,
  keys: SubmissionFloodKeys,
  now: Date,
  seconds: number,
  /** Whether the marks were claimed already (in the statement that looked the article up). */
  claimed?: boolean,
): Promise<'post' | 'hold' | { wait: number }> {
  const all = present([keys.network, keys.email, keys.emailFromNetwork])
  if (claimed || (await claimFlood(db, all, now, seconds))) return 'post'
  const recent = await recentKeys(db, all, now, seconds)
  const onlyTheEmail = keys.email !== null && recent.length === 1 && recent[0] === keys.email
  // A concurrent post from this network may claim its marks first: then this one waits.
  if (onlyTheEmail && (await claimFlood(db, present([keys.network, keys.emailFromNetwork]), now, seconds))) return 'hold'
  return { wait: await floodWait(db, all, now, seconds) }
}

/**
 * Gives back the marks a claim set when its comment was not stored after all (a filter that threw,
 * a database error, the deadline before COMMIT): the sender's retry must not be told to wait for a
 * post that never was. Only marks still dated by this claim go (another request's later mark
 * stays); the marks it replaced were older than the flood window, so removing them changes no wait.
 * A duplicate's 409 keeps its marks: that answer is what flood control protects.
 */
export async function releaseSubmissionFlood(db: Db, keys: SubmissionFloodKeys, claim: 'post' | 'hold', now: Date): Promise<void> {
  const claimed = present(claim === 'post' ? [keys.network, keys.email, keys.emailFromNetwork] : [keys.network, keys.emailFromNetwork])
  if (claimed.length === 0) return
  await db.delete(floodMarks).where(and(inArray(floodMarks.key, claimed), eq(floodMarks.lastAt, now)))
}

async function recentKeys(db: Db, keys: string[], now: Date, seconds: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - seconds * 1000)
  const rows = await db
    .select({ key: floodMarks.key })
    .from(floodMarks)
    .where(and(inArray(floodMarks.key, keys), gt(floodMarks.lastAt, cutoff)))
  return rows.map((row) => row.key)
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
 * The statement that marks `keys` (text values, the absent ones null) as having posted at `now`, only when every key's last
 * post is older than `cutoff` (and `when` holds): two instances racing for the same key cannot both
 * pass, and a refused attempt leaves the marks as they were (so its Retry-After is the wait it was
 * told). It returns the keys it marked; a plain INSERT, so it can stand in a caller's CTE.
 *
 * With `from`, the keys, `now`, `cutoff` and `when` are columns of its rows, one claim each (the
 * batched look-up, submission-lookup.ts); the mark a concurrent claim refreshed meanwhile is then
 * compared with `refreshBefore`, an expression of the proposed mark (`excluded`), as ON CONFLICT
 * cannot see the row that proposed it.
 */
export function claimFloodStatement({
  keys,
  now,
  cutoff,
  when,
  from,
  refreshBefore,
}: {
  keys: SQL[]
  now: SQL
  cutoff: SQL
  when?: SQL
  from?: SQL
  refreshBefore?: SQL
}): SQL {
  // One look-up by key each: the marks of the last seconds can be thousands, and with `key = any(…)`
  // the planner once chose to read them all through the last_at index, at every submission.
  const recent = keys.map(
    (key) => sql`exists (select 1 from ${floodMarks} where ${floodMarks.key} = ${key} and ${floodMarks.lastAt} > ${cutoff})`,
  )
  const each = sql`unnest(array_remove(array[${sql.join(keys, sql`, `)}], null)) as k(key)`
  // Claimed in key order: two statements claiming some of the same marks (two waves, two
  // instances) lock them in the same order, so one waits for the other and neither deadlocks.
  return sql`
    insert into ${floodMarks} (key, last_at)
    select k.key, ${now} from ${from ? sql`${from} cross join lateral ${each}` : each}
    where ${when ?? sql`true`} and not (${sql.join(recent, sql` or `)})
    order by k.key
    on conflict (key) do update set last_at = excluded.last_at where ${floodMarks.lastAt} <= ${refreshBefore ?? cutoff}
    returning key`
}

const claimStatement = compiledStatement<{ k1: string | null; k2: string | null; k3: string | null; now: string; cutoff: string }>(($) =>
  claimFloodStatement({
    keys: [sql`${$('k1')}::text`, sql`${$('k2')}::text`, sql`${$('k3')}::text`],
    now: sql`${$('now')}::timestamptz`,
    cutoff: sql`${$('cutoff')}::timestamptz`,
  }),
)

/** Marks the keys (at most three) as having posted now, if none posted within `seconds` (claimFloodStatement). */
export async function claimFlood(db: Db, keys: string[], now: Date, seconds: number): Promise<boolean> {
  if (seconds <= 0 || keys.length === 0) return true
  if (keys.length > 3) throw new Error('at most three flood keys')
  const claimed = await claimStatement<{ key: string }>(db, {
    k1: keys[0] ?? null,
    k2: keys[1] ?? null,
    k3: keys[2] ?? null,
    now: now.toISOString(),
    cutoff: new Date(now.getTime() - seconds * 1000).toISOString(),
  })
  return claimed.length === keys.length
}
