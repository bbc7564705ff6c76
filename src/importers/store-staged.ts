import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import type { CommentStatus } from '../db/schema.js'
import { SEGMENT_LENGTH } from '../comments/comment-path.js'

export interface StoredComments {
  statuses: Record<CommentStatus, number>
  replies: number
  longestChain: number
}

/**
 * Moves the staged comments into `comments` in one statement, thread by thread so that a
 * thread's rows sit together, with `shown` already right: an approved comment and every
 * ancestor of one (a placeholder) is shown. An ancestor imported earlier is marked here too.
 * The articles' approved counts grow by what arrived and their versions change, so caches and
 * ETags refresh. No `comment.created` webhook is queued: these comments are history, not news.
 */
export async function storeStaged(db: Db, now: Date): Promise<StoredComments> {
  // Every id on an approved comment's path: the comment itself and each ancestor.
  await db.execute(sql`
    create temp table import_shown on commit drop as
    select distinct ('x' || substr(t.path, g * ${SEGMENT_LENGTH} + 13, 8))::bit(32)::int as id
    from import_tree t join import_ids i on i.seq = t.seq cross join lateral generate_series(0, t.depth) g
    where i.status = 'approved'`)
  await db.execute(sql`create index on import_shown (id)`)
  await db.execute(sql`analyze import_shown`)
  await db.execute(sql`
    insert into comments (id, article_id, parent_id, root_id, path, depth, status, shown, author_name, author_url,
      email_encrypted, email_hash, avatar, ip, user_agent, body, html, checks, moderator_id, source, source_site, source_id, created_at, edited_at,
      status_changed_at, ip_collected_at)
    select t.id, i.article_id, t.parent_id, t.root_id, t.path, t.depth, s.status, exists (select 1 from import_shown h where h.id = t.id),
      s.author_name, s.author_url, s.email_encrypted, s.email_hash, s.avatar, s.ip, s.user_agent, s.body, s.html, s.checks,
      m.id, i.source, i.source_site, i.source_id, s.created_at, s.edited_at,
      -- Retention runs from the import: spam, trash and IPs from years ago are not purged at the first job run.
      ${now.toISOString()}::timestamptz, case when s.ip is not null or s.user_agent is not null then ${now.toISOString()}::timestamptz end
    from import_tree t
    join import_ids i on i.seq = t.seq
    join import_comments s on s.seq = t.seq
    left join moderators m on m.email = s.moderator_email
    order by i.article_id, t.root_id, t.path`)
  await db.execute(sql`
    update comments c set shown = true from import_shown h
    where c.id = h.id and not c.shown and not exists (select 1 from import_tree t where t.id = h.id)`)
  await db.execute(sql`
    update articles a set comment_count = a.comment_count + d.approved, version = a.version + 1
    from (
      select i.article_id, (count(*) filter (where i.status = 'approved'))::int as approved
      from import_tree t join import_ids i on i.seq = t.seq group by i.article_id
    ) d
    where a.id = d.article_id`)

  const statuses: Record<CommentStatus, number> = { pending: 0, approved: 0, spam: 0, trash: 0 }
  const counts = await queryRows<{ status: CommentStatus; n: number }>(
    db,
    sql`
    select i.status, count(*)::int as n from import_tree t join import_ids i on i.seq = t.seq group by i.status`,
  )
  for (const row of counts) statuses[row.status] = row.n
  const [shape] = await queryRows<{ replies: number; longest: number }>(
    db,
    sql`
    select (count(*) filter (where parent_id is not null))::int as replies, coalesce(max(depth) + 1, 0)::int as longest from import_tree`,
  )
  return { statuses, replies: shape?.replies ?? 0, longestChain: shape?.longest ?? 0 }
}
