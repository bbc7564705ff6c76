import { and, asc, desc, eq, gte, lt } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, type CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { toModComments, type ModComment } from './comment-for-moderators.js'

/** One comment of a thread as moderators see it around another: every status, no private fields. */
export interface ThreadEntry {
  id: number
  parentId: number | null
  depth: number
  status: CommentStatus
  authorName: string
  html: string
  createdAt: string
  byModerator: boolean
}

const columns = {
  id: comments.id,
  parentId: comments.parentId,
  depth: comments.depth,
  status: comments.status,
  authorName: comments.authorName,
  html: comments.html,
  createdAt: comments.createdAt,
  moderatorId: comments.moderatorId,
}

/**
 * The thread a comment sits in, in display order (its top-level comment and every reply, of any
 * status): up to `around` comments before it and after it, so a huge thread stays one short page.
 * Two indexed range reads on (root_id, path).
 */
async function threadAround(db: Db, self: { rootId: number; path: string }, around: number): Promise<ThreadEntry[]> {
  const [before, after] = await Promise.all([
    db
      .select(columns)
      .from(comments)
      .where(and(eq(comments.rootId, self.rootId), lt(comments.path, self.path)))
      .orderBy(desc(comments.path))
      .limit(around),
    db
      .select(columns)
      .from(comments)
      .where(and(eq(comments.rootId, self.rootId), gte(comments.path, self.path)))
      .orderBy(asc(comments.path))
      .limit(around + 1),
  ])
  return [...before.reverse(), ...after].map(({ createdAt, moderatorId, ...row }) => ({
    ...row,
    createdAt: createdAt.toISOString(),
    byModerator: moderatorId !== null,
  }))
}

export interface CommentDetails {
  comment: ModComment
  /** The text as written, for editing. */
  body: string
  thread: ThreadEntry[]
}

/** Everything a moderator's details page shows of one comment, or undefined when there is none. */
export async function commentDetails(db: Db, secrets: Secrets, id: number, around = 25): Promise<CommentDetails | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id))
  if (!row) return undefined
  const [[comment], thread] = await Promise.all([toModComments(db, secrets, [row]), threadAround(db, row, around)])
  return comment ? { comment, body: row.body, thread } : undefined
}
