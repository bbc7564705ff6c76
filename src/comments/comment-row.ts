import type { comments } from '../db/schema.js'

export type CommentRow = typeof comments.$inferSelect

/** The public shape of a comment (API.md): no email, IP, user agent or status. */
export interface PublicComment {
  id: number
  parentId: number | null
  depth: number
  author: { name: string; url: string | null; avatar: string | null; moderator: boolean }
  html: string
  createdAt: string
  editedAt: string | null
  /** A placeholder kept so that its published replies keep their place. */
  removed: boolean
}

export interface ThreadComment extends PublicComment {
  replies: ThreadComment[]
}

/** What the author sees with the comment's token: a spam verdict is never revealed. */
export interface AuthorComment extends PublicComment {
  status: 'approved' | 'pending'
  editableUntil?: string
}

export const ANONYMOUS = 'Anonymous'

type PublicFields = Pick<CommentRow, 'id' | 'parentId' | 'depth' | 'authorName' | 'authorUrl' | 'avatar' | 'html' | 'createdAt' | 'editedAt' | 'moderatorId'>

export function toPublicComment(row: PublicFields): PublicComment {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: row.depth,
    author: { name: row.authorName || ANONYMOUS, url: row.authorUrl, avatar: row.avatar, moderator: row.moderatorId !== null },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt ? row.editedAt.toISOString() : null,
    removed: false,
  }
}

export function toAuthorComment(row: CommentRow, editWindowSeconds: number, now: Date): AuthorComment {
  const shaped: AuthorComment = { ...toPublicComment(row), status: row.status === 'approved' ? 'approved' : 'pending' }
  const until = new Date(row.createdAt.getTime() + editWindowSeconds * 1000)
  if (until > now) shaped.editableUntil = until.toISOString()
  return shaped
}
