import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { AppError, type FieldError } from '../errors.js'
import { besideField, fieldErrorsOf } from '../zod-issues.js'
import { toId } from '../http/row-ids.js'
import { articleKeyPattern, isOpen } from '../articles/articles.js'
import { listArticles, putArticle } from '../moderation/moderated-articles.js'
import { listLog } from '../audit/audit-log.js'
import { settingsPatchSchema } from '../settings/settings-schema.js'
import { changeSettings } from '../settings/change-settings.js'
import { listModerators, toModeratorView, type ModeratorChange } from '../auth/moderator-store.js'
import { addModerator, changeModerator } from '../auth/manage-moderators.js'
import { localAdminPath, withNotice } from '../admin-pages/admin-urls.js'
import { noticeFor } from '../admin-pages/notices.js'
import { messagePage } from '../admin-pages/layout.js'
import { articlesPage } from '../admin-pages/articles-page.js'
import { logPage } from '../admin-pages/log-page.js'
import { settingsPage } from '../admin-pages/settings-page.js'
import { BOX_INPUTS, TEXT_INPUTS, readSettingsForm } from '../admin-pages/settings-form.js'
import { moderatorsPage, type ModeratorsView } from '../admin-pages/moderators-page.js'
import { moderationContext } from './moderation-routes.js'
import { DIGESTS, prefsOf, savePrefs } from '../notifications/notification-prefs.js'
import { mailStats } from '../notifications/mail-stats.js'
import { notificationsPage } from '../admin-pages/notifications-page.js'
import { action, page, type PageSession } from './admin-page-guard.js'
import type { PostedForm } from './posted-form.js'

const PAGE = 50

/** An id cursor from the query; anything else starts at the beginning. */
const idCursor = (text: string | undefined): number | null => (text === undefined ? null : (toId(text) ?? null))

const noticeOf = (text: string | undefined) => (text ? { text } : undefined)

/** A refusal with field errors, or anything else (thrown on). */
function fieldErrors(error: unknown): FieldError[] {
  if (error instanceof AppError && error.status === 422)
    return error.errors ?? [{ field: 'form', code: 'invalid_value', message: error.detail }]
  throw error
}

async function renderModerators(
  c: { env: AppEnv['Bindings'] },
  session: PageSession,
  extra: Partial<ModeratorsView> = {},
): Promise<Response> {
  const moderators = (await listModerators(c.env.deps.db)).map(toModeratorView)
  return moderatorsPage({ session, moderators, ...extra })
}

async function renderNotifications(c: { env: AppEnv['Bindings'] }, session: PageSession, notice?: { text: string }): Promise<Response> {
  const { deps } = c.env
  const [prefs, stats] = await Promise.all([prefsOf(deps.db, session.moderator.id), mailStats(deps.db)])
  return notificationsPage({
    session: { ...session, email: session.moderator.email },
    prefs,
    stats,
    transport: deps.mail?.describe ?? null,
    notice,
  })
}

const typedOf = (form: PostedForm, names: string[]) => Object.fromEntries(names.map((name) => [name, form.text(name) ?? '']))

