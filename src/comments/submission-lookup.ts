import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { compiledStatement } from '../db/compiled-statement.js'
import type { Article } from '../articles/articles.js'
import type { ParentPlace } from './comment-path.js'
import { claimFloodStatement, type SubmissionFloodKeys } from './flood-control.js'
import type { MatchedRule, RuleKey } from './commenter-rule-match.js'

interface LookupValues extends Record<string, unknown> {
  key: string
  body: string
  parentId: number | null
  emailHash: string | null
  name: string
  k1: string | null
  k2: string | null
  k3: string | null
  now: string
  cutoff: string
  /** The commenter's keys for the bans and trust (commenter-rule-match.ts), null where they have none of a kind. */
  rEmail: string | null
  rAccount: string | null
  rIp: string | null
  rNetwork: string | null
  rDomain: string | null
}

interface LookupRow {
  id: number
  key: string
  url: string | null
  title: string | null
  details_verified: boolean
  open: boolean
  comment_policy: string | null
  moderation: 'hold' | null
  comment_count: number
  version: number
  created_at: string | Date
  duplicate_ips: (string | null)[] | null
  parent_id: number | null
  parent_root_id: number | null
  parent_path: string | null
  parent_depth: number | null
  claimed: number | string
  rules: MatchedRule[] | string
}

/**
 * The article, the commenter's bans and trust, the parent (an approved comment of the article), the duplicates (as WordPress: same
 * article, parent and text, from the same name or email, not in the trash; a missing email matches
 * no row's, so the name alone decides then), and the flood marks claimed where both are there and
 * the article is not closed by hand: the usual submission learns everything in one round trip.
 */
const lookup = compiledStatement<LookupValues>(($) => {
  const parentId = sql`${$('parentId')}::int`
  return sql`
  with a as (select * from articles where key = ${$('key')}::text),
  p as (
    select c.id, c.root_id, c.path, c.depth from comments c, a
    where c.id = ${parentId} and c.article_id = a.id and c.status = 'approved'
  ),
  claim as (${claimFloodStatement({
    keys: [sql`${$('k1')}::text`, sql`${$('k2')}::text`, sql`${$('k3')}::text`],
    now: sql`${$('now')}::timestamptz`,
    cutoff: sql`${$('cutoff')}::timestamptz`,
    when: sql`exists (select 1 from a where a.open) and (${parentId} is null or exists (select 1 from p))`,
  })})
  select a.id, a.key, a.url, a.title, a.details_verified, a.open, a.comment_policy, a.moderation, a.comment_count, a.version, a.created_at,
    (select array_agg(c.ip) from comments c
     where c.article_id = a.id and md5(c.body) = md5(${$('body')}::text) and c.body = ${$('body')}::text
       and c.parent_id is not distinct from ${parentId} and c.status <> 'trash'
       and (c.email_hash = ${$('emailHash')}::text or c.author_name = ${$('name')}::text)) as duplicate_ips,
    p.id as parent_id, p.root_id as parent_root_id, p.path as parent_path, p.depth as parent_depth,
    (select count(*) from claim) as claimed,
    (select coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'action', r.action, 'reason', r.reason)), '[]')
     from commenter_rules r
     where (r.kind, r.match_key) in (('email', ${$('rEmail')}::text), ('account', ${$('rAccount')}::text), ('ip', ${$('rIp')}::text),
         ('network', ${$('rNetwork')}::text), ('domain', ${$('rDomain')}::text))
       and (r.expires_at is null or r.expires_at > ${$('now')}::timestamptz)) as rules
  from a left join p on true`
})

export interface SubmissionLookup {
  article: Article
  duplicateIps: (string | null)[]
  /** The approved comment replied to, when it is one of this article's. */
  parent: ParentPlace | undefined
  /** Whether every flood mark was claimed (for an open article and a parent found, with keys to claim). */
  claimed: boolean
  /** The bans and trust in force that match the commenter. */
  rules: MatchedRule[]
}

/** What a submission needs to know before its rules run (see `lookup`); undefined for an unknown article. */
export async function lookUpSubmission(
  db: Db,
  values: { key: string; body: string; parentId: number | null; emailHash: string | null; name: string },
  flood: { keys: SubmissionFloodKeys; now: Date; seconds: number },
  ruleKeys: readonly RuleKey[],
): Promise<SubmissionLookup | undefined> {
  const { network, email, emailFromNetwork } = flood.keys
  const keyOf = (kind: RuleKey['kind']) => ruleKeys.find((rule) => rule.kind === kind)?.key ?? null
  const [row] = await lookup<LookupRow>(db, {
    ...values,
    rEmail: keyOf('email'),
    rAccount: keyOf('account'),
    rIp: keyOf('ip'),
    rNetwork: keyOf('network'),
    rDomain: keyOf('domain'),
    k1: network,
    k2: email,
    k3: emailFromNetwork,
    now: flood.now.toISOString(),
    cutoff: new Date(flood.now.getTime() - flood.seconds * 1000).toISOString(),
  })
  if (!row) return undefined
  const keys = [network, email, emailFromNetwork].filter((key) => key !== null).length
  return {
    article: {
      id: row.id,
      key: row.key,
      url: row.url,
      title: row.title,
      detailsVerified: row.details_verified,
      open: row.open,
      commentPolicy: row.comment_policy,
      moderation: row.moderation,
      commentCount: row.comment_count,
      version: row.version,
      createdAt: new Date(row.created_at),
    },
    duplicateIps: row.duplicate_ips ?? [],
    parent:
      row.parent_id === null || row.parent_root_id === null || row.parent_path === null || row.parent_depth === null
        ? undefined
        : { id: row.parent_id, rootId: row.parent_root_id, path: row.parent_path, depth: row.parent_depth },
    claimed: keys > 0 && Number(row.claimed) === keys,
    // PGlite answers json as text, postgres.js parses it.
    rules: typeof row.rules === 'string' ? (JSON.parse(row.rules) as MatchedRule[]) : row.rules,
  }
}
