import { eq } from 'drizzle-orm'
import { AppError, commentNotFound } from '../errors.js'
import { comments, type CommentStatus } from '../db/schema.js'
import { constantTimeEqual, hashToken } from '../crypto/tokens.js'
import { candidateOf } from '../spam/spam-candidate.js'
import { runFilters } from '../spam/run-filters.js'
import { filtersFor } from '../spam/filters-for.js'
import { scheduleRecheck } from './spam-recheck.js'
import { severity, statusForVerdict, type Verdict } from '../spam/spam-filter.js'
import type { Db } from '../db/database.js'
import type { CommentContext } from './comment-context.js'
import type { CommentRow } from './comment-row.js'
import { changeStatus, lockForChange } from './comment-status.js'
import { checkBody } from './submission-rules.js'
import { claimFlood, floodWait } from './flood-control.js'
import { rateLimitNetwork } from '../net/ip-networks.js'
import { renderBody } from './render-body.js'
import { logAction } from '../audit/audit-log.js'
import { recordEvent } from './event-outbox.js'

export async function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id))
  return row
}

/** The comment's current row, locked until the transaction ends: concurrent changes queue up. */
async function lockComment(db: Db, id: number): Promise<CommentRow> {
  const [row] = await lockForChange(db, [id])
  if (!row) throw commentNotFound()
  return row
}

/** True when `token` is this comment's own token. */
export async function holdsToken(row: CommentRow, token: string | undefined): Promise<boolean> {
  if (!token || !row.tokenHash) return false
  return constantTimeEqual(await hashToken(token), row.tokenHash)
}

/**
 * The comment its author may change: 401 without a token (whatever the id, even one no comment can
 * have: `undefined`), 404 when gone, 403 for another token or a closed window. Another token on a
 * comment that is not published gets the 404 of a missing one, as a read does: held comments'
 * existence is nobody else's business.
 */
async function ownComment(ctx: CommentContext, id: number | undefined, token: string | undefined): Promise<CommentRow> {
  if (!token) throw new AppError('token_required', 'This needs the token that came with the comment.')
  if (id === undefined) throw commentNotFound()
  const row = await findComment(ctx.db, id)
  if (!row || row.status === 'trash') throw commentNotFound()
  if (!(await holdsToken(row, token))) {
    if (row.status !== 'approved') throw commentNotFound()
    throw new AppError('forbidden', 'This token does not belong to this comment.')
  }
  if (ctx.now.getTime() > row.createdAt.getTime() + ctx.settings.editWindowSeconds * 1000) {
    throw new AppError('edit_window_closed', 'The time to edit or delete this comment has passed.')
  }
  return row
}

const toVerdict: Partial<Record<CommentStatus, Verdict>> = { pending: 'hold', spam: 'spam' }

/** One edit per comment, and per client network, every this many seconds. */
export const EDIT_INTERVAL_SECONDS = 5

/**
 * Every edit writes an audit row and a webhook event and runs the filters (Akismet, the site's
 * service): an author gets one every EDIT_INTERVAL_SECONDS, per comment and per network.
 */
async function claimEdit(ctx: CommentContext, id: number): Promise<void> {
  const keys = [await ctx.secrets.rateKey(`edit-comment:${id}`)]
  if (ctx.ip) keys.push(await ctx.secrets.rateKey(`edit-ip:${rateLimitNetwork(ctx.ip)}`))
  if (await claimFlood(ctx.db, keys, ctx.now, EDIT_INTERVAL_SECONDS)) return
  const wait = Math.max(1, await floodWait(ctx.db, keys, ctx.now, EDIT_INTERVAL_SECONDS))
  throw new AppError('too_fast', 'You are editing too quickly. Slow down.', { retryAfter: wait })
}

/**
 * The author's edit: the spam checks run again on the new text. An edit never makes a comment
 * less held than it was (a comment judged spam stays spam), so editing cannot launder spam, and a
 * moderator's decision taken while the checks ran stands (a comment trashed meanwhile stays
 * trashed). The same text again changes nothing.
 */
export async function editOwnComment(
  ctx: CommentContext,
  commentId: number | undefined,
  token: string | undefined,
  rawBody: string | undefined,
): Promise<CommentRow> {
  const row = await ownComment(ctx, commentId, token)
  const id = row.id
  const body = checkBody(rawBody)
  if (body === row.body) return row
  await claimEdit(ctx, id)
  const html = renderBody(body)
  const candidate = await candidateOf(ctx.db, ctx.secrets, row, {
    body,
    html,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    referrer: ctx.referrer,
    isEdit: true,
  })
  const recheck = await runFilters(filtersFor(ctx), candidate, { db: ctx.db, settings: ctx.settings, secrets: ctx.secrets, now: ctx.now })
  await ctx.db.transaction(async (tx) => {
    const locked = await lockComment(tx, id)
    // Trashed (by a moderator, or withdrawn) while the filters ran: the edit is too late.
    if (locked.status === 'trash') throw commentNotFound()
    const held = toVerdict[locked.status]
    const verdict = held && severity[held] > severity[recheck.verdict] ? held : recheck.verdict
    const edit = { body, html, checks: recheck.checks, editedAt: ctx.now }
    await changeStatus(tx, locked, statusForVerdict[verdict], ctx.now, edit)
    await recordEvent(tx, {
      type: 'comment.edited',
      at: ctx.now,
      comment: { ...locked, ...edit, status: statusForVerdict[verdict] },
      data: { by: 'author' },
    })
    await logAction(tx, {
      at: ctx.now,
      moderatorId: null,
      action: 'author.edit',
      commentId: id,
      from: locked.status,
      to: statusForVerdict[verdict],
    })
    if (recheck.checks.some((check) => check.retry)) await scheduleRecheck(tx, id, ctx.now, ctx.referrer)
  })
  const updated = await findComment(ctx.db, id)
  if (!updated) throw commentNotFound()
  return updated
}

/**
 * The author withdraws the comment: it leaves public view and waits in the trash for moderators.
 * `commentId` is undefined for a path that can name no comment (401 or 404, as `ownComment`).
 */
export async function withdrawOwnComment(ctx: CommentContext, commentId: number | undefined, token: string | undefined): Promise<void> {
  const { id } = await ownComment(ctx, commentId, token)
  await ctx.db.transaction(async (tx) => {
    const locked = await lockComment(tx, id)
    await changeStatus(tx, locked, 'trash', ctx.now)
    await logAction(tx, { at: ctx.now, moderatorId: null, action: 'author.withdraw', commentId: id, from: locked.status, to: 'trash' })
  })
}
