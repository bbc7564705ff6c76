import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { compiledStatement } from '../db/compiled-statement.js'
import type { CheckResult, CommentStatus } from '../db/schema.js'
import type { CommentRow } from './comment-row.js'
import { pathSegment, pathSegmentOfMs } from './comment-path.js'
import { eventPayload } from './comment-events.js'
import { NOTIFY_JOB, type NotifyPayload } from './notify-outbox.js'
import { outboxInsertForRows } from './event-outbox.js'
import { newMessageId } from '../crypto/webhook-signing.js'
import { READ_CACHE_CHANNEL } from '../read-cache/read-cache.js'
import { AppError } from '../errors.js'
import { wordpressMessages } from './wordpress-messages.js'

export interface NewComment {
  articleId: number
  parent: { id: number; rootId: number; path: string; depth: number } | undefined
  status: CommentStatus
  authorName: string
  authorUrl: string | null
  emailEncrypted: string | null
  emailHash: string | null
  avatar: number | null
  /** A reader signed in with the site: their account's look-up hash, and their picture (https). */
  subjectHash?: string | null
  authorAvatarUrl?: string | null
  ip: string | null
  userAgent: string | null
  body: string
  html: string
  checks: CheckResult[]
  tokenHash: string | null
  createdAt: Date
  /** A moderator's own reply. */
  moderatorId?: number
  /** Notified on the read cache's channel when this comment commits (CommentContext.readCacheMarker). */
  readCacheMarker?: string | undefined
  /** Notifications are on: the job that emails about this comment, if anyone could want one (notify-outbox.ts). */
  notify?: NotifyPayload | null
}

/** The most comments one statement stores (comment-batches.ts gathers them). */
export const MAX_BATCH = 32

