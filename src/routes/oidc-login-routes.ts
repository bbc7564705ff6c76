import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { problemHeaders } from '../http/problem-response.js'
import { ownOrigin } from '../http/origins.js'
import { clearOidcCookie, cookieNeedsHttps, readOidcCookie, setOidcCookie, setSessionCookie } from '../http/session-cookie.js'
import { signInVouched, type PendingLogin } from '../auth/oidc-login.js'
import { endSession } from '../auth/sessions.js'
import { localAdminPath } from '../admin-pages/admin-urls.js'
import { loginPage, needsHttps, signedInPage } from '../admin-pages/login-page.js'

const CALLBACK = '/admin/login/oidc/callback'

/** The login page again, with why the provider's sign-in did not open the dashboard. */
function refusedPage(c: Context<AppEnv>, error: unknown, next: string | undefined): Response {
  if (!(error instanceof AppError) || ![401, 403, 503].includes(error.status)) throw error
  // The provider out of reach or refusing Parley: the operator's to mend, so the log says why (never a claim or code).
  if (error.status === 503) c.env.deps.logger.warn('identity provider sign-in unavailable', { reason: error.detail })
  const response = loginPage({ next, error: error.detail, status: error.status, oidc: c.env.deps.oidc?.config.label })
  for (const [name, value] of Object.entries(problemHeaders(error))) response.headers.set(name, value)
  return response
}

/** The pending sign-in the browser brings back (sealed by Parley), or null. */
async function pendingOf(c: Context<AppEnv>): Promise<PendingLogin | null> {
  const sealed = readOidcCookie(c)
  if (!sealed || sealed.length > 2000) return null
  try {
    const pending = JSON.parse(await c.env.deps.secrets.unseal(sealed)) as PendingLogin
    return typeof pending.state === 'string' && typeof pending.verifier === 'string' ? pending : null
  } catch {
    return null
  }
}

/**
 * Moderators' sign-in through the site's OpenID Connect provider (PARLEY_OIDC_*), beside the
 * password form: /admin/login/oidc sends the browser to the provider; the provider sends it back
 * to /admin/login/oidc/callback, which opens a dashboard session as the password login does.
 */
export const oidcLoginPages = new Hono<AppEnv>()
  .get('/login/oidc', async (c) => {
    const { deps } = c.env
    if (!deps.oidc) return c.redirect('/admin/login', 303)
    const next = localAdminPath(c.req.query('next')) ?? null
    try {
      const { url, pending } = await deps.oidc.begin(`${ownOrigin(c)}${CALLBACK}`, next, deps.clock())
      setOidcCookie(c, await deps.secrets.seal(JSON.stringify(pending)))
      return c.redirect(url, 303)
    } catch (error) {
      return refusedPage(c, error, next ?? undefined)
    }
  })
  .get('/login/oidc/callback', async (c) => {
    const { deps } = c.env
    if (!deps.oidc) return c.redirect('/admin/login', 303)
    const pending = await pendingOf(c)
    // Used once: a second visit to the same address finds nothing to finish.
    clearOidcCookie(c)
    const next = pending?.next ?? undefined
    try {
      const now = deps.clock()
      const query = c.req.query()
      const who = await deps.oidc.complete(
        { code: query.code, state: query.state, error: query.error },
        pending,
        `${ownOrigin(c)}${CALLBACK}`,
        now,
      )
      const { token } = await signInVouched({ db: deps.db, passwords: deps.passwords, limits: deps.config.sessions, now }, who)
      const plainHttp = cookieNeedsHttps(c)
      if (plainHttp) {
        await endSession(deps.db, token)
        return loginPage({ next, error: needsHttps(plainHttp), status: 403, oidc: deps.oidc.config.label })
      }
      setSessionCookie(c, token)
      const page = signedInPage(next ?? '/admin')
      // Through the context, so that the cookies set on it (the session; the pending sign-in cleared) go with the page.
      const headers: Record<string, string> = {}
      page.headers.forEach((value, name) => {
        headers[name] = value
      })
      return c.body(await page.text(), 200, headers)
    } catch (error) {
      return refusedPage(c, error, next)
    }
  })
