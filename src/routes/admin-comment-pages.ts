import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import type { CommentStatus } from '../db/schema.js'
import { AppError, commentNotFound } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { decodeCursor, encodeCursor } from '../comments/thread-shape.js'
import { listQueue } from '../moderation/moderation-queue.js'
import { commentDetails } from '../moderation/comment-details.js'
import { commenterHistory } from '../moderation/commenter-history.js'
import { commenterPage } from '../admin-pages/commenter-page.js'
import { addRule } from '../moderation/commenter-rules.js'
import { ruleOfForm } from './admin-ban-pages.js'
import { BULK_MAX, bulkModerate, dismissReports, moderateComment } from '../moderation/moderate-comment.js'
import { decodeUndo, encodeUndo, undoForm } from '../admin-pages/undo-notice.js'
import { deleteComment } from '../moderation/delete-comment.js'
import { replyAsModerator } from '../moderation/moderator-reply.js'
import { QUEUES, commentUrl, localAdminPath, queueUrl, withNotice, type Queue, type QueueFilter } from '../admin-pages/admin-urls.js'
import { noticeFor } from '../admin-pages/notices.js'
import { queuePage } from '../admin-pages/queue-page.js'
import { commentPage, deleteConfirmPage, type CommentView } from '../admin-pages/comment-page.js'
import { messagePage } from '../admin-pages/layout.js'
import { moderationContext } from './moderation-routes.js'
import { action, page, type PageSession } from './admin-page-guard.js'

const QUEUE_PAGE = 50
const STATUSES: readonly string[] = ['pending', 'approved', 'spam', 'trash'] satisfies CommentStatus[]
const isStatus = (value: string | undefined): value is CommentStatus => value !== undefined && STATUSES.includes(value)
const isQueue = (value: string | undefined): value is Queue => value !== undefined && (QUEUES as readonly string[]).includes(value)

export const commentId = (c: Context<AppEnv>): number => {
  const id = toId(c.req.param('id') ?? '')
  if (id === undefined) throw commentNotFound()
  return id
}

/** The queue a details page was opened from (its `from`), or the pending queue. */
const fromOf = (path: string | undefined): string => {
  const own = localAdminPath(path)
  return localAdminPath(own ? new URL(own, 'http://parley.invalid').searchParams.get('from') : undefined) ?? '/admin'
}

const filterText = (value: string | undefined) => value?.trim().slice(0, 200) || undefined

async function renderDetails(c: Context<AppEnv>, session: PageSession, id: number, view: Partial<CommentView>): Promise<Response> {
  const { deps } = c.env
  const details = await commentDetails(deps.db, deps.secrets, id)
  if (!details) throw commentNotFound()
  return commentPage({ session, ...details, from: view.from ?? '/admin', ...view })
}

/** Re-shows the details page with a refused edit or reply, its error beside the form it came from. */
async function refused(
  c: Context<AppEnv>,
  session: PageSession,
  id: number,
  back: string | undefined,
  error: unknown,
  form: 'edit' | 'reply',
  typed: string,
): Promise<Response> {
  if (!(error instanceof AppError) || error.status !== 422) throw error
  // A 422 without field errors (a parent that is gone) is shown beside the form it came from.
  const errors = (error.errors ?? [{ field: 'body', code: 'invalid_value' as const, message: error.detail }]).map((e) => ({
    ...e,
    field: form === 'reply' ? 'reply' : e.field,
  }))
  return renderDetails(c, session, id, {
    from: fromOf(back),
    errors,
    typed: { [form]: typed },
    status: 422,
    notice: { text: errors[0]?.message ?? error.detail, error: true },
  })
}

