import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { messagePage } from '../admin-pages/layout.js'
import { commentUrl, localAdminPath, withNotice } from '../admin-pages/admin-urls.js'
import { decodeUndo } from '../admin-pages/undo-notice.js'
import { moderateComment, undoStatusChanges } from '../moderation/moderate-comment.js'
import { addNote, removeNote } from '../moderation/commenter-notes.js'
import { moderationContext } from './moderation-routes.js'
import { action } from './admin-page-guard.js'
import { commentId } from './admin-comment-pages.js'

/** The desk's actions beside a comment's status (issue 20): notes on its commenter, Undo, editor's picks, as forms. */
export const adminDeskPages = new Hono<AppEnv>()
  .post(
    '/comments/:id/notes',
    action('moderator', async (c, session, form) => {
      const id = commentId(c)
      const back = localAdminPath(form.text('back')) ?? `/admin/comments/${id}/commenter`
      try {
        await addNote(moderationContext(c), id, form.text('body') ?? '')
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        const message = error.errors?.[0]?.message ?? error.detail
        return messagePage({ status: 422, title: 'Note not added', message, session, link: { href: back, text: 'Back' } })
      }
      return c.redirect(withNotice(back, 'note-added'), 303)
    }),
  )
  .post(
    '/notes/:id/delete',
    action('moderator', async (c, _session, form) => {
      const id = toId(c.req.param('id') ?? '')
      if (id === undefined) throw new AppError('not_found', 'No such note.')
      await removeNote(moderationContext(c), id)
      return c.redirect(withNotice(localAdminPath(form.text('back')) ?? '/admin', 'note-removed'), 303)
    }),
  )
  .post(
    '/comments/undo',
    action('moderator', async (c, _session, form) => {
      const back = localAdminPath(form.text('back')) ?? '/admin'
      const reverted = await undoStatusChanges(moderationContext(c), decodeUndo(form.text('undo'), form.text('to')))
      return c.redirect(withNotice(back, 'undone', reverted), 303)
    }),
  )
  .post(
    '/comments/:id/feature',
    action('moderator', async (c, session, form) => {
      const id = commentId(c)
      const back = localAdminPath(form.text('back')) ?? commentUrl(id)
      const featured = form.text('featured') === '1'
      try {
        await moderateComment(moderationContext(c), id, { featured })
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        return messagePage({ status: 422, title: 'Not featured', message: error.errors?.[0]?.message ?? error.detail, session })
      }
      return c.redirect(withNotice(back, featured ? 'featured' : 'unfeatured'), 303)
    }),
  )
