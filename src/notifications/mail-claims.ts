import { and, eq, inArray, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { mailMessages } from '../db/mail-schema.js'
import { MailSendError, type MailMessage, type MailTransport } from '../mail/mail-transport.js'

export type MessageRow = typeof mailMessages.$inferSelect

/** How many emails one claim takes. */
export const BATCH = 50
/**
 * A claimed email is the claimer's this long, counted again from the moment its send starts; one
 * whose claimer dies lets it go to the next run. Longer than any one send may take (SEND_DEADLINE_MS),
 * so that an email in flight is never claimed by another instance.
 */
export const LEASE_MS = 5 * 60_000
/** A send that has not ended by then counts as a temporary failure (a relay that takes its time, or never answers). */
export const SEND_DEADLINE_MS = 2 * 60_000

/** Claims up to BATCH due emails for LEASE_MS (FOR UPDATE SKIP LOCKED: instances never wait on each other). */
export async function claim(db: Db, now: Date): Promise<MessageRow[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    update mail_messages set state = 'sending', send_after = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz,
      attempts = attempts + 1
    where id in (
      select id from mail_messages
      where state in ('queued', 'sending') and send_after <= ${now.toISOString()}::timestamptz
      order by send_after
      limit ${BATCH}
      for update skip locked
    )
    returning id`,
  )
  if (rows.length === 0) return []
  return db
    .select()
    .from(mailMessages)
    .where(
      inArray(
        mailMessages.id,
        rows.map((r) => r.id),
      ),
    )
}

/** The row's state after this claim's send, unless another claim has taken it since (its attempts moved on). */
export async function settle(db: Db, row: MessageRow, state: 'sent' | 'failed' | 'dropped', now: Date, error?: string): Promise<void> {
  await db
    .update(mailMessages)
    .set({ state, sentAt: state === 'sent' ? now : null, ...(error === undefined ? {} : { lastError: error.slice(0, 500) }) })
    .where(and(eq(mailMessages.id, row.id), eq(mailMessages.attempts, row.attempts)))
}

/**
 * Renews the claim on a row just before its send, if it is still this claim's: a batch whose first
 * sends took long may have outlived its lease, and another instance may have claimed (and sent) the
 * rest meanwhile. Those are left to it.
 */
export async function stillOurs(db: Db, row: MessageRow, now: Date): Promise<boolean> {
  const renewed = await queryRows<{ id: number }>(
    db,
    sql`update mail_messages set send_after = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
      where id = ${row.id} and state = 'sending' and attempts = ${row.attempts} returning id`,
  )
  return renewed.length > 0
}

/** The transport's send, or a temporary failure once SEND_DEADLINE_MS has passed (the send may still end; the row is tried again). */
export async function sendWithin(transport: MailTransport, message: MailMessage): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MailSendError(`the mail server did not answer within ${SEND_DEADLINE_MS / 1000} s`, { permanent: false })),
      SEND_DEADLINE_MS,
    )
  })
  try {
    await Promise.race([transport.send(message), deadline])
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}
