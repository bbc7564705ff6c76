import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { webhookDeliveries, webhooks } from '../db/schema.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Waits after each failed attempt (API.md): ten attempts over about three days, then the delivery fails. */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR]

/** Delivered and failed rows are kept this long for inspection, then deleted. */
const KEEP_MS = 30 * 24 * HOUR

export interface ClaimedDelivery {
  id: number
  webhookId: number
  messageId: string
  /** The stored JSON body, as text: postgres.js and PGlite parse raw jsonb differently. */
  payload: string
  emailSealed: string | null
  attempts: number
  url: string
  secretSealed: string
  includeEmail: boolean
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints by moving them `leaseMs` ahead:
 * other instances skip the locked rows and then find them not due. A claimer that dies
 * mid-send lets the lease run out and the delivery is sent again, which is what
 * at-least-once means (receivers drop repeats by `webhook-id`).
 */
export async function claimDeliveries(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return queryRows<ClaimedDelivery>(
    db,
    sql`
    with claimed as (
      update webhook_deliveries d set next_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz
      where d.id in (
        select due.id from webhook_deliveries due
        where due.delivered_at is null and due.failed_at is null and due.next_at <= ${now.toISOString()}::timestamptz
          and exists (select 1 from webhooks w where w.id = due.webhook_id and not w.disabled)
        order by due.next_at
        limit ${limit}
        for update of due skip locked
      )
      returning d.id, d.webhook_id, d.message_id, d.payload, d.email_sealed, d.attempts
    )
    select c.id, c.webhook_id as "webhookId", c.message_id as "messageId", c.payload::text as payload,
      c.email_sealed as "emailSealed", c.attempts, w.url, w.secret_sealed as "secretSealed", w.include_email as "includeEmail"
    from claimed c join webhooks w on w.id = c.webhook_id
    order by c.id`,
  )
}

/** A 2xx: done. The sealed email is dropped, as it is whenever a delivery ends. */
export async function markDelivered(db: Db, delivery: ClaimedDelivery, now: Date, status: number): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ deliveredAt: now, attempts: delivery.attempts + 1, lastStatus: status, lastError: null, emailSealed: null })
    .where(eq(webhookDeliveries.id, delivery.id))
}

/** Any other answer or none: tried again on the schedule, or failed for good after the last retry. */
export async function markAttemptFailed(
  db: Db,
  delivery: ClaimedDelivery,
  now: Date,
  status: number | null,
  error: string,
): Promise<'retried' | 'failed'> {
  const attempts = delivery.attempts + 1
  const wait = RETRY_SCHEDULE_MS[attempts - 1]
  const common = { attempts, lastStatus: status, lastError: error.slice(0, 1000) }
  await db
    .update(webhookDeliveries)
    .set(wait === undefined ? { ...common, failedAt: now, emailSealed: null } : { ...common, nextAt: new Date(now.getTime() + wait) })
    .where(eq(webhookDeliveries.id, delivery.id))
  return wait === undefined ? 'failed' : 'retried'
}

/** A 410 Gone: the receiver wants no more. The endpoint is disabled and its pending deliveries end with it. */
export async function disableEndpoint(db: Db, delivery: ClaimedDelivery, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(webhooks).set({ disabled: true }).where(eq(webhooks.id, delivery.webhookId))
    await tx
      .update(webhookDeliveries)
      .set({ failedAt: now, emailSealed: null, lastError: 'endpoint disabled: it answered 410 Gone' })
      .where(
        and(eq(webhookDeliveries.webhookId, delivery.webhookId), isNull(webhookDeliveries.deliveredAt), isNull(webhookDeliveries.failedAt)),
      )
    await tx
      .update(webhookDeliveries)
      .set({ attempts: delivery.attempts + 1, lastStatus: 410 })
      .where(eq(webhookDeliveries.id, delivery.id))
  })
}

/** Forgets deliveries that ended more than 30 days ago. */
export async function purgeDeliveries(db: Db, now: Date): Promise<void> {
  const before = new Date(now.getTime() - KEEP_MS)
  await db.delete(webhookDeliveries).where(or(lt(webhookDeliveries.deliveredAt, before), lt(webhookDeliveries.failedAt, before)))
}
