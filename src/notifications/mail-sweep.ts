import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database.js'
import { mailAddresses, mailMessages, type MailKind } from '../db/mail-schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { Logger } from '../logger.js'
import type { SettingsStore } from '../settings/settings-store.js'
import type { MailConfig } from '../config.js'
import { MailSendError, type MailMessage, type MailTransport } from '../mail/mail-transport.js'
import { loggedError } from '../logged-error.js'
import type { MailContent, MailSite, RenderMail } from './mail-content.js'
import { contentForModerator, contentForReader, type Recipient } from './gather-content.js'

/** What the sweep needs of the runtime (a part of `Deps`). */
export type SweepServices = {
  db: Db
  clock: () => Date
  settings: SettingsStore
  secrets: Secrets
  logger: Logger
  mail?: MailTransport
  config: { mail?: MailConfig | null; publicUrl: string | null }
}

export type MailReport = {
  sent: number
  retried: number
  failed: number
  dropped: number
}

const BATCH = 50
/**
 * Emails of a batch in flight at once. One at a time, the sweep left a pooled SMTP transport's second
 * connection idle and waited out every database round trip (composing reads the address, article
 * and comments; settling writes the row) and every SMTP reply in turn: 10,000 followers got their
 * email at 228–258/s, 29–45% of what the transport alone sends, the server half idle; four at a
 * time, 338–413/s, 58–66% (`npm run bench -- --mail`). A few more than the pool's two connections
 * (src/runtime/node-mail.ts) keep both busy while the others are composed or settled, and take
 * only a few of the database pool's connections from requests.
 */
const IN_FLIGHT = 4
/**
 * A claimed email is the claimer's this long, counted again from the moment its send starts; one
 * whose claimer dies lets it go to the next run. Longer than any one send may take (SEND_DEADLINE_MS),
 * so that an email in flight is never claimed by another instance.
 */
const LEASE_MS = 5 * 60_000
/** A send that has not ended by then counts as a temporary failure (a relay that takes its time, or never answers). */
const SEND_DEADLINE_MS = 2 * 60_000
/** Past this many tries (about two days of backoff), an email is given up. */
const MAX_ATTEMPTS = 12
/** Sent, failed and dropped rows are kept this long: the dashboard's counts and the pace of thread emails. */
const KEEP_MS = 30 * 86_400_000

type MessageRow = typeof mailMessages.$inferSelect

