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
  recent: number
  changed: number
  votes: number | null
}

/**
 * Adds (`up`) or takes back a reader's upvote on an approved comment, in one statement: the vote's
 * row and the comment's count change together, the rate limit is read in the same snapshot, and
 * nothing else is touched (not the article: see VOTES_FRESH_MS). Voting again changes nothing.
 * Answers the comment's count now.
 */
export async function voteOnComment(
  ctx: VoteContext,
  commentId: number,
  voter: Voter,
  up: boolean,
): Promise<{ votes: number; voted: boolean }> {
  if (!ctx.enabled) throw new AppError('votes_off', 'Voting is turned off on this site.')
  const key = await voterKey(ctx.secrets, voter)
  const network = await ctx.secrets.rateKey(`vote-ip:${ctx.ip === null ? '' : rateLimitNetwork(ctx.ip)}`)
  const since = new Date(ctx.now.getTime() - MINUTE_MS).toISOString()
  const change = up
    ? sql`
      recent as (
        select count(*)::int as n from comment_votes where network = ${network} and created_at > ${since}::timestamptz
      ), changed as (
        insert into comment_votes (comment_id, voter, network, created_at)
        select id, ${key}, ${network}, ${ctx.now.toISOString()}::timestamptz from target where (select n from recent) < ${VOTES_PER_MINUTE}
        on conflict do nothing returning comment_id
      ), counted as (
        update comments set votes = votes + 1 where id in (select comment_id from changed) returning votes
      )`
    : sql`
      recent as (select 0 as n), changed as (
        delete from comment_votes where comment_id in (select id from target) and voter = ${key} returning comment_id
      ), counted as (
        update comments set votes = greatest(votes - 1, 0) where id in (select comment_id from changed) returning votes
      )`
  const [row] = await queryRows<VoteRow>(
    ctx.db,
    sql`with target as (select id, votes from comments where id = ${commentId} and status = 'approved'), ${change}
      select (select count(*) from target)::int as found, (select n from recent) as recent,
        (select count(*) from changed)::int as changed, coalesce((select votes from counted), (select votes from target)) as votes`,
  )
  if (!row || row.found === 0 || row.votes === null) throw commentNotFound()
  if (up && row.changed === 0 && row.recent >= VOTES_PER_MINUTE) {
    throw new AppError('too_fast', 'You are voting too quickly; please wait a minute.', { retryAfter: 60 })
  }
  // Already voted (up) or never had (down): the count as it is, and the reader's vote as asked.
  return { votes: row.votes, voted: up }
}
