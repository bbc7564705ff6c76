import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { problemHeaders } from '../http/problem-response.js'
import { classifyError } from '../http/classify-error.js'
import { MAX_BODY_BYTES, limitBody } from '../http/request-guards.js'
import { deadline } from '../http/deadline.js'
import { clientIp } from '../http/client-ip.js'
import { fromOwnOrigin } from '../http/moderator-auth.js'
import {
  clearSessionCookie,
  cookieNeedsHttps,
  readDeviceCookie,
  readSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from '../http/session-cookie.js'
import { login } from '../auth/login.js'
import { endSession } from '../auth/sessions.js'
import { localAdminPath } from '../admin-pages/admin-urls.js'
import { loginPage, needsHttps } from '../admin-pages/login-page.js'
import { messagePage } from '../admin-pages/layout.js'
import { DASHBOARD_CHALLENGE, action, pageSession } from './admin-page-guard.js'
import { PostedForm } from './posted-form.js'
import { adminCommentPages } from './admin-comment-pages.js'
import { adminDeskPages } from './admin-desk-pages.js'
import { oidcLoginPages } from './oidc-login-routes.js'
import { adminSitePages } from './admin-site-pages.js'
import { adminBanPages } from './admin-ban-pages.js'

/** Sign-in and sign-out: the dashboard's own plumbing (its script and stylesheet: client-file-routes). */
const adminSessionPages = new Hono<AppEnv>()
  .get('/login', async (c) => {
    const next = localAdminPath(c.req.query('next'))
    if (await pageSession(c)) return c.redirect(next ?? '/admin', 303)
    return loginPage({
      next,
      notice: c.req.query('done') === 'signed-out' ? 'You are signed out.' : undefined,
      oidc: c.env.deps.oidc?.config.label,
    })
  })
  .post('/login', async (c) => {
    const { deps } = c.env
    // No session yet, so no CSRF token: the same-origin check alone keeps other sites from signing someone in.
    if (!fromOwnOrigin(c))
      return messagePage({
        status: 403,
        title: 'Refused',
        message: "Sign in from this dashboard's own page.",
        link: { href: '/admin/login', text: 'Sign in' },
      })
    const form = await PostedForm.read(c)
    const email = (form.text('email') ?? '').slice(0, 320)
    const next = localAdminPath(form.text('next'))
    try {
      const ctx = {
        db: deps.db,
        passwords: deps.passwords,
        secrets: deps.secrets,
        now: deps.clock(),
        ip: clientIp(c),
        device: readDeviceCookie(c),
        limits: deps.config.sessions,
      }
      const session = await login(ctx, email, (form.text('password') ?? '').slice(0, 1024))
      const plainHttp = cookieNeedsHttps(c)
      if (plainHttp) {
        // The browser would drop the Secure cookie and land back here with no reason given: say it instead.
        await endSession(deps.db, session.token)
        return loginPage({ email, next, error: needsHttps(plainHttp), status: 403, oidc: deps.oidc?.config.label })
      }
      setSessionCookie(c, session.token)
      setDeviceCookie(c, session.device)
      return c.redirect(next ?? '/admin', 303)
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error
      const response = loginPage({ email, next, error: error.detail, status: error.status, oidc: deps.oidc?.config.label })
      for (const [name, value] of Object.entries(problemHeaders(error))) response.headers.set(name, value)
      if (error.status === 401) response.headers.set('WWW-Authenticate', DASHBOARD_CHALLENGE)
      return response
    }
  })
  .post(
    '/logout',
    action('moderator', async (c) => {
      const token = readSessionCookie(c)
      if (token) await endSession(c.env.deps.db, token)
      clearSessionCookie(c)
      return c.redirect('/admin/login?done=signed-out', 303)
    }),
  )

/**
 * GET /admin, the moderation dashboard: server-rendered pages whose every action is a plain form
 * POST (then a redirect), with keyboard shortcuts added by /admin/admin.js. It signs in with the
 * API's session cookie, and guards its forms with a CSRF token and the API's same-origin check.
 */
export const adminPageRoutes = new Hono<AppEnv>()
  .use('/*', deadline())
  .use(
    '/*',
    limitBody(MAX_BODY_BYTES, (error) => messagePage({ status: error.status, title: 'Too large', message: error.detail })),
  )
  .route('/', adminSessionPages)
  .route('/', oidcLoginPages)
  .route('/', adminCommentPages)
  .route('/', adminDeskPages)
  .route('/', adminSitePages)
  .route('/', adminBanPages)
  .all('/*', async (c) => messagePage({ status: 404, title: 'Not found', message: 'Nothing is here.', session: await pageSession(c) }))

// Pages answer errors as pages: the one classifier (shared with the API) names and logs them, this shows them.
adminPageRoutes.onError(async (thrown, c) => {
  const error = classifyError(thrown, c)
  const title = error.status === 404 ? 'Not found' : 'Something went wrong'
  const response = messagePage({ status: error.status, title, message: error.detail, session: await pageSession(c).catch(() => undefined) })
  for (const [name, value] of Object.entries(problemHeaders(error))) response.headers.set(name, value)
  return response
})
