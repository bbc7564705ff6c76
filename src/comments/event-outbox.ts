import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { eventPayload, type WebhookEvent } from './comment-events.js'
import type { WebhookEventType } from '../webhooks/event-types.js'
import { newMessageId } from '../crypto/webhook-signing.js'

const articleJson = (articleId: SQL) =>
  sql`coalesce((select jsonb_build_object('key', a.key, 'url', a.url, 'title', a.title) from articles a where a.id = ${articleId}), 'null'::jsonb)`

/**
 * The statement that queues one event for every enabled endpoint subscribed to its type: one
 * outbox row each, due at once. A plain INSERT … SELECT, so it can also stand in a caller's CTE;
 * with no endpoint it inserts nothing, and costs no extra round trip there.
 *
 * The article is read in the same statement. The author's email is kept as the comment row keeps
 * it, encrypted, and only for endpoints that asked for it: the outbox never holds an address in
 * plaintext, and no extra encryption is paid per event.
 */
export function outboxInsert(event: WebhookEvent): SQL {
  return sql`
    insert into webhook_deliveries (webhook_id, message_id, type, payload, email_sealed, next_at, created_at)
    select w.id, ${newMessageId()}, ${event.type},
      jsonb_set(${JSON.stringify(eventPayload(event))}::jsonb, '{data,comment,article}', ${articleJson(sql`${event.comment.articleId}::int`)}),
      case when w.include_email then ${event.comment.emailEncrypted}::text end,
      ${event.at.toISOString()}::timestamptz, ${event.at.toISOString()}::timestamptz
    from webhooks w
    where not w.disabled and ${event.type}::text = any(w.events)`
}

/**
 * The same for comments stored by the statement it stands in (insert-comment.ts), one event each:
 * `rows` has their `id` (drawn by that statement, written into the payload), `article_id`,
 * `event` (the payload), `message_id`, `email_encrypted` and `created_at`.
 */
export function outboxInsertForRows(type: WebhookEventType, rows: SQL): SQL {
  return sql`
    insert into webhook_deliveries (webhook_id, message_id, type, payload, email_sealed, next_at, created_at)
    select w.id, r.message_id, ${sql.raw(`'${type}'`)},
      jsonb_set(jsonb_set(r.event, '{data,comment,id}', to_jsonb(r.id)), '{data,comment,article}', ${articleJson(sql`r.article_id`)}),
      case when w.include_email then r.email_encrypted end,
      r.created_at, r.created_at
    from ${rows} r cross join webhooks w
    where not w.disabled and ${sql.raw(`'${type}'`)}::text = any(w.events)`
}

/** Queues an event in the caller's transaction: it is sent only if the change it describes commits. */
export async function recordEvent(db: Db, event: WebhookEvent): Promise<void> {
  await db.execute(outboxInsert(event))
}
