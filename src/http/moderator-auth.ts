import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { ModeratorRole } from '../db/schema.js'
import { resolveSession } from '../auth/sessions.js'
import { AppError } from '../errors.js'
import { bearerToken } from './bearer-token.js'
import { ownOrigin } from './origins.js'
import { readSessionCookie } from './session-cookie.js'

const changesState = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'

/** A cookie-authenticated change must come from Parley's own pages (Origin, or Sec-Fetch-Site). */
export function fromOwnOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin')
  if (origin !== undefined) return origin === ownOrigin(c)
  return c.req.header('sec-fetch-site') === 'same-origin'
}

/** The session's token: the bearer header first, then the cookie. */
export function sessionToken(c: Context<AppEnv>): { token: string; viaCookie: boolean } | undefined {
  const bearer = bearerToken(c)
  if (bearer) return { token: bearer, viaCookie: false }
  const cookie = readSessionCookie(c)
  return cookie ? { token: cookie, viaCookie: true } : undefined
}

/** Signed-in moderators only (401), of at least `role` (403); sets `c.var.moderator`. */
export function requireRole(role: ModeratorRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { deps } = c.env
    const session = sessionToken(c)
    const moderator = session ? await resolveSession(deps.db, session.token, deps.clock(), deps.config.sessions) : undefined
    if (!session || !moderator) throw new AppError('unauthenticated', 'Please sign in.')
    if (session.viaCookie && changesState(c.req.method) && !fromOwnOrigin(c)) {
      throw new AppError('forbidden', "This change must come from Parley's own pages.")
    }
    if (role === 'admin' && moderator.role !== 'admin') throw new AppError('forbidden', 'This needs an admin.')
    c.set('moderator', moderator)
    await next()
  }
}
