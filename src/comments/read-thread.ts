import type { Db } from '../db/database.js'
import { effectivePolicy, type CommentPolicy } from '../settings/comment-policy.js'
import { queryRows } from '../db/database.js'
import { closesAt, isOpen } from '../articles/articles.js'
import type { LoadedSettings } from '../settings/settings-store.js'
import type { ThreadComment } from './public-views.js'
import { threadQuery, threadVersionQuery, type ThreadCursor, type ThreadOrder, type ThreadRow } from './thread-query.js'
import { encodeCursor, shapeThread } from './thread-shape.js'

export interface ThreadPage {
  article: {
    key: string
    url: string | null
    title: string | null
    open: boolean
    commentCount: number
    commentPolicy: CommentPolicy
    loginUrl: string | null
  }
  comments: ThreadComment[]
  nextCursor: string | null
}

/**
 * The anchors old permalinks name (`#comment-881`): a comment imported from WordPress keeps its
 * WordPress id there even where the import had to give it another (that id was taken).
 */
export type LegacyAnchors = ReadonlyMap<number, string>

function legacyAnchors(rows: ThreadRow[]): LegacyAnchors {
  const anchors = new Map<number, string>()
  for (const row of rows) {
    if (row.wordpress_id !== null && row.id !== null && /^[1-9]\d{0,18}$/.test(row.wordpress_id) && row.wordpress_id !== String(row.id))
      anchors.set(row.id, row.wordpress_id)
  }
  return anchors
}

export interface ThreadRequest {
  key: string
  limit: number
  order: ThreadOrder
  cursor: ThreadCursor | null
}

/**
 * The strong ETag of a thread: the article's version (bumped by every visible change), the
 * settings' revision (thread depth, registration) and whether it is open (time can close it).
 */
function threadEtag(version: number, settingsRevision: number, open: boolean): string {
  return `"${version}.${settingsRevision}.${open ? 1 : 0}"`
}

/** The thread's current ETag alone, for a cheap 304. */
export async function currentThreadEtag(db: Db, key: string, settings: LoadedSettings, now: Date): Promise<string> {
  const [row] = await queryRows<{ version: number; open: boolean; article_created_ms: number }>(db, threadVersionQuery(key))
  if (!row) return threadEtag(0, settings.revision, settings.values.registerArticles)
  const open = isOpen({ open: row.open, createdAt: new Date(row.article_created_ms) }, settings.values, now)
  return threadEtag(row.version, settings.revision, open)
}

/**
 * A page of approved comments, by top-level thread, in one query. `closesAt` (ms) is when the
 * page goes stale by itself, the article closing by age (Infinity: only a change does it).
 */
export async function readThread(
  db: Db,
  request: ThreadRequest,
  settings: LoadedSettings,
  now: Date,
): Promise<{ page: ThreadPage; etag: string; closesAt: number; anchors: LegacyAnchors }> {
  const rows = await queryRows<ThreadRow>(db, threadQuery(request.key, request.limit, request.order, request.cursor))
  const first = rows[0]
  if (!first) {
    const open = settings.values.registerArticles
    return {
      page: {
        article: {
          key: request.key,
          url: null,
          title: null,
          open,
          commentCount: 0,
          commentPolicy: settings.values.commentPolicy,
          loginUrl: settings.values.loginUrl,
        },
        comments: [],
        nextCursor: null,
      },
      etag: threadEtag(0, settings.revision, open),
      closesAt: Infinity,
      anchors: new Map(),
    }
  }
  const article = { open: first.open, createdAt: new Date(first.article_created_ms) }
  const open = isOpen(article, settings.values, now)
  const shaped = shapeThread(rows, request.limit, settings.values.threadDepth)
  return {
    page: {
      article: {
        key: first.key,
        url: first.url,
        title: first.title,
        open,
        commentCount: first.comment_count,
        commentPolicy: effectivePolicy(first.comment_policy, settings.values.commentPolicy),
        loginUrl: settings.values.loginUrl,
      },
      comments: shaped.comments,
      nextCursor: shaped.next ? encodeCursor(shaped.next) : null,
    },
    etag: threadEtag(first.version, settings.revision, open),
    closesAt: open ? closesAt(article, settings.values) : Infinity,
    anchors: legacyAnchors(rows),
  }
}