/** Each comment's values as the statement reads them (json_to_recordset's columns), with their types. */
const COLUMNS = [
  ['ord', 'int'],
  ['article_id', 'int'],
  ['parent_id', 'int'],
  ['root_id', 'int'],
  ['parent_path', 'text'],
  ['depth', 'smallint'],
  ['status', 'comment_status'],
  ['author_name', 'text'],
  ['author_url', 'text'],
  ['email_encrypted', 'text'],
  ['email_hash', 'text'],
  ['avatar', 'smallint'],
  ['subject_hash', 'text'],
  ['author_avatar_url', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
  ['body', 'text'],
  ['html', 'text'],
  ['checks', 'jsonb'],
  ['token_hash', 'text'],
  ['moderator_id', 'int'],
  ['created_at', 'timestamptz'],
  ['created_ms', 'bigint'],
  ['ip_collected_at', 'timestamptz'],
  ['event', 'jsonb'],
  ['message_id', 'text'],
  ['marker', 'text'],
  ['notify', 'jsonb'],
] as const

type Row = Record<(typeof COLUMNS)[number][0], unknown>

interface Values extends Record<string, unknown> {
  /** The comments' rows, as one JSON array. */
  rows: string
}

/**
 * Stores new comments in one statement: ids drawn from the sequence, paths built from them,
 * each published comment's article's count and version bumped (once per article, however many
 * comments it gains), a `comment.created` webhook event queued per comment for subscribed
 * endpoints (none: nothing inserted), the notification job where someone may want an email
 * (notify-outbox.ts), and the read cache's markers notified. Atomic without a
 * transaction of its own: a hot article's row stays locked only while PostgreSQL runs it.
 *
 * The articles' rows are locked first, in id order, then the parents: a moderator's change locks
 * its article, then its comments (comment-status.ts), and the other order deadlocked with it (the
 * parents' count is asked only to make PostgreSQL lock the articles before them).
 *
 * A reply is stored only if its parent is still shown, read under a share lock: a moderator who
 * holds, spams or deletes the parent meanwhile either waits for this statement (and then sees the
 * reply, keeping the parent as a placeholder) or has committed first (and the reply is refused, as
 * a reply to a held comment is). Its row comes back without an id.
 *
 * The comments come as one JSON array (json_to_recordset), so the text is the same however many
 * there are: each connection prepares it once and PostgreSQL plans it once. A VALUES list made a
 * text per batch size, planned again on every run: a third of the statement's time on a hot
 * article (pg_stat_statements, issue 16), and 28 parameters per comment for the driver to encode.
 *
 * Each marker is notified after its articles' keys, in the same statement: a listener that hears
 * the marker has heard the change it follows (the trigger's own notification of the same key, sent
 * later, is one PostgreSQL drops as a repeat within the transaction). The keys are notified inside
 * the marker's argument, which PostgreSQL evaluates before the call.
 */
const insert = compiledStatement<Values>(($) => {
  const keysFirst = sql`(select coalesce(max(k.notified::text), '') from (
        select pg_notify(${READ_CACHE_CHANNEL}, a.key) as notified from articles a
        where a.id in (select article_id from n where status = 'approved')) k)`
  return sql`
    with v as (select * from json_to_recordset(${$('rows')}::json)
      as r(${sql.raw(COLUMNS.map(([name, type]) => `${name} ${type}`).join(', '))})),
    locked as materialized (
      select a.id from articles a where a.id in (select article_id from v) order by a.id for no key update
    ),
    parents as (
      select c.id from comments c
      where c.id in (select parent_id from v where parent_id is not null) and c.shown and (select count(*) from locked) >= 0
      order by c.id
      for share of c
    ),
    n as (
      select v.*, nextval(pg_get_serial_sequence('comments', 'id'))::int as id from v
      where v.parent_id is null or v.parent_id in (select id from parents)
    ),
    ins as (
      insert into comments (id, article_id, parent_id, root_id, path, depth, status, shown, author_name, author_url,
        email_encrypted, email_hash, avatar, subject_hash, author_avatar_url, ip, user_agent, body, html, checks, token_hash,
        moderator_id, created_at, status_changed_at, ip_collected_at)
      select id, article_id, parent_id, coalesce(root_id, id), parent_path || ${pathSegmentOfMs(sql`created_ms`, sql`id`)}, depth,
        status, status = 'approved', author_name, author_url, email_encrypted, email_hash, avatar, subject_hash, author_avatar_url,
        ip, user_agent, body, html, checks, token_hash, moderator_id, created_at, created_at, ip_collected_at
      from n
      returning id
    ),
    bump as (
      update articles a set version = a.version + 1, comment_count = a.comment_count + p.published
      from (select article_id, count(*)::int as published from n where status = 'approved' group by article_id) p
      where a.id = p.article_id and exists (select 1 from ins)
    ),
    event as (${outboxInsertForRows('comment.created', sql`n`)}),
    notify as (
      insert into jobs (kind, comment_id, payload, run_at, created_at)
      select ${NOTIFY_JOB}, n.id, n.notify, n.created_at, n.created_at from n
      where n.notify is not null and n.status in ('pending', 'approved') and (
        n.notify ? 'subscribe'
        or exists (select 1 from notification_prefs p join moderators m on m.id = p.moderator_id
          where not m.disabled and (p.on_every or (n.status = 'pending' and p.on_held)))
        or (n.status = 'approved' and exists (select 1 from subscriptions s where s.article_id = n.article_id and s.kind = 'thread'))
      )
    ),
    notified as (select pg_notify(${READ_CACHE_CHANNEL}, n.marker || ${keysFirst}) from n where n.marker is not null)
    select v.ord, n.id, (select count(*) from notified) as notified from v left join n on n.ord = v.ord order by v.ord`
})

function rowOf(c: NewComment, i: number): Row {
  const created = {
    type: 'comment.created' as const,
    at: c.createdAt,
    comment: {
      ...c,
      // The id is not known yet: the statement writes it into the event.
      id: 0,
      parentId: c.parent?.id ?? null,
      depth: c.parent ? c.parent.depth + 1 : 0,
      editedAt: null,
      moderatorId: c.moderatorId ?? null,
    },
  }
  return {
    ord: i,
    article_id: c.articleId,
    parent_id: c.parent?.id ?? null,
    root_id: c.parent?.rootId ?? null,
    parent_path: c.parent?.path ?? '',
    depth: c.parent ? c.parent.depth + 1 : 0,
    status: c.status,
    author_name: c.authorName,
    author_url: c.authorUrl,
    email_encrypted: c.emailEncrypted,
    email_hash: c.emailHash,
    avatar: c.avatar,
    subject_hash: c.subjectHash ?? null,
    author_avatar_url: c.authorAvatarUrl ?? null,
    ip: c.ip,
    user_agent: c.userAgent,
    body: c.body,
    html: c.html,
    checks: c.checks,
    token_hash: c.tokenHash,
    moderator_id: c.moderatorId ?? null,
    created_at: c.createdAt.toISOString(),
    created_ms: c.createdAt.getTime(),
    ip_collected_at: c.ip === null && c.userAgent === null ? null : c.createdAt.toISOString(),
    event: eventPayload(created),
    message_id: newMessageId(),
    marker: c.readCacheMarker ?? null,
    notify: c.notify ?? null,
  }
}

function storedRow(c: NewComment, id: number): CommentRow {
  const approved = c.status === 'approved'
  return {
    id,
    articleId: c.articleId,
    parentId: c.parent?.id ?? null,
    rootId: c.parent?.rootId ?? id,
    path: (c.parent?.path ?? '') + pathSegment(c.createdAt, id),
    depth: c.parent ? c.parent.depth + 1 : 0,
    status: c.status,
    shown: approved,
    authorName: c.authorName,
    authorUrl: c.authorUrl,
    emailEncrypted: c.emailEncrypted,
    emailHash: c.emailHash,
    avatar: c.avatar,
    subjectHash: c.subjectHash ?? null,
    authorAvatarUrl: c.authorAvatarUrl ?? null,
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
    featuredAt: null,
    votes: 0,
  }
}

/**
 * Stores new comments in one statement (see insertStatement), at most MAX_BATCH: each one's row, in
 * order, or undefined for a reply whose parent is no longer shown.
 */
export async function insertComments(db: Db, comments: NewComment[]): Promise<(CommentRow | undefined)[]> {
  if (comments.length === 0) return []
  if (comments.length > MAX_BATCH) throw new Error(`at most ${MAX_BATCH} comments per statement`)
  const rows = await insert<{ ord: number; id: number | null }>(db, { rows: JSON.stringify(comments.map(rowOf)) })
  if (rows.length !== comments.length) throw new Error('comments not stored')
  return rows.map((row, i) => {
    const c = comments[i]
    if (!c || row.ord !== i) throw new Error('comments stored out of order')
    return row.id === null ? undefined : storedRow(c, row.id)
  })
}

/** Stores one new comment (insertComments): 422 `parent_not_found` when its parent is no longer shown. */
export async function insertComment(db: Db, c: NewComment): Promise<CommentRow> {
  const [row] = await insertComments(db, [c])
  if (!row) throw new AppError('parent_not_found', wordpressMessages.invalidParent)
  return row
}
