import type { CommentRow } from './comment-row.js'

/** The public shape of a comment (API.md): no email, IP, user agent or status. */
export interface PublicComment {
  id: number
  parentId: number | null
  depth: number
  author: {
    name: string
    url: string | null
    avatar: number | null
    moderator: boolean
    /** Signed in with the site (its identity token) when posting. */
    verified: boolean
    /** Their picture as the site gave it (https), if any. */
    avatarUrl: string | null
  }
  html: string
  createdAt: string
  editedAt: string | null
  /** A placeholder kept so that its published replies keep their place. */
  removed: boolean
  /** An editor's pick. */
  featured: boolean
  /** Readers' upvotes. */
  votes: number
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

type PublicFields = Pick<
  CommentRow,
  | 'id'
  | 'parentId'
  | 'depth'
  | 'authorName'
  | 'authorUrl'
  | 'avatar'
  | 'html'
  | 'createdAt'
  | 'editedAt'
  | 'moderatorId'
  | 'subjectHash'
  | 'authorAvatarUrl'
  | 'featuredAt'
  | 'votes'
>

/** The depth readers see: a comment deeper than `threadDepth - 1` shows at that depth (API.md). */
export function displayDepth(depth: number, threadDepth: number): number {
  return Math.min(depth, threadDepth - 1)
}

/** The public shape; given the site's `threadDepth`, with the depth readers see, else the stored one. */
export function toPublicComment(row: PublicFields, threadDepth?: number): PublicComment {
  return {
    id: row.id,
    parentId: row.parentId,
    depth: threadDepth === undefined ? row.depth : displayDepth(row.depth, threadDepth),
    author: {
      name: row.authorName || ANONYMOUS,
      url: row.authorUrl,
      avatar: row.avatar,
      moderator: row.moderatorId !== null,
      verified: row.subjectHash !== null,
      avatarUrl: row.authorAvatarUrl,
    },
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt ? row.editedAt.toISOString() : null,
    removed: false,
    featured: row.featuredAt !== null,
    votes: row.votes,
  }
}

/** The author's view, with the status and how long the comment can still be edited. */
export function toAuthorComment(row: CommentRow, settings: { editWindowSeconds: number; threadDepth: number }, now: Date): AuthorComment {
  const shaped: AuthorComment = {
    ...toPublicComment(row, settings.threadDepth),
    status: row.status === 'approved' ? 'approved' : 'pending',
  }
  const until = new Date(row.createdAt.getTime() + settings.editWindowSeconds * 1000)
  if (until > now) shaped.editableUntil = until.toISOString()
  return shaped
}
