import { createModerator } from '../../src/auth/moderator-store.js'
import type { ModeratorRole } from '../../src/db/schema.js'
import { ORIGIN, type TestApp } from './test-app.js'

let serial = 0

/** Creates a moderator account directly, signs in through the API, and returns its bearer headers. */
export async function signIn(t: TestApp, role: ModeratorRole = 'moderator', name?: string) {
  serial++
  const email = `${role}${serial}@news.example`
  const password = `correct horse ${serial}`
  const row = await createModerator(t.deps.db, t.deps.passwords, { email, name: name ?? `${role} ${serial}`, role, password }, t.now())
  const res = await t.postJson('/api/v1/auth/login', { email, password }, {}, `198.18.0.${serial % 250}`)
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const { token } = await res.json()
  const headers = { Authorization: `Bearer ${token}` }
  return {
    id: row.id,
    email,
    password,
    token,
    headers,
    get: (path: string) => t.request(path, { headers }),
    send: (method: string, path: string, body?: unknown) =>
      t.request(path, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), Origin: ORIGIN },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  }
}

export type SignedIn = Awaited<ReturnType<typeof signIn>>
