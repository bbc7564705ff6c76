import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import { AppError, commentNotFound } from '../errors.js'
import { rateLimitNetwork } from '../net/ip-networks.js'

/** Votes one network may give in a minute: a reader reading down a thread, not a script. */
export const VOTES_PER_MINUTE = 60
const MINUTE_MS = 60_000

/** The random id a reader's browser keeps (the widget's, or Parley's first-party cookie). */
export const BROWSER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/

/**
 * Who votes: a signed-in reader's account, else their network (IPv4 address, IPv6 /64) together
 * with their browser's id. Only a keyed hash of it is stored: no address, and nothing that names
 * the reader to anyone who reads the table without the key.
 */
export type Voter = { subject: string } | { ip: string | null; browserId: string }

export interface VoteContext {
  db: Db
  secrets: Secrets
  now: Date
  ip: string | null
  /** The setting `votes`. */
  enabled: boolean
}

async function voterKey(secrets: Secrets, voter: Voter): Promise<string> {
  if ('subject' in voter) return secrets.rateKey(`vote-account:${voter.subject}`)
  return secrets.rateKey(`vote-guest:${voter.ip === null ? '' : rateLimitNetwork(voter.ip)}|${voter.browserId}`)
}

interface VoteRow {
  found: number
  allowed: boolean
  /** The network's minute began then (ms): when it ends, votes are taken again. */
  started_ms: number
  changed: number
  votes: number | null
}

/**
 * Adds (`up`) or takes back a reader's upvote on an approved comment, in one statement: the vote's
 * row and the comment's count change together, and nothing else is touched (not the article: see
 * VOTES_FRESH_MS). An upvote first counts itself against its network's minute (vote_limits, a row
 * that concurrent votes from one network queue on, so a burst cannot slip past the limit). Voting
 * again changes nothing. Answers the comment's count now.
 */
export async function voteOnComment(
  ctx: VoteContext,
  commentId: number,
  voter: Voter,
  up: boolean,
): Promise<{ votes: number; voted: boolean }> {
  if (!ctx.enabled) throw new AppError('votes_off', 'Voting is turned off on this site.')
  const key = await voterKey(ctx.secrets, voter)
  const now = ctx.now.toISOString()
  const change = up
    ? sql`
      budget as (
        insert into vote_limits as l (network, started_at, votes)
        values (${await ctx.secrets.rateKey(`vote-ip:${ctx.ip === null ? '' : rateLimitNetwork(ctx.ip)}`)}, ${now}::timestamptz, 1)
        on conflict (network) do update set
          started_at = case when l.started_at <= ${now}::timestamptz - interval '1 minute' then excluded.started_at else l.started_at end,
          votes = case when l.started_at <= ${now}::timestamptz - interval '1 minute' then 1 else l.votes + 1 end
        returning votes <= ${VOTES_PER_MINUTE} as allowed, (extract(epoch from started_at) * 1000)::float8 as started_ms
      ), changed as (
        insert into comment_votes (comment_id, voter, created_at)
        select id, ${key}, ${now}::timestamptz from target where (select allowed from budget)
        on conflict do nothing returning comment_id
      ), counted as (
        update comments set votes = votes + 1 where id in (select comment_id from changed) returning votes
      )`
    : sql`
      budget as (select true as allowed, 0::float8 as started_ms), changed as (
        delete from comment_votes where comment_id in (select id from target) and voter = ${key} returning comment_id
      ), counted as (
        update comments set votes = greatest(votes - 1, 0) where id in (select comment_id from changed) returning votes
      )`
  const [row] = await queryRows<VoteRow>(
    ctx.db,
    sql`with target as (select id, votes from comments where id = ${commentId} and status = 'approved'), ${change}
      select (select count(*) from target)::int as found, (select allowed from budget) as allowed, (select started_ms from budget) as started_ms,
        (select count(*) from changed)::int as changed, coalesce((select votes from counted), (select votes from target)) as votes`,
  )
  if (!row || row.found === 0 || row.votes === null) throw commentNotFound()
  if (!row.allowed) {
    const wait = Math.max(1, Math.ceil((row.started_ms + MINUTE_MS - ctx.now.getTime()) / 1000))
    throw new AppError('too_fast', 'You are voting too quickly; please wait a minute.', { retryAfter: wait })
  }
  // Already voted (up) or never had (down): the count as it is, and the reader's vote as asked.
  return { votes: row.votes, voted: up }
}

/** The key a signed-in reader's votes are stored under: what a data request by their account finds. */
export const accountVoter = (secrets: Secrets, subject: string): Promise<string> => voterKey(secrets, { subject })

/** How many votes a voter gave. */
export async function countVotes(db: Db, voter: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from comment_votes where voter = ${voter}`)
  return row?.n ?? 0
}

/** Takes back every vote of a voter (a person's erasure), each comment's count with it; answers how many. */
export async function eraseVotes(db: Db, voter: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with gone as (delete from comment_votes where voter = ${voter} returning comment_id), counted as (
        update comments c set votes = greatest(c.votes - g.n, 0)
        from (select comment_id, count(*)::int as n from gone group by comment_id) g where c.id = g.comment_id
        returning c.id
      ) select (select count(*) from gone)::int as n, (select count(*) from counted)::int as comments`,
  )
  return row?.n ?? 0
}
