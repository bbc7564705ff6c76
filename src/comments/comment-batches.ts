import type { Db } from '../db/database.js'
import type { CommentRow } from './comment-row.js'
import { insertComments, MAX_BATCH, type NewComment } from './insert-comment.js'
import { AppError } from '../errors.js'
import { wordpressMessages } from './wordpress-messages.js'
import { joinWave, type Queue } from './waves.js'

export { isAboutValues } from './waves.js'

interface Storing {
  comment: NewComment
  /** The request's last word before its comment is sent (CommentContext.beforeCommit): it may throw. */
  beforeSend: (() => void) | undefined
}

type ArticleQueue = Queue<Storing, CommentRow | undefined>

/** Per database handle, per article. */
const queues = new WeakMap<Db, Map<number, ArticleQueue>>()

/**
 * Statements running at most at once for one article: one, and a second only while a whole wave
 * waits or the first is held (waves.ts); the second then waits on the row for the first's commit.
 */
const RUNNING_PER_ARTICLE = 2

/** The next statement's comments: all that wait, up to MAX_BATCH, but for a request whose deadline has answered meanwhile (503). */
function take(queue: ArticleQueue) {
  return queue.waiting.splice(0, MAX_BATCH).filter((waiting) => {
    try {
      waiting.item.beforeSend?.()
      return true
    } catch (error) {
      waiting.reject(error)
      return false
    }
  })
}

/**
 * Stores a new comment, together with the others that arrive for the same article while its
 * statements are running (waves.ts). Each stored comment bumps its article's row, and that row
 * stays locked until the commit is flushed, so a hot article takes only so many statements a
 * second (about 1,200 on the bench machine, measured with pgbench); one statement for the comments
 * that queued meanwhile takes their whole wave. Nothing waits when nothing runs: a quiet article's
 * comment is sent at once.
 *
 * Queues are per database handle: a Worker's invocation has a handle of its own, so no request
 * there ever waits on another's connection.
 */
export async function storeComment(db: Db, comment: NewComment, beforeSend?: () => void): Promise<CommentRow> {
  let byArticle = queues.get(db)
  if (!byArticle) queues.set(db, (byArticle = new Map<number, ArticleQueue>()))
  const articles = byArticle
  let queue = articles.get(comment.articleId)
  if (!queue) articles.set(comment.articleId, (queue = { running: 0, waiting: [] }))
  const row = await joinWave(
    queue,
    { comment, beforeSend },
    {
      running: RUNNING_PER_ARTICLE,
      spillAt: MAX_BATCH,
      take,
      ask: (storing) =>
        insertComments(
          db,
          storing.map((s) => s.comment),
        ),
      idle: () => articles.delete(comment.articleId),
    },
  )
  // Its parent was held, marked spam or removed since the look-up (insertStatement).
  if (!row) throw new AppError('parent_not_found', wordpressMessages.invalidParent)
  return row
}