/** 1, 2, 4 … minutes after each failed try, at most six hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 3_600_000)
}

async function claim(db: Db, now: Date): Promise<MessageRow[]> {
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
async function settle(db: Db, row: MessageRow, state: 'sent' | 'failed' | 'dropped', now: Date, error?: string): Promise<void> {
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
async function stillOurs(db: Db, row: MessageRow, now: Date): Promise<boolean> {
  const renewed = await queryRows<{ id: number }>(
    db,
    sql`update mail_messages set send_after = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
      where id = ${row.id} and state = 'sending' and attempts = ${row.attempts} returning id`,
  )
  return renewed.length > 0
}

/** The transport's send, or a temporary failure once SEND_DEADLINE_MS has passed (the send may still end; the row is tried again). */
async function sendWithin(transport: MailTransport, message: MailMessage): Promise<void> {
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

/** What an operator needs to tell a refusal from an outage: the reply code and what went wrong, never the reply's text (it may quote the address). */
function replyOf(error: unknown): { replyCode?: number; problem?: string } {
  if (!(error instanceof MailSendError)) return {}
  return { ...(error.code === null ? {} : { replyCode: error.code }), problem: error.message }
}

/** RFC 8058: the one-click unsubscribe a mail client offers, beside the visible links. */
function readerHeaders(content: MailContent): Record<string, string> {
  const url =
    content.kind === 'thread' || content.kind === 'approved'
      ? content.unsubscribeThread
      : content.kind === 'confirm'
        ? content.unsubscribeAll
        : null
  return url ? { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}
}

/** The email a row stands for, or null when there is nothing left to say (the comments were removed, the address unsubscribed). */
async function compose(
  deps: SweepServices,
  row: MessageRow,
  base: string,
  render: RenderMail,
  site: MailSite,
  now: Date,
): Promise<MailMessage | null> {
  const recipient: Recipient | null = row.emailHash
    ? await contentForReader(
        deps,
        { kind: row.kind, emailHash: row.emailHash, articleId: row.articleId, commentIds: row.commentIds },
        base,
        now,
      )
    : row.moderatorId !== null
      ? await contentForModerator(deps, { kind: row.kind, moderatorId: row.moderatorId, commentIds: row.commentIds }, base, now)
      : null
  if (!recipient) return null
  const rendered = render(recipient.content, site)
  return {
    // Unique across databases too (an email API's idempotency keys are per account).
    id: `parley-mail-${row.id}-${row.createdAt.getTime()}`,
    to: recipient.address,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: row.emailHash ? readerHeaders(recipient.content) : {},
  }
}

/** A permanent refusal: the reader's address gets nothing more until it is confirmed again. */
async function bounced(db: Db, row: MessageRow, now: Date): Promise<void> {
  if (!row.emailHash) return
  await db
    .update(mailAddresses)
    .set({ bouncedAt: now })
    .where(and(eq(mailAddresses.emailHash, row.emailHash), isNull(mailAddresses.bouncedAt)))
}

/**
 * Sends the emails that are due, claimed 50 at a time and sent four at once (IN_FLIGHT), each
 * rendered now from what the database holds now (a comment removed since it was queued is left
 * out; an email with nothing left is dropped).
 * Temporary failures are tried again with backoff; a permanent one marks a reader's address
 * bounced. Safe from several instances at once (FOR UPDATE SKIP LOCKED, a lease). Logs carry the
 * row's id and kind, never an address.
 */
export function mailSweep(render: RenderMail) {
  return async function sweepMail(deps: SweepServices, now: Date): Promise<MailReport> {
    const report: MailReport = { sent: 0, retried: 0, failed: 0, dropped: 0 }
    const transport = deps.mail
    const base = deps.config.publicUrl?.replace(/\/+$/, '')
    if (!transport || !deps.config.mail || !base) return report
    await deps.db.execute(sql`
      delete from mail_messages where state in ('sent', 'failed', 'dropped')
        and created_at < ${new Date(now.getTime() - KEEP_MS).toISOString()}::timestamptz`)
    await deps.db.execute(sql`delete from mail_link_uses where expires_at < ${now.toISOString()}::timestamptz`)
    const site: MailSite = { name: (await deps.settings.get(deps.db)).values.siteName }
    for (;;) {
      const claimed = await claim(deps.db, now)
      await atMost(IN_FLIGHT, claimed, (row) => sendOne(deps, transport, row, base, render, site, now, report))
      if (claimed.length < BATCH) break
    }
    return report
  }
}

/**
 * `work` on every item, at most `limit` at a time, started in order (the workers share one
 * iterator). Settles only once every started one has ended, so the sweep never returns (and the next
 * run or a shutdown never goes on) with a send still out; after a failure no more are started, and
 * the first failure is thrown, as the one-at-a-time loop did.
 */
async function atMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = items.values()
  let failure: { error: unknown } | undefined
  const worker = async () => {
    for (const item of queue) {
      try {
        await work(item)
      } catch (error) {
        failure ??= { error }
      }
      if (failure) return
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
}

async function sendOne(
  deps: SweepServices,
  transport: MailTransport,
  row: MessageRow,
  base: string,
  render: RenderMail,
  site: MailSite,
  now: Date,
  report: MailReport,
): Promise<void> {
  const about = { mailId: row.id, kind: row.kind satisfies MailKind }
  try {
    if (!(await stillOurs(deps.db, row, deps.clock()))) return
    const message = await compose(deps, row, base, render, site, now)
    if (!message) {
      await settle(deps.db, row, 'dropped', now)
      report.dropped++
      return
    }
    await sendWithin(transport, message)
    await settle(deps.db, row, 'sent', now)
    report.sent++
  } catch (error) {
    const permanent = error instanceof MailSendError && error.permanent
    const problem = error instanceof MailSendError ? error.message : 'the email could not be prepared'
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      await settle(deps.db, row, 'failed', now, problem)
      if (permanent) await bounced(deps.db, row, now)
      report.failed++
      deps.logger.warn('email not sent', { ...about, permanent, ...replyOf(error), ...loggedError(error) })
      return
    }
    await deps.db
      .update(mailMessages)
      .set({ state: 'queued', sendAfter: new Date(now.getTime() + retryDelayMs(row.attempts)), lastError: problem })
      .where(and(eq(mailMessages.id, row.id), eq(mailMessages.attempts, row.attempts)))
    report.retried++
    deps.logger.warn('email to be tried again', { ...about, attempts: row.attempts, ...replyOf(error), ...loggedError(error) })
  }
}
