import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { webhooks } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { validationError } from '../errors.js'
import { refuseTarget, type TargetPolicy } from '../net/target-guard.js'
import { newWebhookSecret } from '../crypto/webhook-signing.js'
import type { WebhookEventType } from './event-types.js'

/** An endpoint as admins see it: never its secret. */
export interface WebhookView {
  id: number
  url: string
  events: WebhookEventType[]
  includeEmail: boolean
  /** Set when the endpoint answered 410 Gone; delete it and add it again to resume. */
  disabled: boolean
  createdAt: string
}

type WebhookRow = typeof webhooks.$inferSelect

function toView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventType[],
    includeEmail: row.includeEmail,
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
  }
}

export interface NewWebhook {
  url: string
  events: WebhookEventType[]
  includeEmail?: boolean
}

/**
 * Adds an endpoint after the target guard has passed its URL (422 otherwise). Its signing secret
 * is returned this once and stored sealed.
 */
export async function createWebhook(
  ctx: { db: Db; secrets: Secrets; policy: TargetPolicy; now: Date },
  input: NewWebhook,
): Promise<WebhookView & { secret: string }> {
  const { db, secrets, policy } = ctx
  const url = input.url.trim()
  const refusal = await refuseTarget(url, policy)
  if (refusal)
    throw validationError([{ field: 'url', code: refusal.code, message: `This URL cannot receive webhooks: ${refusal.reason}.` }])
  const secret = newWebhookSecret()
  const [row] = await db
    .insert(webhooks)
    .values({
      url,
      events: [...new Set(input.events)],
      includeEmail: input.includeEmail ?? false,
      secretSealed: await secrets.seal(secret),
      createdAt: ctx.now,
    })
    .returning()
  if (!row) throw new Error('webhook not stored')
  return { ...toView(row), secret }
}

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  return (await db.select().from(webhooks).orderBy(asc(webhooks.id))).map(toView)
}

/** Removes an endpoint and, with it, its pending and past deliveries. False when there was none. */
export async function deleteWebhook(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id })
  return rows.length > 0
}
