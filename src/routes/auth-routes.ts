import * as z from 'zod/mini'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { login } from '../auth/login.js'
import { endSession } from '../auth/sessions.js'
import { toModeratorView } from '../auth/moderator-accounts.js'
import { clientIp } from '../http/client-ip.js'
import { requireRole, sessionToken } from '../http/moderator-auth.js'
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.js'
import { ModeratorSchema, authProblems, jsonBody, jsonContent, problem } from './schemas.js'

const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  summary: 'Sign in: a bearer token and an HttpOnly session cookie',
  request: { body: jsonBody(z.object({ email: z.string().check(z.maxLength(320)), password: z.string().check(z.maxLength(1024)) })) },
  responses: {
    200: jsonContent('Signed in', z.object({ moderator: ModeratorSchema, token: z.string() })),
    401: problem('Unknown email or wrong password (the same answer for both)'),
    429: problem('Too many failed logins; see Retry-After'),
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  summary: 'End this session',
  middleware: [requireRole('moderator')] as const,
  responses: { 204: { description: 'Signed out' }, ...authProblems },
})

const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/me',
  summary: 'Who is signed in',
  middleware: [requireRole('moderator')] as const,
  responses: { 200: jsonContent('The moderator', z.object({ moderator: ModeratorSchema })), ...authProblems },
})

export const authRoutes = new OpenApiRoutes<AppEnv>()
  .openapi(loginRoute, async (c) => {
    const { deps } = c.env
    const { email, password } = c.req.valid('json')
    const now = deps.clock()
    const session = await login({ db: deps.db, passwords: deps.passwords, secrets: deps.secrets, now, ip: clientIp(c), limits: deps.config.sessions }, email, password)
    setSessionCookie(c, session.token)
    return c.json({ moderator: toModeratorView(session.moderator), token: session.token }, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(logoutRoute, async (c) => {
    const session = sessionToken(c)
    if (session) await endSession(c.env.deps.db, session.token)
    clearSessionCookie(c)
    return c.body(null, 204)
  })
  .openapi(meRoute, (c) => c.json({ moderator: toModeratorView(c.var.moderator) }, 200, { 'Cache-Control': 'no-store' }))
