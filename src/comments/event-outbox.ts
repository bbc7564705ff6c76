import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { eventPayload, type WebhookEvent } from './comment-events.js'
import { newMessageId } from '../crypto/webhook-signing.js'

/**
 * The statement that queues one event for every enabled endpoint subscribed to its type: one
 * outbox row each, due at once. A plain INSERT … SELECT, so it can also stand in a caller's CTE;
 * with no endpoint it inserts nothing, and costs no extra round trip there.
 *
 * The article is read in the same statement. `commentId`, when given, replaces the payload's id
 * (a new comment's id is drawn by the very statement that stores it). The author's email is
 * kept as the comment row keeps it, encrypted, and only for endpoints that asked for it: the
 * outbox never holds an address in plaintext, and no extra encryption is paid per event.
 */
export function outboxInsert(event: WebhookEvent, commentId?: SQL): SQL {
  const payload = sql`${JSON.stringify(eventPayload(event))}::jsonb`
  const withId = commentId ? sql`jsonb_set(${payload}, '{data,comment,id}', to_jsonb(${commentId}))` : payload
  const article = sql`(select jsonb_build_object('key', a.key, 'url', a.url, 'title', a.title) from articles a where a.id = ${event.comment.articleId}::int)`
  return sql`
    insert into webhook_deliveries (webhook_id, message_id, type, payload, email_sealed, next_at, created_at)
    select w.id, ${newMessageId()}, ${event.type},
      jsonb_set(${withId}, '{data,comment,article}', coalesce(${article}, 'null'::jsonb)),
      case when w.include_email then ${event.comment.emailEncrypted}::text end,
      ${event.at.toISOString()}::timestamptz, ${event.at.toISOString()}::timestamptz
    from webhooks w
    where not w.disabled and ${event.type}::text = any(w.events)`
}

/** Queues an event in the caller's transaction: it is sent only if the change it describes commits. */
export async function recordEvent(db: Db, event: WebhookEvent): Promise<void> {
  await db.execute(outboxInsert(event))
}
