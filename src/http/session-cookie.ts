import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.js'
import { SESSION_COOKIE } from './moderator-auth.js'
import { ownOrigin } from './origins.js'

/** Secure everywhere except plain-http localhost, where browsers would drop a Secure cookie. */
function cookieIsSecure(c: Context<AppEnv>): boolean {
  const { protocol, hostname } = new URL(ownOrigin(c))
  return !(protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]'))
}

/** The session cookie that the API's login and the dashboard's both set (API.md, Moderation API). */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookieIsSecure(c),
    path: '/',
    maxAge: c.env.deps.config.sessions.maxSeconds,
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: cookieIsSecure(c) })
}
