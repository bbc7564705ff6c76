import type { Context, Handler } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { ModeratorRole } from '../db/schema.js'
import type { ModeratorRow } from '../auth/moderator-store.js'
import { resolveSession } from '../auth/sessions.js'
import { fromOwnOrigin } from '../http/moderator-auth.js'
import { SESSION_COOKIE, readSessionCookie } from '../http/session-cookie.js'
import { constantTimeEqual } from '../crypto/tokens.js'
import { toBase64Url, utf8 } from '../crypto/encoding.js'
import { messagePage } from '../admin-pages/layout.js'
import { localAdminPath } from '../admin-pages/admin-urls.js'
import { PostedForm } from './posted-form.js'

/** Who is signed in to the dashboard, and the token their forms must carry. */
export interface PageSession {
  moderator: ModeratorRow
  csrf: string
}

/**
 * The session's CSRF token: an HMAC keyed by the session token itself. It needs no storage, changes
 * with every session, and reveals nothing of the token (which stays in its HttpOnly cookie).
 */
async function csrfTokenFor(sessionToken: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', utf8.encode(sessionToken), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8.encode('parley/admin-csrf/v1'))))
}

/**
 * The dashboard signs in with the session cookie only: it is a browser's surface, and bearer
 * clients have the JSON API.
 */
export async function pageSession(c: Context<AppEnv>): Promise<PageSession | undefined> {
  const token = readSessionCookie(c)
  if (!token) return undefined
  const { deps } = c.env
  const moderator = await resolveSession(deps.db, token, deps.clock(), deps.config.sessions)
  return moderator ? { moderator, csrf: await csrfTokenFor(token) } : undefined
}

/**
 * A dashboard 401's challenge (RFC 9110 §11.6.1: every 401 names one). The dashboard takes the
 * session cookie alone, which no registered scheme describes: this is the form of the "Cookie"
 * scheme draft (draft-broyer-http-cookie-auth), naming the login form and the cookie it sets.
 */
export const DASHBOARD_CHALLENGE = `Cookie realm="parley" form-action="/admin/login" cookie-name="${SESSION_COOKIE}"`

const forbidden = (session: PageSession) =>
  messagePage({ status: 403, title: 'Not allowed', message: 'This page is for admins only.', session })

/** A page for signed-in moderators of at least `role`; anyone else is sent to the login page. */
export function page(role: ModeratorRole, handler: (c: Context<AppEnv>, session: PageSession) => Promise<Response>): Handler<AppEnv> {
  return async (c) => {
    const session = await pageSession(c)
    if (!session) {
      const url = new URL(c.req.url)
      const next = localAdminPath(url.pathname + url.search)
      return c.redirect(next && next !== '/admin' ? `/admin/login?next=${encodeURIComponent(next)}` : '/admin/login', 303)
    }
    if (role === 'admin' && session.moderator.role !== 'admin') return forbidden(session)
    c.set('moderator', session.moderator)
    return handler(c, session)
  }
}

/**
 * A form POST that changes something. It must come with a live session, from Parley's own origin
 * (as the API asks of cookie requests), and carry this session's CSRF token.
 */
export function action(
  role: ModeratorRole,
  handler: (c: Context<AppEnv>, session: PageSession, form: PostedForm) => Promise<Response>,
): Handler<AppEnv> {
  return async (c) => {
    const session = await pageSession(c)
    if (!session) {
      // Not a redirect: the change was not made, and a login would not replay it.
      const signedOut = messagePage({
        status: 401,
        title: 'Signed out',
        message: 'Your session has ended, so nothing was changed. Please sign in again.',
        link: { href: '/admin/login', text: 'Sign in' },
      })
      signedOut.headers.set('WWW-Authenticate', DASHBOARD_CHALLENGE)
      return signedOut
    }
    const refused = () =>
      messagePage({
        status: 403,
        title: 'Refused',
        message: 'This form did not come from this dashboard, so nothing was changed. Reload the page and try again.',
        session,
      })
    if (!fromOwnOrigin(c)) return refused()
    const form = await PostedForm.read(c)
    const token = form.text('csrf') ?? ''
    if (!constantTimeEqual(token, session.csrf)) return refused()
    if (role === 'admin' && session.moderator.role !== 'admin') return forbidden(session)
    // The domain's moderation context reads the acting moderator from here, as on the API.
    c.set('moderator', session.moderator)
    return handler(c, session, form)
  }
}
