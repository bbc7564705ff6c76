import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.js'
import { isLoopback, ownOrigin } from './origins.js'
import { KNOWN_LOGIN_SECONDS } from '../auth/known-logins.js'

/** The cookies' names; served over https they carry the `__Host-` prefix (`hostPrefixed`). */
export const SESSION_COOKIE = 'parley_session'
const DEVICE_COOKIE = 'parley_device'
const OIDC_COOKIE = 'parley_oidc'

/**
 * Where Parley is served over https its cookies carry the `__Host-` prefix: browsers then take them
 * only Secure, for Path=/ and without a Domain, so a sibling subdomain (or a man in the middle on
 * plain http) cannot plant one that shadows Parley's own, as it can a cookie without the prefix.
 * Only the prefixed name is read there: the unprefixed one is exactly what such a page could set.
 * On plain http (localhost, a test's origin) browsers refuse the prefix, so the plain name stays.
 */
function hostPrefixed(c: Context<AppEnv>): 'host' | undefined {
  return new URL(ownOrigin(c)).protocol === 'https:' ? 'host' : undefined
}

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

/** The session token the request's cookie carries, under the name this origin uses. */
export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE, hostPrefixed(c))
}

/** The session cookie that the API's login and the dashboard's both set (API.md, Moderation API). */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookieIsSecure(c),
    path: '/',
    maxAge: c.env.deps.config.sessions.maxSeconds,
    prefix: hostPrefixed(c),
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: cookieIsSecure(c), prefix: hostPrefixed(c) })
}

/** The proof that this browser signed in before (src/auth/known-logins.ts), if it kept one. */
export function readDeviceCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, DEVICE_COOKIE, hostPrefixed(c))
}

/**
 * Kept by the browser across sessions (logout leaves it): it makes this device a known one for
 * the account it signed in to, which the account-wide failure limit does not stop.
 */
export function setDeviceCookie(c: Context<AppEnv>, proof: string): void {
  setCookie(c, DEVICE_COOKIE, proof, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookieIsSecure(c),
    path: '/',
    maxAge: KNOWN_LOGIN_SECONDS,
    prefix: hostPrefixed(c),
  })
}

/**
 * A sign-in through the identity provider on its way (sealed: its state, nonce and PKCE verifier),
 * for ten minutes. SameSite=Lax, not Strict: the provider sends the browser back with a top-level
 * navigation from its own site, which a Strict cookie would not come along with.
 */
export function setOidcCookie(c: Context<AppEnv>, sealed: string): void {
  setCookie(c, OIDC_COOKIE, sealed, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: cookieIsSecure(c),
    path: '/',
    maxAge: 600,
    prefix: hostPrefixed(c),
  })
}

export function readOidcCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, OIDC_COOKIE, hostPrefixed(c))
}

export function clearOidcCookie(c: Context<AppEnv>): void {
  deleteCookie(c, OIDC_COOKIE, { path: '/', secure: cookieIsSecure(c), prefix: hostPrefixed(c) })
}
