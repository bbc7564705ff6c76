import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.js'
import { SESSION_COOKIE } from './moderator-auth.js'
import { isLoopback, ownOrigin } from './origins.js'

/**
 * Secure, except on a plain-http origin that is loopback (some browsers drop a Secure cookie there)
 * or that PARLEY_PUBLIC_URL names: an operator who writes an http:// public URL (a LAN address) has
 * said that Parley is reached over plain HTTP, and a Secure cookie would never come back.
 */
function cookieIsSecure(c: Context<AppEnv>): boolean {
  const own = ownOrigin(c)
  return !(new URL(own).protocol === 'http:' && (isLoopback(own) || c.env.deps.config.publicUrl !== null))
}

/**
 * The origin the browser signs in on when its session cookie could never stick: plain HTTP on a
 * host that is neither loopback nor PARLEY_PUBLIC_URL's, where browsers refuse a Secure cookie
 * without a word. Without PARLEY_PUBLIC_URL the own origin is the request's, so http here means the
 * browser's page is http too (its Origin matched it).
 */
export function cookieNeedsHttps(c: Context<AppEnv>): string | undefined {
  const own = ownOrigin(c)
  return cookieIsSecure(c) && new URL(own).protocol === 'http:' ? own : undefined
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