/** Articles for every moderator; settings, moderators and the audit log for admins. */
export const adminSitePages = new Hono<AppEnv>()
  .get(
    '/articles',
    page('moderator', async (c, session) => {
      const { deps } = c.env
      const cursor = idCursor(c.req.query('cursor'))
      const [result, settings] = await Promise.all([listArticles(deps.db, cursor, PAGE), deps.settings.get(deps.db)])
      const now = deps.clock()
      const articles = result.articles.map((a) => ({
        ...a,
        closedByAge: a.open && !isOpen({ open: a.open, createdAt: new Date(a.createdAt) }, settings.values, now),
      }))
      return articlesPage({
        session,
        articles,
        nextCursor: result.next === null ? null : String(result.next),
        paged: cursor !== null,
        notice: noticeFor(c.req.query('done'), undefined),
        self: cursor === null ? '/admin/articles' : `/admin/articles?cursor=${cursor}`,
      })
    }),
  )
  .post(
    '/articles/state',
    action('moderator', async (c, session, form) => {
      const key = form.text('key') ?? ''
      const open = form.text('open') === 'true'
      if (!articleKeyPattern.test(key))
        return messagePage({ status: 422, title: 'No such article', message: 'That is not an article key.', session })
      await putArticle(moderationContext(c), key, { open }, null) // no URL: nothing to check it against
      return c.redirect(withNotice(localAdminPath(form.text('back')) ?? '/admin/articles', open ? 'opened' : 'closed'), 303)
    }),
  )
  .post(
    '/articles/moderation',
    action('moderator', async (c, session, form) => {
      const key = form.text('key') ?? ''
      const moderation = form.text('moderation')
      if (!articleKeyPattern.test(key) || (moderation !== 'hold' && moderation !== 'rules'))
        return messagePage({ status: 422, title: 'No such article', message: 'That is not an article key.', session })
      await putArticle(moderationContext(c), key, { moderation: moderation === 'hold' ? 'hold' : null }, null)
      return c.redirect(
        withNotice(localAdminPath(form.text('back')) ?? '/admin/articles', moderation === 'hold' ? 'held-all' : 'by-rules'),
        303,
      )
    }),
  )
  .get(
    '/settings',
    page('admin', async (c, session) => {
      const { deps } = c.env
      deps.settings.invalidate()
      return settingsPage({
        session,
        values: (await deps.settings.get(deps.db)).values,
        notice: noticeOf(noticeFor(c.req.query('done'), undefined)),
      })
    }),
  )
  .post(
    '/settings',
    action('admin', async (c, session, form) => {
      const { deps } = c.env
      const { patch, errors } = readSettingsForm((name) => form.text(name))
      const checked = settingsPatchSchema.safeParse(patch)
      const all = [...errors, ...(checked.success ? [] : fieldErrorsOf(checked.error.issues, 'settings', patch, besideField))]
      let saved: Awaited<ReturnType<typeof changeSettings>> | undefined
      if (all.length === 0 && checked.success) {
        try {
          saved = await changeSettings(deps, session.moderator.id, checked.data)
        } catch (error) {
          all.push(...fieldErrors(error))
        }
      }
      if (!saved) {
        const ticked = Object.fromEntries(BOX_INPUTS.map((name) => [name, form.checked(name)]))
        const current = (await deps.settings.get(deps.db)).values
        return settingsPage({ session, values: current, typed: typedOf(form, TEXT_INPUTS), ticked, errors: all, status: 422 })
      }
      // The filter's new signing secret is shown this once, so this answer is a page, not a redirect.
      if (saved.filterSecret) {
        return settingsPage({
          session,
          values: saved.values,
          notice: { text: `Settings saved. Your filter's signing secret, shown only now: ${saved.filterSecret}` },
        })
      }
      return c.redirect('/admin/settings?done=settings', 303)
    }),
  )
  .get(
    '/moderators',
    page('admin', async (c, session) => renderModerators(c, session, { notice: noticeOf(noticeFor(c.req.query('done'), undefined)) })),
  )
  .post(
    '/moderators',
    action('admin', async (c, session, form) => {
      const role = form.text('role') === 'admin' ? 'admin' : 'moderator'
      try {
        await addModerator(c.env.deps, session.moderator.id, {
          email: form.text('email') ?? '',
          name: form.text('name') ?? '',
          role,
          password: form.text('password') ?? '',
        })
      } catch (error) {
        const errors = fieldErrors(error)
        return renderModerators(c, session, {
          failed: { form: 'new', errors, typed: typedOf(form, ['email', 'name', 'role']) },
          status: 422,
          notice: { text: errors[0]?.message ?? 'Not added.', error: true },
        })
      }
      return c.redirect('/admin/moderators?done=moderator-added', 303)
    }),
  )
  .post(
    '/moderators/:id',
    action('admin', async (c, session, form) => {
      const id = toId(c.req.param('id') ?? '')
      const target = id === undefined ? undefined : (await listModerators(c.env.deps.db)).find((m) => m.id === id)
      if (id === undefined || !target) throw new AppError('not_found', 'There is no such moderator.')
      // Only what differs from the account now, so that saving an untouched form changes and logs nothing.
      const email = form.text('email')?.trim().toLowerCase()
      const name = form.text('name')?.trim()
      const role = form.text('role') === 'admin' ? 'admin' : 'moderator'
      const disabled = form.checked('disabled')
      const password = form.text('password') ?? ''
      const change: ModeratorChange = {
        ...(email !== undefined && email !== '' && email !== target.email ? { email } : {}),
        ...(name !== undefined && name !== target.name ? { name } : {}),
        ...(role !== target.role ? { role } : {}),
        ...(disabled !== target.disabled ? { disabled } : {}),
        ...(password !== '' ? { password } : {}),
      }
      if (Object.keys(change).length === 0) return c.redirect('/admin/moderators?done=unchanged', 303)
      try {
        await changeModerator(c.env.deps, session.moderator.id, id, change)
      } catch (error) {
        const errors = fieldErrors(error)
        return renderModerators(c, session, {
          failed: { form: id, errors, typed: typedOf(form, ['email', 'name', 'role']) },
          status: 422,
          notice: { text: errors[0]?.message ?? 'Not saved.', error: true },
        })
      }
      return c.redirect('/admin/moderators?done=moderator-saved', 303)
    }),
  )
  .get(
    '/notifications',
    page('moderator', async (c, session) => renderNotifications(c, session, noticeOf(noticeFor(c.req.query('done'), undefined)))),
  )
  .post(
    '/notifications',
    action('moderator', async (c, session, form) => {
      const digest = DIGESTS.find((d) => d === form.text('digest')) ?? 'off'
      const prefs = { held: form.checked('held'), reported: form.checked('reported'), every: form.checked('every'), digest }
      await savePrefs(c.env.deps.db, session.moderator.id, prefs, c.env.deps.clock())
      return c.redirect('/admin/notifications?done=notifications', 303)
    }),
  )
  .get(
    '/log',
    page('admin', async (c, session) => {
      const cursor = idCursor(c.req.query('cursor'))
      const result = await listLog(c.env.deps.db, cursor, PAGE)
      return logPage({
        session,
        entries: result.entries,
        nextCursor: result.next === null ? null : String(result.next),
        paged: cursor !== null,
      })
    }),
  )
