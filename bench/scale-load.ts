import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../src/db/database.js'
import { queryRows } from '../src/db/database.js'
import { renderBody } from '../src/comments/render-body.js'
import { body, random } from './dataset.js'
import { sealCommenters, USER_AGENT } from './seed.js'

/**
 * Grows the bench's database to scale with set-based statements (INSERT … SELECT over
 * generate_series): rows as the app stores them (sealed emails from the server's secret,
 * rendered HTML, (time, id) paths, root and depth, article counters and versions), without a
 * round trip per row. The measured articles (the base plan) are left as they were, so their
 * reads return the same pages at both sizes.
 */

export const SCALE_KEY_PREFIX = 'scale-'
const BODY_POOL = 1000
/** Rows per statement: each is one transaction, and the log shows progress between them. */
const CHUNK = 100_000

/**
 * Threads of five: a top-level comment, a reply, a reply to it, a second reply to the top, and a
 * reply to that one. By offset in the thread: the ancestors (top first), ending with itself.
 */
const THREAD: number[][] = [[0], [0, 1], [0, 1, 2], [0, 3], [0, 3, 4]]

export interface GrowPlan {
  /** Articles added (keys scale-1 … scale-N). */
  articles: number
  /** Approved comments added, in threads of five over the new articles. */
  approved: number
  /** Pending top-level comments (not shown) spread over the new articles: the moderation queue. */
  pending: number
  /** Creation time of the first new comment; later ones follow a second (pending: ten) apart. */
  start: Date
}

export interface GrowSummary {
  articles: number
  comments: number
  pending: number
  ms: number
  /** Of which: VACUUM ANALYZE, as autovacuum would have done on a live database. */
  vacuumMs: number
}

/** The fixed-width path segment of (ms, id) as SQL, the same text as pathSegment(). */
const segment = (ms: SQL, id: SQL) => sql`lpad(to_hex((${ms})::bigint), 12, '0') || lpad(to_hex((${id})::int), 8, '0')`

function poolsJson(people: Awaited<ReturnType<typeof sealCommenters>>): { people: string; bodies: string } {
  const next = random(20_270_101)
  const bodies = Array.from({ length: BODY_POOL }, (_, n) => {
    const text = body(next)
    return { n, body: text, html: renderBody(text) }
  })
  const sealed = people.map((p, n) => ({
    n,
    name: p.name,
    url: p.url,
    email_encrypted: p.emailEncrypted,
    email_hash: p.emailHash,
    avatar: p.avatar,
  }))
  return { people: JSON.stringify(sealed), bodies: JSON.stringify(bodies) }
}

const peopleCte = (json: string) => sql`people as (
  select * from jsonb_to_recordset(${json}::jsonb) as p(n int, name text, url text, email_encrypted text, email_hash text, avatar smallint)
)`
const bodiesCte = (json: string) => sql`bodies as (select * from jsonb_to_recordset(${json}::jsonb) as b(n int, body text, html text))`

/** Approved comments g in [from, to): article, thread offset, parent, path, all from g. */
function insertApproved(
  from: number,
  to: number,
  perArticle: number,
  baseId: number,
  startMs: number,
  pools: { people: string; bodies: string },
): SQL {
  const k = sql`(g % ${perArticle}) % 5`
  const top = sql`(g - ${k})`
  const idOf = (offset: number) => sql`(${baseId}::int + ${top} + ${sql.raw(String(offset))})`
  const msOf = (offset: number) => sql`(${startMs}::bigint + (${top} + ${sql.raw(String(offset))})::bigint * 1000)`
  const pathCase = sql.join(
    THREAD.map(
      (ancestors, at) =>
        sql`${sql.raw(`when ${at} then`)} ${sql.join(
          ancestors.map((o) => segment(msOf(o), idOf(o))),
          sql` || `,
        )}`,
    ),
    sql` `,
  )
  const depthCase = sql`case ${k} ${sql.join(
    THREAD.map((ancestors, at) => sql.raw(`when ${at} then ${ancestors.length - 1}`)),
    sql` `,
  )} end`
  const parentCase = sql`case ${k} when 0 then null when 1 then ${idOf(0)} when 2 then ${idOf(1)} when 3 then ${idOf(0)} else ${idOf(3)} end`
  return sql`
    with ${peopleCte(pools.people)}, ${bodiesCte(pools.bodies)}
    insert into comments (id, article_id, parent_id, root_id, path, depth, status, shown, author_name, author_url,
      email_encrypted, email_hash, avatar, ip, user_agent, body, html, created_at, status_changed_at, ip_collected_at)
    select ${baseId} + g, a.id, ${parentCase}, ${idOf(0)}, case ${k} ${pathCase} end,
      ${depthCase}, 'approved', true,
      p.name, p.url, p.email_encrypted, p.email_hash, p.avatar, '192.0.2.10', ${USER_AGENT}, b.body, b.html,
      to_timestamp((${startMs}::bigint + g::bigint * 1000) / 1000.0), to_timestamp((${startMs}::bigint + g::bigint * 1000) / 1000.0),
      to_timestamp((${startMs}::bigint + g::bigint * 1000) / 1000.0)
    from generate_series(${from}::int, ${to - 1}::int) as g
    join articles a on a.key = ${SCALE_KEY_PREFIX} || (g / ${perArticle} + 1)
    join people p on p.n = (g::bigint * 7919) % 300
    join bodies b on b.n = (g::bigint * 104729) % ${BODY_POOL}`
}

