import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import type { CheckResult, CommentStatus } from '../db/schema.js'
import type { CommentRow } from './comment-row.js'
import { pathSegment, pathSegmentSql } from './comment-path.js'
import { outboxInsert } from './event-outbox.js'

export interface NewComment {
  articleId: number
  parent: { id: number; rootId: number; path: string; depth: number } | undefined
  status: CommentStatus
  authorName: string
  authorUrl: string | null
  emailEncrypted: string | null
  emailHash: string | null
  avatar: number | null
  ip: string | null
  userAgent: string | null
  body: string
  html: string
  checks: CheckResult[]
  tokenHash: string | null
  createdAt: Date
  /** A moderator's own reply. */
  moderatorId?: number
}

/**
 * Stores a new comment in one statement: the id drawn from the sequence, the path built from it,
 * for a published comment the article's count and version bumped, and the `comment.created`
 * webhook event queued for subscribed endpoints (none: nothing inserted). One round trip, and
 * atomic without a transaction of its own.
 */
export async function insertComment(db: Db, c: NewComment): Promise<CommentRow> {
  const approved = c.status === 'approved'
  const id = sql`n.id`
  // The id is not known yet: the statement writes it into the event (0 here is replaced).
  const created = {
    type: 'comment.created' as const,
    at: c.createdAt,
    comment: {
      ...c,
      id: 0,
      parentId: c.parent?.id ?? null,
      depth: c.parent ? c.parent.depth + 1 : 0,
      editedAt: null,
      moderatorId: c.moderatorId ?? null,
    },
  }
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`
    with n as (select nextval(pg_get_serial_sequence('comments', 'id'))::int as id),
    ins as (
      insert into comments (id, article_id, parent_id, root_id, path, depth, status, shown, author_name, author_url,
        email_encrypted, email_hash, avatar, ip, user_agent, body, html, checks, token_hash, moderator_id, created_at,
        status_changed_at, ip_collected_at)
      select ${id}, ${c.articleId}, ${c.parent?.id ?? null}::int, ${c.parent ? sql`${c.parent.rootId}::int` : id},
        ${c.parent?.path ?? ''}::text || ${pathSegmentSql(c.createdAt, id)}, ${c.parent ? c.parent.depth + 1 : 0},
        ${c.status}, ${approved}, ${c.authorName}, ${c.authorUrl}, ${c.emailEncrypted}, ${c.emailHash}, ${c.avatar},
        ${c.ip}, ${c.userAgent}, ${c.body}, ${c.html}, ${JSON.stringify(c.checks)}::jsonb, ${c.tokenHash}, ${c.moderatorId ?? null}::int,
        ${c.createdAt.toISOString()}::timestamptz, ${c.createdAt.toISOString()}::timestamptz,
        ${c.ip === null && c.userAgent === null ? null : c.createdAt.toISOString()}::timestamptz
      from n
      returning id
    ),
    bump as (
      update articles set version = version + 1, comment_count = comment_count + 1
      where id = ${c.articleId} and ${approved} and exists (select 1 from ins)
    ),
    event as (${outboxInsert(created, sql`(select id from ins)`)})
    select id from ins`,
  )
  if (!row) throw new Error('comment not stored')
  return {
    id: row.id,
    articleId: c.articleId,
    parentId: c.parent?.id ?? null,
    rootId: c.parent?.rootId ?? row.id,
    path: (c.parent?.path ?? '') + pathSegment(c.createdAt, row.id),
    depth: c.parent ? c.parent.depth + 1 : 0,
    status: c.status,
    shown: approved,
    authorName: c.authorName,
    authorUrl: c.authorUrl,
    emailEncrypted: c.emailEncrypted,
    emailHash: c.emailHash,
    avatar: c.avatar,
    ip: c.ip,
    userAgent: c.userAgent,
    body: c.body,
    html: c.html,
    checks: c.checks,
    tokenHash: c.tokenHash,
    moderatorId: c.moderatorId ?? null,
    source: null,
    sourceSite: '',
    sourceId: null,
    createdAt: c.createdAt,
    editedAt: null,
    statusChangedAt: c.createdAt,
    ipCollectedAt: c.ip === null && c.userAgent === null ? null : c.createdAt,
  }
}
