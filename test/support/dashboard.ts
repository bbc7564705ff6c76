import { createModerator } from '../../src/auth/moderator-store.js'
import type { ModeratorRole } from '../../src/db/schema.js'
import { HTTPS_ORIGIN, ORIGIN, type TestApp } from './test-app.js'

let serial = 0

export const form = (fields: Record<string, string | string[]>): URLSearchParams => {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) params.append(name, one)
  return params
}

/** The CSRF token a dashboard page puts in its forms. */
export const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''

/**
 * The session a response sets, as the `Cookie` header the test's plain-http origin reads: signing in
 * happens over https (a plain-http LAN sign-in is refused), where the cookie is `__Host-parley_session`;
 * the pages are then asked for on http://parley.test, where the same token goes as `parley_session`.
 */
export const sessionCookieOf = (res: Response): string | undefined =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .map((pair) => pair.replace(/^__Host-parley_session=/, 'parley_session='))
    .find((pair) => pair.startsWith('parley_session=') && pair !== 'parley_session=')

/**
 * A moderator signed in to the dashboard through its own login form, as a browser would be:
 * the session cookie, and the CSRF token read from a page.
 */
export async function dashboardSession(t: TestApp, role: ModeratorRole = 'moderator', name?: string) {
  serial++
  const email = `dash-${role}${serial}@news.example`
  const password = `battery staple ${serial}`
  const row = await createModerator(t.deps.db, t.deps.passwords, { email, name: name ?? `${role} ${serial}`, role, password }, t.now())
  const login = await t.request(
    `${HTTPS_ORIGIN}/admin/login`,
    { method: 'POST', headers: { Origin: HTTPS_ORIGIN }, body: form({ email, password }) },
    `198.19.0.${serial % 250}`,
  )
  const cookie = sessionCookieOf(login)
  if (login.status !== 303 || !cookie) throw new Error(`dashboard login failed: ${login.status} ${await login.text()}`)
  const get = (path: string) => t.request(path, { headers: { Cookie: cookie } })
  const csrf = csrfOf(await (await get('/admin')).text())
  return {
    id: row.id,
    email,
    password,
    cookie,
    csrf,
    get,
    /** A form POST from the dashboard's own page: the cookie, Origin and the CSRF token unless given. */
    post: (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = { Origin: ORIGIN }) =>
      t.request(path, { method: 'POST', headers: { Cookie: cookie, ...headers }, body: form({ csrf, ...fields }) }),
  }
}

export type DashboardSession = Awaited<ReturnType<typeof dashboardSession>>
