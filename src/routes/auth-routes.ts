import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { login } from '../auth/login.js'
import { endSession } from '../auth/sessions.js'
import { toModeratorView } from '../auth/moderator-store.js'
import { clientIp } from '../http/client-ip.js'
import { requireRole, sessionToken } from '../http/moderator-auth.js'
import { clearSessionCookie, readDeviceCookie, setDeviceCookie, setSessionCookie } from '../http/session-cookie.js'
import { ModeratorSchema, authProblems, jsonBody, jsonContent, noStore, retryLater, signInFirst } from './schemas.js'
import { moderatorSecurity } from '../openapi/security-schemes.js'

const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  operationId: 'login',
  tag: 'Auth',
  request: {
    body: jsonBody(
      z.object({
        email: z.string().check(z.maxLength(320), z.describe(DOCS ? 'The sign-in address (admin@localhost is one)' : '')),
        password: z.string().check(z.maxLength(1024)),
      }),
    ),
  },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? 'Signed in: the bearer token, and the same session as a cookie' : '',
        z.object({ moderator: ModeratorSchema, token: z.string() }),
      ),
      headers: {
        'Set-Cookie': {
          description: DOCS
            ? '`parley_session`, the session, and `parley_device`, which makes this browser a known one for the account for 90 days ' +
              '(the account-wide failure limit does not stop it); both HttpOnly, SameSite=Strict, Secure outside plain-http localhost, Path=/, ' +
              'and named `__Host-parley_session` and `__Host-parley_device` over https'
            : '',
          required: true,
        },
        ...noStore,
      },
    },
    401: signInFirst('Unknown email or wrong password (`invalid_credentials`, the same answer for both)'),
    429: retryLater(
      DOCS
        ? 'Too many failed logins for this account or network (`too_many_attempts`); the account-wide limit spares a network or device that signed in to it before'
        : '',
    ),
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  operationId: 'logout',
  tag: 'Auth',
  middleware: [requireRole('moderator')] as const,
  security: moderatorSecurity('moderator'),
  responses: {
    204: {
      description: DOCS ? 'Signed out' : '',
      headers: {
        'Set-Cookie': { description: DOCS ? 'Clears `parley_session` (`__Host-parley_session` over https)' : '', required: true },
      },
    },
    ...authProblems,
  },
})

const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/me',
  operationId: 'getSignedInModerator',
  tag: 'Auth',
  middleware: [requireRole('moderator')] as const,
  security: moderatorSecurity('moderator'),
  responses: {
    200: { ...jsonContent(DOCS ? 'The moderator' : '', z.object({ moderator: ModeratorSchema })), headers: noStore },
    ...authProblems,
  },
})

export const authRoutes = new OpenApiRoutes<AppEnv>('/api/v1/auth')
  .openapi(loginRoute, async (c) => {
    const { deps } = c.env
    const { email, password } = c.req.valid('json')
    const now = deps.clock()
    const session = await login(
      {
        db: deps.db,
        passwords: deps.passwords,
        secrets: deps.secrets,
        now,
        ip: clientIp(c),
        device: readDeviceCookie(c),
        limits: deps.config.sessions,
      },
      email,
      password,
    )
    setSessionCookie(c, session.token)
    setDeviceCookie(c, session.device)
    return c.json({ moderator: toModeratorView(session.moderator), token: session.token }, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(logoutRoute, async (c) => {
    const session = sessionToken(c)
    if (session) await endSession(c.env.deps.db, session.token)
    clearSessionCookie(c)
    return c.body(null, 204)
  })
  .openapi(meRoute, (c) => c.json({ moderator: toModeratorView(c.var.moderator) }, 200, { 'Cache-Control': 'no-store' }))
