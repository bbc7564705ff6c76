import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { mailAddresses, mailMessages, type MailKind } from '../db/mail-schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { Logger } from '../logger.js'
import type { SettingsStore } from '../settings/settings-store.js'
import type { MailConfig } from '../config.js'
import { MailSendError, type MailMessage, type MailTransport } from '../mail/mail-transport.js'
import { loggedError } from '../logged-error.js'
import type { MailContent, MailSite, RenderMail } from './mail-content.js'
import { contentForModerator, contentForReader, type Recipient } from './gather-content.js'
import { BATCH, claim, settle, stillOurs, sendWithin, type MessageRow } from './mail-claims.js'
import { atMost } from './at-most.js'

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
/** Past this many tries (about two days of backoff), an email is given up. */
const MAX_ATTEMPTS = 12
/** Sent, failed and dropped rows are kept this long: the dashboard's counts and the pace of thread emails. */
const KEEP_MS = 30 * 86_400_000

/** 1, 2, 4 … minutes after each failed try, at most six hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 3_600_000)
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
    const { values } = await deps.settings.get(deps.db)
    const site: MailSite = { name: values.siteName, language: values.language }
    for (;;) {
      const claimed = await claim(deps.db, now)
      await atMost(IN_FLIGHT, claimed, (row) => sendOne(deps, transport, row, base, render, site, now, report))
      if (claimed.length < BATCH) break
    }
    return report
  }
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
    // The day's confirmation counts from when one went out, not from when one was asked for.
    if (row.kind === 'confirm' && row.emailHash) {
      await deps.db.update(mailAddresses).set({ confirmationSentAt: now }).where(eq(mailAddresses.emailHash, row.emailHash))
    }
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
