import type { CommentStatus } from '../db/schema.js'
import type { WebhookEventType } from '../webhooks/event-types.js'
import { toPublicComment, type PublicComment } from './public-views.js'
import type { CommentRow } from './comment-row.js'

/**
 * A comment as event payloads carry it: the public fields, its status and article (endpoints are
 * the site's own systems, so a spam verdict is no secret from them), and never an email, IP or
 * user agent. `email` is added at the moment of sending, for endpoints that asked for it.
 */
export interface WebhookComment extends Omit<PublicComment, 'removed'> {
  status: CommentStatus
  /** Filled in by the outbox insert, from the articles table, in the same statement. */
  article?: { key: string; url: string | null; title: string | null }
  email?: string | null
}

export type WebhookCommentFields = Pick<
  CommentRow,
  'id' | 'parentId' | 'depth' | 'authorName' | 'authorUrl' | 'avatar' | 'html' | 'createdAt' | 'editedAt' | 'moderatorId' | 'status'
> &
  Partial<Pick<CommentRow, 'subjectHash' | 'authorAvatarUrl' | 'featuredAt' | 'votes'>>

function toWebhookComment(row: WebhookCommentFields): WebhookComment {
  const { removed: _removed, ...shown } = toPublicComment({
    ...row,
    subjectHash: row.subjectHash ?? null,
    authorAvatarUrl: row.authorAvatarUrl ?? null,
    featuredAt: row.featuredAt ?? null,
    votes: row.votes ?? 0,
  })
  return { ...shown, status: row.status }
}

/** One event, before it is queued for each subscribed endpoint. */
export interface WebhookEvent {
  type: WebhookEventType
  at: Date
  comment: WebhookCommentFields & { articleId: number; emailEncrypted: string | null }
  /** Fields of `data` beside `comment`: `from` and `to` of a status change, the report, who edited. */
  data?: Record<string, unknown>
}

/** The JSON body of API.md: `{ type, timestamp, data: { comment, … } }`. */
export function eventPayload(event: WebhookEvent): Record<string, unknown> {
  return { type: event.type, timestamp: event.at.toISOString(), data: { comment: toWebhookComment(event.comment), ...event.data } }
}
