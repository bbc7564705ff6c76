import type { Db } from '../db/database.js'
import type { CommentRow } from './comment-row.js'
import { insertComments, MAX_BATCH, type NewComment } from './insert-comment.js'
import { AppError } from '../errors.js'
import { wordpressMessages } from './wordpress-messages.js'

interface Waiting {
  comment: NewComment
  /** The request's last word before its comment is sent (CommentContext.beforeCommit): it may throw. */
  beforeSend: (() => void) | undefined
  resolve: (row: CommentRow) => void
  reject: (error: unknown) => void
}

/** Per article: the statements running for it, and the comments waiting for one. */
interface ArticleQueue {
  running: number
  waiting: Waiting[]
}

/** Per database handle, per article. */
const queues = new WeakMap<Db, Map<number, ArticleQueue>>()

/**
 * Statements running at once for one article. One would serialize on the event loop as well as on
 * the row: a statement's answer waits its turn among the requests in flight while the next could
 * already run (measured: a batch spent 4 ms in PostgreSQL and 22 ms in all). Two keep PostgreSQL
 * busy meanwhile, the second waiting on the row only for the first's commit.
 */
const RUNNING_PER_ARTICLE = 2

/**
 * Stores a new comment, together with the others that arrive for the same article while its
 * statements are running: group commit, as PostgreSQL does for WAL flushes. Each stored comment
 * bumps its article's row, and that row stays locked until the commit is flushed, so a hot article
 * takes only so many statements a second (about 1,200 on the bench machine, measured with
 * pgbench); one statement for the comments that queued meanwhile takes their whole wave. Nothing
 * waits when nothing runs: a quiet article's comment is sent at once.
 *
 * Queues are per database handle: a Worker's invocation has a handle of its own, so no request
 * there ever waits on another's connection.
 */
export function storeComment(db: Db, comment: NewComment, beforeSend?: () => void): Promise<CommentRow> {
  let byArticle = queues.get(db)
  if (!byArticle) queues.set(db, (byArticle = new Map<number, ArticleQueue>()))
  const articles = byArticle
  return new Promise<CommentRow>((resolve, reject) => {
    let queue = articles.get(comment.articleId)
    if (!queue) articles.set(comment.articleId, (queue = { running: 0, waiting: [] }))
    queue.waiting.push({ comment, beforeSend, resolve, reject })
    if (queue.running < RUNNING_PER_ARTICLE) void send(db, articles, comment.articleId, queue)
  })
}

/**
 * A PostgreSQL error about the values (SQLSTATE class 22, data exception; 23, integrity
 * constraint), as the driver raised it or as drizzle wraps it (its `cause`).
 */
export function isAboutValues(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 3; at = at.cause, depth++) {
    const code = 'code' in at ? at.code : undefined
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true
  }
  return false
}

/** Runs statements for the article while comments wait: each takes all that wait, up to MAX_BATCH. */
async function send(db: Db, articles: Map<number, ArticleQueue>, articleId: number, queue: ArticleQueue): Promise<void> {
  queue.running++
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, MAX_BATCH)
      // A request whose deadline has answered meanwhile (503) must not be stored.
      const going = batch.filter((waiting) => {
        try {
          waiting.beforeSend?.()
          return true
        } catch (error) {
          waiting.reject(error)
          return false
        }
      })
      await insertAll(db, going)
    }
  } finally {
    queue.running--
    if (queue.running === 0 && queue.waiting.length === 0) articles.delete(articleId)
  }
}

async function insertAll(db: Db, going: Waiting[]): Promise<void> {
  if (going.length === 0) return
  try {
    const rows = await insertComments(
      db,
      going.map((waiting) => waiting.comment),
    )
    going.forEach((waiting, i) => {
      const row = rows[i]
      if (row) waiting.resolve(row)
      // Its parent was held, marked spam or removed since the look-up (insertStatement).
      else waiting.reject(new AppError('parent_not_found', wordpressMessages.invalidParent))
    })
  } catch (error) {
    // One comment's values must not cost the others theirs: each goes alone, and fails alone.
    if (going.length > 1 && isAboutValues(error)) {
      for (const waiting of going) await insertAll(db, [waiting])
      return
    }
    for (const waiting of going) waiting.reject(error)
  }
}