/** The queues, a comment's details, and every action on comments, as forms. */
export const adminCommentPages = new Hono<AppEnv>()
  .get(
    '/',
    page('moderator', async (c, session) => {
      const query = c.req.query()
      const limit = query.limit && /^\d{1,3}$/.test(query.limit) ? Math.min(200, Math.max(1, Number(query.limit))) : undefined
      const filter: QueueFilter = {
        queue: isQueue(query.queue) ? query.queue : 'pending',
        article: filterText(query.article),
        q: filterText(query.q),
        limit,
        newest: query.order === 'newest',
      }
      const cursor = query.cursor ? (decodeCursor(query.cursor) ?? null) : null
      const { deps } = c.env
      const result = await listQueue(deps.db, deps.secrets, {
        status: filter.queue === 'reported' ? undefined : filter.queue,
        reported: filter.queue === 'reported',
        articleKey: filter.article,
        q: filter.q,
        cursor,
        limit: limit ?? QUEUE_PAGE,
        order: filter.newest ? 'newest' : 'oldest',
      })
      return queuePage({
        session,
        filter,
        comments: result.comments,
        counts: result.counts,
        nextCursor: result.next ? encodeCursor(result.next) : null,
        paged: cursor !== null,
        tickAll: query.tick === 'all',
        notice: noticeFor(query.done, query.n),
        undo: undoForm(session, decodeUndo(query.undo, query.done), queueUrl(filter, cursor ? { cursor: encodeCursor(cursor) } : {})),
        self: queueUrl(filter, cursor ? { cursor: encodeCursor(cursor) } : {}),
      })
    }),
  )
  .get(
    '/comments/:id',
    page('moderator', async (c, session) => {
      const notice = noticeFor(c.req.query('done'), c.req.query('n'))
      const id = commentId(c)
      const from = localAdminPath(c.req.query('from')) ?? '/admin'
      const undo = undoForm(session, decodeUndo(c.req.query('undo'), c.req.query('done')), commentUrl(id, from))
      return renderDetails(c, session, id, { from, notice: notice ? { text: notice, action: undo } : undefined })
    }),
  )
  .get(
    '/comments/:id/commenter',
    page('moderator', async (c, session) => {
      const { deps } = c.env
      const id = commentId(c)
      const from = localAdminPath(c.req.query('from')) ?? '/admin'
      const given = c.req.query('cursor')
      // A cursor this page did not give out is the first page.
      const cursor = (given && decodeCursor(given)) || null
      const history = await commenterHistory(deps.db, deps.secrets, id, { limit: QUEUE_PAGE, cursor, now: deps.clock() })
      if (!history) throw commentNotFound()
      const url = (at?: string) =>
        `/admin/comments/${id}/commenter?${new URLSearchParams({ from, ...(at ? { cursor: at } : {}) }).toString()}`
      return commenterPage({
        session,
        commentId: id,
        history,
        from,
        self: url(given && cursor ? given : undefined),
        nextUrl: history.next ? url(encodeCursor(history.next)) : null,
        notice: noticeFor(c.req.query('done'), c.req.query('n')),
      })
    }),
  )
  .post(
    '/comments/:id/rules',
    action('moderator', async (c, session, form) => {
      const ctx = moderationContext(c)
      const id = commentId(c)
      const back = localAdminPath(form.text('back')) ?? commentUrl(id, '/admin')
      const rule = ruleOfForm(form, ctx.now)
      if (!rule) return messagePage({ status: 422, title: 'Not a ban', message: 'That form is not one of a comment page.', session })
      try {
        await addRule(ctx, { ...rule, commentId: id })
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        return messagePage({ status: 422, title: 'Not banned', message: error.errors?.[0]?.message ?? error.detail, session })
      }
      return c.redirect(withNotice(back, rule.action === 'ban' ? 'banned' : 'trusted'), 303)
    }),
  )
  .get(
    '/comments/:id/delete',
    page('moderator', async (c, session) => {
      const { deps } = c.env
      const details = await commentDetails(deps.db, deps.secrets, commentId(c), 0)
      if (!details) throw commentNotFound()
      return deleteConfirmPage(session, details.comment, localAdminPath(c.req.query('from')) ?? '/admin')
    }),
  )
  .post(
    '/comments/bulk',
    action('moderator', async (c, session, form) => {
      const back = localAdminPath(form.text('back')) ?? '/admin'
      const status = form.text('status')
      const ids = form
        .list('ids')
        .map(toId)
        .filter((id): id is number => id !== undefined)
      if (!isStatus(status))
        return messagePage({
          status: 422,
          title: 'Unknown action',
          message: 'That is not an action on comments.',
          session,
          link: { href: back, text: 'Back' },
        })
      if (ids.length === 0) return c.redirect(withNotice(back, status, 0), 303)
      if (ids.length > BULK_MAX)
        return messagePage({
          status: 422,
          title: 'Too many',
          message: `Act on at most ${BULK_MAX} comments at once.`,
          session,
          link: { href: back, text: 'Back' },
        })
      const { updated, changed } = await bulkModerate(moderationContext(c), ids, status)
      return c.redirect(withNotice(back, status, updated, encodeUndo(changed)), 303)
    }),
  )
  .post(
    '/comments/:id/status',
    action('moderator', async (c, session, form) => {
      const id = commentId(c)
      const status = form.text('status')
      const back = localAdminPath(form.text('back')) ?? commentUrl(id)
      if (!isStatus(status))
        return messagePage({
          status: 422,
          title: 'Unknown action',
          message: 'That is not an action on comments.',
          session,
          link: { href: back, text: 'Back' },
        })
      const changed = await moderateComment(moderationContext(c), id, { status })
      return c.redirect(withNotice(back, status, undefined, encodeUndo(changed)), 303)
    }),
  )
  .post(
    '/comments/:id/keep',
    action('moderator', async (c, _session, form) => {
      const id = commentId(c)
      await dismissReports(moderationContext(c), id)
      return c.redirect(withNotice(localAdminPath(form.text('back')) ?? commentUrl(id), 'kept'), 303)
    }),
  )
  .post(
    '/comments/:id/edit',
    action('moderator', async (c, session, form) => {
      const id = commentId(c)
      const back = localAdminPath(form.text('back'))
      const body = form.text('body') ?? ''
      try {
        await moderateComment(moderationContext(c), id, { body })
      } catch (error) {
        return refused(c, session, id, back, error, 'edit', body)
      }
      return c.redirect(withNotice(back ?? commentUrl(id), 'edited'), 303)
    }),
  )
  .post(
    '/comments/:id/reply',
    action('moderator', async (c, session, form) => {
      const id = commentId(c)
      const back = localAdminPath(form.text('back'))
      const body = form.text('body') ?? ''
      try {
        await replyAsModerator(moderationContext(c), id, body)
      } catch (error) {
        return refused(c, session, id, back, error, 'reply', body)
      }
      return c.redirect(withNotice(back ?? commentUrl(id), 'replied'), 303)
    }),
  )
  .post(
    '/comments/:id/delete',
    action('moderator', async (c, _session, form) => {
      await deleteComment(moderationContext(c), commentId(c))
      return c.redirect(withNotice(localAdminPath(form.text('back')) ?? '/admin', 'deleted'), 303)
    }),
  )