/** Pending comments h in [from, to): top-level, not shown, round robin over the new articles. */
function insertPending(
  from: number,
  to: number,
  articleCount: number,
  baseId: number,
  startMs: number,
  pools: { people: string; bodies: string },
): SQL {
  const ms = sql`(${startMs}::bigint + h::bigint * 10000 + 500)`
  return sql`
    with ${peopleCte(pools.people)}, ${bodiesCte(pools.bodies)}
    insert into comments (id, article_id, parent_id, root_id, path, depth, status, shown, author_name, author_url,
      email_encrypted, email_hash, avatar, ip, user_agent, body, html, created_at, status_changed_at, ip_collected_at)
    select ${baseId} + h, a.id, null, ${baseId} + h, ${segment(ms, sql`${baseId} + h`)}, 0, 'pending', false,
      p.name, p.url, p.email_encrypted, p.email_hash, p.avatar, '192.0.2.10', ${USER_AGENT}, b.body, b.html,
      to_timestamp(${ms} / 1000.0), to_timestamp(${ms} / 1000.0), to_timestamp(${ms} / 1000.0)
    from generate_series(${from}::int, ${to - 1}::int) as h
    join articles a on a.key = ${SCALE_KEY_PREFIX} || (h % ${articleCount} + 1)
    join people p on p.n = (h::bigint * 7919 + 17) % 300
    join bodies b on b.n = (h::bigint * 104729 + 31) % ${BODY_POOL}`
}

/** Drizzle's error quotes the statement and its parameters (the whole pools); the database's reason is enough. */
function reason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}

async function inChunks(
  total: number,
  run: (from: number, to: number) => Promise<unknown>,
  progress: (done: number) => void,
): Promise<void> {
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK)
    try {
      await run(from, to)
    } catch (error) {
      throw new Error(`growing the database failed at rows ${from}-${to}: ${reason(error)}`, { cause: error })
    }
    progress(to)
  }
}

/**
 * Builds the comments table's secondary indexes once after the load instead of row by row during
 * it, from their own definitions in the catalog (so they are exactly the migrations' indexes).
 */
async function withoutSecondaryIndexes(db: Db, log: (text: string) => void, load: () => Promise<unknown>): Promise<void> {
  const indexes = await queryRows<{ name: string; definition: string }>(
    db,
    sql`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'comments'
      and indexname not in (select conname from pg_constraint where conrelid = 'comments'::regclass)`,
  )
  for (const index of indexes) await db.execute(sql`drop index ${sql.identifier(index.name)}`)
  try {
    await load()
  } finally {
    const started = performance.now()
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`)
      // The catalog's own CREATE INDEX text, not input: nothing to parameterize.
      for (const index of indexes) await tx.execute(sql.raw(index.definition))
    })
    log(`    ${indexes.length} indexes rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
}

export async function grow(
  db: Db,
  plan: GrowPlan,
  secret: string,
  log: (text: string) => void,
  vacuum: (db: Db) => Promise<void>,
): Promise<GrowSummary> {
  const started = performance.now()
  const pools = poolsJson(await sealCommenters(secret))
  const articleCreated = new Date(plan.start.getTime() - 86_400_000)
  await db.execute(sql`
    insert into articles (key, url, title, created_at)
    select ${SCALE_KEY_PREFIX} || n, 'https://news.example/' || ${SCALE_KEY_PREFIX} || n, 'Story ' || n, ${articleCreated.toISOString()}::timestamptz
    from generate_series(1, ${plan.articles}::int) as n`)
  // Ids are taken from the table's own sequence in one block, then the sequence moves past it.
  const [last] = await queryRows<{ id: number }>(db, sql`select coalesce(max(id), 0)::int as id from comments`)
  const baseId = (last?.id ?? 0) + 1
  const perArticle = Math.ceil(plan.approved / plan.articles / 5) * 5
  const startMs = plan.start.getTime()
  const total = plan.approved + plan.pending
  const say = (done: number) =>
    log(
      `    ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} comments, ${Math.round((performance.now() - started) / 1000)} s`,
    )
  await withoutSecondaryIndexes(db, log, () =>
    db.transaction(async (tx) => {
      // The rows are consistent by construction (parents are drawn before their replies, from the
      // same formulas): the foreign-key triggers' look-ups, up to two per row, would only slow the load.
      await tx.execute(sql`set local session_replication_role = replica`)
      await inChunks(plan.approved, (from, to) => tx.execute(insertApproved(from, to, perArticle, baseId, startMs, pools)), say)
      const pendingBase = baseId + plan.approved
      await inChunks(
        plan.pending,
        (from, to) => tx.execute(insertPending(from, to, plan.articles, pendingBase, startMs, pools)),
        (done) => say(plan.approved + done),
      )
    }),
  )
  await db.execute(sql`select setval(pg_get_serial_sequence('comments', 'id'), ${baseId + total - 1}::int)`)
  // Counters as the app keeps them: approved comments, and a version bumped by each.
  await db.execute(sql`
    update articles a set comment_count = c.n, version = 1 + c.n
    from (select article_id, count(*)::int as n from comments where id >= ${baseId} and status = 'approved' group by article_id) c
    where a.id = c.article_id`)
  const vacuumStarted = performance.now()
  await vacuum(db)
  const ms = Math.round(performance.now() - started)
  return { articles: plan.articles, comments: total, pending: plan.pending, ms, vacuumMs: Math.round(performance.now() - vacuumStarted) }
}
