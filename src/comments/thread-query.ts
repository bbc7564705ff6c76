import { sql, type SQL } from 'drizzle-orm'

export type ThreadOrder = 'oldest' | 'newest'

export interface ThreadCursor {
  /** The last top-level comment of the previous page: its creation time (ms) and id. */
  at: number
  id: number
}

export interface ThreadRow {
  article_id: number
  key: string
  url: string | null
  title: string | null
  open: boolean
  comment_count: number
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

/**
 * One statement for a whole thread page: the article, the page's top-level comments (one more
 * than asked, to know whether a next page exists), and every shown reply of each, in display
 * order. Served by `comments_thread_roots_idx` and `comments_thread_rows_idx`; no recursion.
 */
export function threadQuery(key: string, limit: number, order: ThreadOrder, cursor: ThreadCursor | null): SQL {
  const newest = order === 'newest'
  const direction = sql.raw(newest ? 'desc' : 'asc')
  const after = cursor
    ? sql`and (r.created_at, r.id) ${sql.raw(newest ? '<' : '>')} (${new Date(cursor.at).toISOString()}::timestamptz, ${cursor.id}::int)`
    : sql``
  return sql`
    with art as (
      select id, key, url, title, open, comment_count, version, created_at from articles where key = ${key}
    ), page as (
      select r.id, (row_number() over (order by r.created_at ${direction}, r.id ${direction}))::int as n
      from (
        select r.id, r.created_at from comments r
        where r.article_id = (select id from art) and r.parent_id is null and r.shown ${after}
        order by r.created_at ${direction}, r.id ${direction}
        limit ${limit + 1}
      ) r
    )
    select a.id as article_id, a.key, a.url, a.title, a.open, a.comment_count, a.version,
      (extract(epoch from a.created_at) * 1000)::float8 as article_created_ms,
      c.id, c.parent_id, c.depth, c.status = 'approved' as published,
      case when c.status = 'approved' then c.author_name end as author_name,
      case when c.status = 'approved' then c.author_url end as author_url,
      case when c.status = 'approved' then c.avatar end as avatar,
      case when c.status = 'approved' then c.html end as html,
      c.moderator_id is not null as by_moderator,
      ${iso('c.created_at')} as created_at,
      case when c.status = 'approved' then ${iso('c.edited_at')} end as edited_at,
      c.path, (extract(epoch from c.created_at) * 1000)::float8 as created_ms,
      case when c.status = 'approved' and c.source = 'wordpress' then c.source_id end as wordpress_id, p.n
    from art a
    left join page p on true
    left join comments c on c.root_id = p.id and c.shown and (p.n <= ${limit} or c.id = p.id)
    order by p.n, c.path`
}

/** The cheap query behind a 304: the article's version alone. */
export function threadVersionQuery(key: string): SQL {
  return sql`select version, open, (extract(epoch from created_at) * 1000)::float8 as article_created_ms from articles where key = ${key}`
}
