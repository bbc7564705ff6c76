/** The events an endpoint may subscribe to; the comments domain records them (comments/event-outbox.ts). */
export const WEBHOOK_EVENT_TYPES = [
  'comment.created',
  'comment.status_changed',
  'comment.edited',
  'comment.deleted',
  'comment.reported',
  'comment.featured',
  'comment.unfeatured',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]
