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
    /** Readers may upvote here (setting `votes`). */
    votes: boolean
    /** Approved editors' picks (what `order=featured` lists). */
    featuredCount: number
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
 * settings' revision (thread depth, registration) and whether it is open (time can close it);
 * where readers vote, a digest of the page's counts (votes leave the version alone, below).
 */
function threadEtag(version: number, settingsRevision: number, open: boolean, votes = ''): string {
  return `"${version}.${settingsRevision}.${open ? 1 : 0}${votes}"`
}

/**
 * How long a kept thread page may show vote counts that are behind (ms). A vote changes one
 * comment's count and nothing else: bumping the article's version would empty the read cache of a
 * busy article at every click and queue every vote behind the article's row lock. Instead a kept
 * page where readers vote is read again after this long, however many votes came meanwhile.
 */
export const VOTES_FRESH_MS = 5_000

/** FNV-1a over each comment's id and count, in page order: the page's votes in a few ETag characters. */
function votesDigest(rows: ThreadRow[]): string {
  let hash = 0x811c9dc5
  for (const row of rows) {
    if (row.id === null || row.votes === 0) continue
    for (const n of [row.id, row.votes]) {
      hash ^= n
      hash = Math.imul(hash, 0x01000193) >>> 0
    }
  }
  return `.v${hash.toString(36)}`
}

/**
 * The thread's current ETag alone, for a cheap 304; undefined where readers vote (the counts are
 * only known by reading the page: the caller reads it, and answers 304 if it is unchanged).
 */
export async function currentThreadEtag(db: Db, key: string, settings: LoadedSettings, now: Date): Promise<string | undefined> {
  if (settings.values.votes) return undefined
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
          votes: settings.values.votes,
          featuredCount: 0,
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
  const shaped = shapeThread(rows, request.limit, settings.values.threadDepth, request.order)
  const votes = settings.values.votes
  const expires = open ? closesAt(article, settings.values) : Infinity
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
        votes,
        featuredCount: first.featured_count,
      },
      comments: shaped.comments,
      nextCursor: shaped.next ? encodeCursor(shaped.next) : null,
    },
    etag: threadEtag(first.version, settings.revision, open, votes ? votesDigest(rows) : ''),
    closesAt: votes ? Math.min(expires, now.getTime() + VOTES_FRESH_MS) : expires,
    anchors: legacyAnchors(rows),
  }
}
