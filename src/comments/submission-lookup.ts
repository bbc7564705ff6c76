import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { compiledStatement } from '../db/compiled-statement.js'
import type { Article } from '../articles/articles.js'
import type { ParentPlace } from './comment-path.js'
import { claimFloodStatement, type SubmissionFloodKeys } from './flood-control.js'
import type { MatchedRule, RuleKey } from './commenter-rule-match.js'

/** One submission's question, as one row of the statement's JSON (json_to_recordset's columns below). */
interface LookupRequest {
  ord: number
  key: string
  body: string
  parent_id: number | null
  email_hash: string | null
  name: string
  k1: string | null
  k2: string | null
  k3: string | null
  now: string
  cutoff: string
  /** Articles created before it are closed by age (settings' closeAfterDays): null, none is. */
  opened_after: string | null
  /** The commenter's keys for the bans and trust (commenter-rule-match.ts), null where they have none of a kind. */
  r_email: string | null
  r_account: string | null
  r_ip: string | null
  r_network: string | null
  r_domain: string | null
}

const REQUEST_COLUMNS =
  'ord int, key text, body text, parent_id int, email_hash text, name text, k1 text, k2 text, k3 text, ' +
  'now timestamptz, cutoff timestamptz, opened_after timestamptz, r_email text, r_account text, r_ip text, r_network text, r_domain text'

interface LookupRow {
  ord: number
  id: number | null
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
 * For each submission of a batch (lookup-batches.ts gathers them): the article, the commenter's
 * bans and trust, the parent (an approved comment of the article), the duplicates (as WordPress:
 * same article, parent and text, from the same name or email, not in the trash; a missing email
 * matches no row's, so the name alone decides then), and the flood marks claimed where both are
 * there and the article is open (by hand and by age): every submission learns everything in one round
 * trip, and a wave of them in one statement.
 *
 * The submissions come as one JSON array, so the text is one for any number of them (prepared and
 * planned once). Every look-up by a submission's values is a LATERAL or correlated subquery: a
 * nested loop of index look-ups per submission, whatever row count the planner guesses for the
 * array. No two submissions of a batch share a flood key (lookup-batches.ts), so the claim's
 * INSERT … ON CONFLICT never meets one row twice; its refresh of an old mark compares it with
 * the flood window of the batch (`seconds`, one per batch), as each claim's own cutoff.
 */
const lookup = compiledStatement<{ requests: string; seconds: number }>(
  ($) => sql`
  with r as (select * from json_to_recordset(${$('requests')}::json) as r(${sql.raw(REQUEST_COLUMNS)})),
  p as (
    select r.ord, c.id, c.root_id, c.path, c.depth from r
    cross join lateral (
      select c.id, c.root_id, c.path, c.depth from articles a join comments c on c.article_id = a.id
      where a.key = r.key and c.id = r.parent_id and c.status = 'approved'
    ) c
  ),
  claim as (${claimFloodStatement({
    keys: [sql`r.k1`, sql`r.k2`, sql`r.k3`],
    now: sql`r.now`,
    cutoff: sql`r.cutoff`,
    from: sql`r`,
    when: sql`exists (select 1 from articles a where a.key = r.key and a.open and (r.opened_after is null or a.created_at > r.opened_after))
      and (r.parent_id is null or exists (select 1 from p where p.ord = r.ord))`,
    refreshBefore: sql`excluded.last_at - make_interval(secs => ${$('seconds')}::float8)`,
  })})
  select r.ord, a.id, a.key, a.url, a.title, a.details_verified, a.open, a.comment_policy, a.moderation, a.comment_count, a.version, a.created_at,
    (select array_agg(c.ip) from comments c
     where c.article_id = a.id and md5(c.body) = md5(r.body) and c.body = r.body
       and c.parent_id is not distinct from r.parent_id and c.status <> 'trash'
       and (c.email_hash = r.email_hash or c.author_name = r.name)) as duplicate_ips,
    p.id as parent_id, p.root_id as parent_root_id, p.path as parent_path, p.depth as parent_depth,
    (select count(*) from claim where claim.key in (r.k1, r.k2, r.k3)) as claimed,
    (select coalesce(json_agg(json_build_object('id', cr.id, 'kind', cr.kind, 'action', cr.action, 'reason', cr.reason)), '[]')
     from commenter_rules cr
     where (cr.kind, cr.match_key) in (('email', r.r_email), ('account', r.r_account), ('ip', r.r_ip),
         ('network', r.r_network), ('domain', r.r_domain))
       and (cr.expires_at is null or cr.expires_at > r.now)) as rules
  from r
  left join lateral (select * from articles a where a.key = r.key) a on true
  left join p on p.ord = r.ord
  order by r.ord`,
)

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

/** One submission's question (lookUpSubmissions). */
export interface LookupQuestion {
  values: { key: string; body: string; parentId: number | null; emailHash: string | null; name: string; openedAfter: Date | null }
  flood: { keys: SubmissionFloodKeys; now: Date; seconds: number }
  ruleKeys: readonly RuleKey[]
}

function requestOf({ values, flood, ruleKeys }: LookupQuestion, ord: number): LookupRequest {
  const keyOf = (kind: RuleKey['kind']) => ruleKeys.find((rule) => rule.kind === kind)?.key ?? null
  return {
    ord,
    key: values.key,
    body: values.body,
    parent_id: values.parentId,
    email_hash: values.emailHash,
    name: values.name,
    k1: flood.keys.network,
    k2: flood.keys.email,
    k3: flood.keys.emailFromNetwork,
    now: flood.now.toISOString(),
    cutoff: new Date(flood.now.getTime() - flood.seconds * 1000).toISOString(),
    opened_after: values.openedAfter?.toISOString() ?? null,
    r_email: keyOf('email'),
    r_account: keyOf('account'),
    r_ip: keyOf('ip'),
    r_network: keyOf('network'),
    r_domain: keyOf('domain'),
  }
}

function answerOf(row: LookupRow, { flood }: LookupQuestion): SubmissionLookup | undefined {
  if (row.id === null) return undefined
  const { network, email, emailFromNetwork } = flood.keys
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

/**
 * What each submission needs to know before its rules run (see `lookup`), in order; undefined for
 * an unknown article. One flood window (`seconds`) and no flood key twice in the batch.
 */
export async function lookUpSubmissions(db: Db, questions: readonly LookupQuestion[]): Promise<(SubmissionLookup | undefined)[]> {
  const seconds = questions[0]?.flood.seconds ?? 0
  if (questions.some((q) => q.flood.seconds !== seconds)) throw new Error('one flood window per batch')
  const rows = await lookup<LookupRow>(db, { requests: JSON.stringify(questions.map(requestOf)), seconds })
  if (rows.length !== questions.length) throw new Error('a look-up per submission')
  return rows.map((row, i) => {
    const question = questions[i]
    if (!question || row.ord !== i) throw new Error('look-ups answered out of order')
    return answerOf(row, question)
  })
}
