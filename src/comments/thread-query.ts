import { sql, type SQL } from 'drizzle-orm'

/**
 * `top`: the most upvoted top-level threads first (oldest first among equals); `featured`: the
 * editors' picks alone, replies as well as top-level comments, each on its own, the latest pick first.
 */
export type ThreadOrder = 'oldest' | 'newest' | 'top' | 'featured'

export interface ThreadCursor {
  /** The last comment of the previous page: its creation time (ms; `featured`: when it was picked) and id. */
  at: number
  id: number
  /** `top`: its votes. */
  votes?: number
}

export interface ThreadRow {
  article_id: number
  key: string
  url: string | null
  title: string | null
  open: boolean
  comment_policy: string | null
  comment_count: number
  /** Approved editors' picks on the article. */
  featured_count: number
  version: number
  article_created_ms: number
  id: number | null
  parent_id: number | null
  depth: number
  published: boolean
  author_name: string | null
  author_url: string | null
  avatar: number | null
  html: string | null
  by_moderator: boolean
  /** Posted signed in with the site. */
  verified: boolean
  featured: boolean
  votes: number
  /** `featured`: when it was picked (ms). */
  featured_ms: number | null
  author_avatar_url: string | null
  created_at: string
  edited_at: string | null
  path: string
  created_ms: number
  /** A published comment imported from WordPress: its id there, the anchor its old permalinks name. */
  wordpress_id: string | null
  /** The top-level comment's place on the page, from 1; the row past `limit` only says there is more. */
  n: number
}

const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)

/** A comment's votes as readers see them: an approved comment's count, none for a removed placeholder. */
const SHOWN_VOTES = sql.raw(`(case when r.status = 'approved' then r.votes else 0 end)`)

/** Which top-level comments (`featured`: which picks) a page holds, in order, one more than asked. */
function pageRows(order: ThreadOrder, limit: number, cursor: ThreadCursor | null): SQL {
  if (order === 'featured') {
    const after = cursor ? sql`and (r.featured_at, r.id) < (${new Date(cursor.at).toISOString()}::timestamptz, ${cursor.id}::int)` : sql``
    return sql`
      select r.id, (row_number() over (order by r.featured_at desc, r.id desc))::int as n
      from (
        select r.id, r.featured_at from comments r
        where r.article_id = (select id from art) and r.featured_at is not null and r.status = 'approved' ${after}
        order by r.featured_at desc, r.id desc
        limit ${limit + 1}
      ) r`
  }
  if (order === 'top') {
    // Votes readers can see (a removed placeholder's are none) descending, then time and id ascending:
    // a total order, so pages neither repeat nor skip while the counts hold still (a count that moves
    // between two pages can move its comment across them). `comments_thread_top_idx` is on this expression.
    const after = cursor
      ? sql`and (${SHOWN_VOTES} < ${cursor.votes ?? 0}::int or (${SHOWN_VOTES} = ${cursor.votes ?? 0}::int and (r.created_at, r.id) > (${new Date(cursor.at).toISOString()}::timestamptz, ${cursor.id}::int)))`
      : sql``
    return sql`
      select r.id, (row_number() over (order by r.rank desc, r.created_at, r.id))::int as n
      from (
        select r.id, ${SHOWN_VOTES} as rank, r.created_at from comments r
        where r.article_id = (select id from art) and r.parent_id is null and r.shown ${after}
        order by ${SHOWN_VOTES} desc, r.created_at, r.id
        limit ${limit + 1}
      ) r`
  }
  const newest = order === 'newest'
  const direction = sql.raw(newest ? 'desc' : 'asc')
  const after = cursor
    ? sql`and (r.created_at, r.id) ${sql.raw(newest ? '<' : '>')} (${new Date(cursor.at).toISOString()}::timestamptz, ${cursor.id}::int)`
    : sql``
  return sql`
    select r.id, (row_number() over (order by r.created_at ${direction}, r.id ${direction}))::int as n
    from (
      select r.id, r.created_at from comments r
      where r.article_id = (select id from art) and r.parent_id is null and r.shown ${after}
      order by r.created_at ${direction}, r.id ${direction}
      limit ${limit + 1}
    ) r`
}

/**
 * One statement for a whole thread page: the article, the page's top-level comments (one more
 * than asked, to know whether a next page exists), and every shown reply of each, in display
 * order. Served by `comments_thread_roots_idx` (`top`: `comments_thread_top_idx`) and
 * `comments_thread_rows_idx`; no recursion. `featured` lists the picks alone, without replies.
 */
export function threadQuery(key: string, limit: number, order: ThreadOrder, cursor: ThreadCursor | null): SQL {
  const rows =
    order === 'featured'
      ? sql`left join comments c on c.id = p.id and p.n <= ${limit + 1}`
      : sql`left join comments c on c.root_id = p.id and c.shown and (p.n <= ${limit} or c.id = p.id)`
  return sql`
    with art as (
      select id, key, url, title, open, comment_policy, comment_count, version, created_at from articles where key = ${key}
    ), page as (${pageRows(order, limit, cursor)})
    select a.id as article_id, a.key, a.url, a.title, a.open, a.comment_policy, a.comment_count, a.version,
      (select count(*) from comments f where f.article_id = a.id and f.featured_at is not null and f.status = 'approved')::int as featured_count,
      (extract(epoch from a.created_at) * 1000)::float8 as article_created_ms,
      c.id, c.parent_id, c.depth, c.status = 'approved' as published,
      case when c.status = 'approved' then c.author_name end as author_name,
      case when c.status = 'approved' then c.author_url end as author_url,
      case when c.status = 'approved' then c.avatar end as avatar,
      case when c.status = 'approved' then c.html end as html,
      c.moderator_id is not null as by_moderator,
      c.subject_hash is not null and c.status = 'approved' as verified,
      c.featured_at is not null and c.status = 'approved' as featured,
      case when c.status = 'approved' then c.votes else 0 end as votes,
      (extract(epoch from c.featured_at) * 1000)::float8 as featured_ms,
      case when c.status = 'approved' then c.author_avatar_url end as author_avatar_url,
      ${iso('c.created_at')} as created_at,
      case when c.status = 'approved' then ${iso('c.edited_at')} end as edited_at,
      c.path, (extract(epoch from c.created_at) * 1000)::float8 as created_ms,
      case when c.status = 'approved' and c.source = 'wordpress' then c.source_id end as wordpress_id, p.n
    from art a
    left join page p on true
    ${rows}
    order by p.n, c.path`
}

/** The cheap query behind a 304: the article's version alone. */
export function threadVersionQuery(key: string): SQL {
  return sql`select version, open, (extract(epoch from created_at) * 1000)::float8 as article_created_ms from articles where key = ${key}`
}
