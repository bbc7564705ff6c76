import argon2 from 'argon2'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { nodeAppOptions } from '../src/runtime/node-app-options.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { createSecrets } from '../src/crypto/secrets.js'
import { loginFailures, moderators, type ModeratorRole } from '../src/db/schema.js'
import { SettingsStore } from '../src/settings/settings-store.js'
import { ORIGIN, TEST_SECRET, setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'

const t = await setupTestApp()

let serial = 0

/** A moderator account made directly in the database, not yet signed in. */
async function account(role: ModeratorRole = 'moderator') {
  serial++
  const email = `person${serial}@news.example`
  const password = `a good password ${serial}`
  const row = await createModerator(t.deps.db, t.deps.passwords, { email, name: `Person ${serial}`, role, password }, t.now())
  return { id: row.id, email, password }
}

const login = (email: string, password: string, ip = '198.51.100.1') => t.postJson('/api/v1/auth/login', { email, password }, {}, ip)

async function tokenFor(email: string, password: string): Promise<string> {
  const res = await login(email, password)
  expect(res.status).toBe(200)
  return (await res.json()).token
}

const me = (token: string) => t.request('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })
const meByCookie = (token: string) => t.request('/api/v1/auth/me', { headers: { Cookie: `parley_session=${token}` } })

const unauthenticated = { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthenticated', detail: 'Please sign in.' }

describe('login', () => {
  it('answers the moderator and a token, and sets an HttpOnly, SameSite=Strict, Secure session cookie', async () => {
    const { id, email, password } = await account()
    const res = await login(email, password)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const json = await res.json()
    expect(json).toEqual({
      moderator: { id, email, name: `Person ${serial}`, role: 'moderator', disabled: false },
      token: expect.any(String),
    })
    const cookies = res.headers.getSetCookie()
    expect(cookies).toHaveLength(2)
    const [pair, ...attributes] = (cookies[0] ?? '').split(';').map((part) => part.trim())
    expect(pair).toBe(`parley_session=${json.token}`)
    // The test origin is http://parley.test: not localhost, so the cookie is Secure.
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']))
    // The known-device proof: the same attributes, kept for 90 days across sessions.
    const [device, ...deviceAttributes] = (cookies[1] ?? '').split(';').map((part) => part.trim())
    expect(device).toMatch(/^parley_device=\d+\.[0-9a-f]{64}$/)
    expect(deviceAttributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure', `Max-Age=${90 * 86_400}`]))
  })

  it('names the cookie __Host-parley_session over https, and reads only that name there', async () => {
    const { email, password } = await account()
    t.deps.config.publicUrl = 'https://comments.news.example'
    try {
      const res = await login(email, password)
      expect(res.status).toBe(200)
      const { token } = await res.json()
      const [pair, ...attributes] = (res.headers.getSetCookie()[0] ?? '').split(';').map((part) => part.trim())
      expect(pair).toBe(`__Host-parley_session=${token}`)
      expect(res.headers.getSetCookie()[1]).toMatch(/^__Host-parley_device=/)
      expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']))
      expect(attributes.some((attribute) => /^domain=/i.test(attribute))).toBe(false)
      const meWith = (cookie: string) => t.request('/api/v1/auth/me', { headers: { Cookie: cookie } })
      expect((await meWith(`__Host-parley_session=${token}`)).status).toBe(200)
      // The unprefixed name is what a sibling subdomain could set: over https it opens nothing.
      expect((await meWith(`parley_session=${token}`)).status).toBe(401)
      const out = await t.request('/api/v1/auth/logout', {
        method: 'POST',
        headers: { Cookie: `__Host-parley_session=${token}`, Origin: 'https://comments.news.example' },
      })
      expect(out.status).toBe(204)
      expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-parley_session=;.*Max-Age=0/)])
      expect((await meWith(`__Host-parley_session=${token}`)).status).toBe(401)
    } finally {
      t.deps.config.publicUrl = null
    }
  })

  it('lets the token in as a bearer token and as the cookie; nothing else gets in', async () => {
    const { id, email, password } = await account('admin')
    const token = await tokenFor(email, password)
    for (const res of [await me(token), await meByCookie(token)]) {
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ moderator: { id, email, name: `Person ${serial}`, role: 'admin', disabled: false } })
    }
    for (const res of [await t.request('/api/v1/auth/me'), await me(`${token}x`), await meByCookie('forged')]) {
      expect(res.status).toBe(401)
      // RFC 9110 §11.6.1: a 401 names the scheme that would get in.
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="parley"')
      expect(await res.json()).toEqual(unauthenticated)
    }
  })

  it("signs in an embedded install's first admin, admin@localhost, with answers that fit the document (checked by the contract)", async () => {
    const password = 'the first admin password'
    const row = await createModerator(
      t.deps.db,
      t.deps.passwords,
      { email: 'admin@localhost', name: 'Admin', role: 'admin', password },
      t.now(),
    )
    const token = await tokenFor('admin@localhost', password)
    expect(await (await me(token)).json()).toMatchObject({ moderator: { id: row.id, email: 'admin@localhost' } })
    const list = await t.request('/api/v1/admin/moderators', { headers: { Authorization: `Bearer ${token}` } })
    expect((await list.json()).moderators).toContainEqual(expect.objectContaining({ email: 'admin@localhost' }))
  })

  it('takes the email in any case, with surrounding spaces', async () => {
    const { email, password } = await account()
    expect((await login(`  ${email.toUpperCase()} `, password)).status).toBe(200)
  })

  it('answers an unknown email, a wrong password and a disabled account with the same 401', async () => {
    const { email, password } = await account()
    const disabled = await account()
    await t.deps.db.update(moderators).set({ disabled: true }).where(eq(moderators.id, disabled.id))
    const answers = [
      await login('nobody@news.example', password, '198.51.100.1'),
      await login(email, 'not the password', '198.51.100.2'),
      await login(disabled.email, disabled.password, '198.51.100.3'),
    ]
    const bodies = await Promise.all(answers.map((res) => res.text()))
    for (const res of answers) {
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="parley"')
      expect(res.headers.getSetCookie()).toEqual([])
    }
    expect(JSON.parse(bodies[0] ?? '')).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'invalid_credentials',
      detail: 'The email or password is not right.',
    })
    expect(new Set(bodies).size).toBe(1)
  })

  it('upgrades a stored hash made with weaker parameters at the next login', async () => {
    // Node's own hasher, at today's parameters (the test app's is cheaper: test-hasher.ts); reset() puts it back.
    t.deps.passwords = nativeArgon2
    const password = 'an old but good password'
    const weak = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 })
    expect(weak.startsWith('$argon2id$v=19$m=4096,t=1,p=1$')).toBe(true)
    const [row] = await t.deps.db
      .insert(moderators)
      .values({ email: 'old@news.example', name: 'Old', role: 'moderator', passwordHash: weak, createdAt: t.now(), updatedAt: t.now() })
      .returning()
    expect((await login('old@news.example', password)).status).toBe(200)
    const [after] = await t.deps.db
      .select()
      .from(moderators)
      .where(eq(moderators.id, row?.id ?? 0))
    const upgraded = after?.passwordHash ?? ''
    expect(upgraded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true)
    expect(await argon2.verify(upgraded, password)).toBe(true)
    expect(await argon2.verify(upgraded, 'another password')).toBe(false)
    // The upgraded hash signs in, and a hash already at today's parameters is left as it is.
    expect((await login('old@news.example', password)).status).toBe(200)
    const [again] = await t.deps.db
      .select()
      .from(moderators)
      .where(eq(moderators.id, row?.id ?? 0))
    expect(again?.passwordHash).toBe(upgraded)
  })

  it('does not upgrade a hash on a failed login', async () => {
    t.deps.passwords = nativeArgon2
    const weak = await argon2.hash('the right password', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 })
    const [row] = await t.deps.db
      .insert(moderators)
      .values({ email: 'weak@news.example', name: 'Weak', role: 'moderator', passwordHash: weak, createdAt: t.now(), updatedAt: t.now() })
      .returning()
    expect((await login('weak@news.example', 'the wrong password')).status).toBe(401)
    const [after] = await t.deps.db
      .select()
      .from(moderators)
      .where(eq(moderators.id, row?.id ?? 0))
    expect(after?.passwordHash).toBe(weak)
  })
})

describe('sessions', () => {
  it('end after 2 hours without a request', async () => {
    const { email, password } = await account()
    const token = await tokenFor(email, password)
    t.advance(2 * 3600)
    expect((await me(token)).status).toBe(200)
    t.advance(2 * 3600 + 1)
    const res = await me(token)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual(unauthenticated)
  })

  it('end 12 hours after login even when used every hour', async () => {
    const { email, password } = await account()
    const token = await tokenFor(email, password)
    for (let hour = 1; hour < 12; hour++) {
      t.advance(3600)
      expect((await me(token)).status, `hour ${hour}`).toBe(200)
    }
    t.advance(3600)
    expect((await me(token)).status).toBe(401)
    expect((await meByCookie(token)).status).toBe(401)
  })

  it('end at logout, which clears the cookie', async () => {
    const { email, password } = await account()
    const token = await tokenFor(email, password)
    const other = await tokenFor(email, password)
    const res = await t.request('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(204)
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^parley_session=;.*Max-Age=0/)])
    expect((await me(token)).status).toBe(401)
    expect((await meByCookie(token)).status).toBe(401)
    // Only that session: the same moderator's other session goes on.
    expect((await me(other)).status).toBe(200)
    expect((await t.request('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status).toBe(401)
  })

  it("end when an admin changes the moderator's password, and the new password signs in", async () => {
    const admin = await signIn(t, 'admin')
    const { id, email, password } = await account()
    const token = await tokenFor(email, password)
    const res = await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { password: 'a brand new password' })
    expect(res.status).toBe(200)
    expect((await me(token)).status).toBe(401)
    expect((await me(admin.token)).status).toBe(200)
    expect((await login(email, password, '198.51.100.20')).status).toBe(401)
    expect((await login(email, 'a brand new password', '198.51.100.21')).status).toBe(200)
  })

  it('end when the moderator is disabled, and stay ended when they are enabled again', async () => {
    const admin = await signIn(t, 'admin')
    const { id, email, password } = await account()
    const token = await tokenFor(email, password)
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { disabled: true })).status).toBe(200)
    expect((await me(token)).status).toBe(401)
    expect((await login(email, password, '198.51.100.30')).status).toBe(401)
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { disabled: false })).status).toBe(200)
    expect((await me(token)).status).toBe(401)
    expect((await login(email, password, '198.51.100.31')).status).toBe(200)
  })
})

describe('cookie requests that change state', () => {
  const putArticle = (headers: Record<string, string>, key = 'story') =>
    t.request(`/api/v1/moderation/articles/${key}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ title: 'A story' }),
    })

  it("need Parley's own origin, by Origin or Sec-Fetch-Site", async () => {
    const { email, password } = await account()
    const cookie = { Cookie: `parley_session=${await tokenFor(email, password)}` }
    const forbidden = {
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'forbidden',
      detail: "This change must come from Parley's own pages.",
    }
    for (const headers of [
      cookie,
      { ...cookie, Origin: 'https://evil.example' },
      { ...cookie, Origin: 'null' },
      { ...cookie, Origin: 'https://parley.test' },
      { ...cookie, 'Sec-Fetch-Site': 'cross-site' },
      { ...cookie, 'Sec-Fetch-Site': 'same-site' },
      { ...cookie, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    ]) {
      const res = await putArticle(headers)
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(await res.json()).toEqual(forbidden)
    }
    expect((await t.request('/api/v1/moderation/articles')).status).toBe(401)
    expect((await (await t.request('/api/v1/moderation/articles', { headers: cookie })).json()).articles).toEqual([])
    expect((await putArticle({ ...cookie, Origin: ORIGIN })).status).toBe(201)
    expect((await putArticle({ ...cookie, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200)
  })

  it('include logout: a cross-site page cannot sign a moderator out', async () => {
    const { email, password } = await account()
    const token = await tokenFor(email, password)
    const cookie = { Cookie: `parley_session=${token}` }
    expect(
      (await t.request('/api/v1/auth/logout', { method: 'POST', headers: { ...cookie, Origin: 'https://evil.example' } })).status,
    ).toBe(403)
    expect((await me(token)).status).toBe(200)
    expect((await t.request('/api/v1/auth/logout', { method: 'POST', headers: { ...cookie, Origin: ORIGIN } })).status).toBe(204)
    expect((await me(token)).status).toBe(401)
  })

  it('do not apply to bearer requests, which a browser never sends by itself', async () => {
    const { email, password } = await account()
    const bearer = { Authorization: `Bearer ${await tokenFor(email, password)}` }
    expect((await putArticle(bearer)).status).toBe(201)
  })
})

describe('login throttling', () => {
  const tooMany = {
    type: 'about:blank',
    title: 'Too Many Requests',
    status: 429,
    code: 'too_many_attempts',
    detail: 'Too many failed logins; please wait before trying again.',
  }

  it('locks an account for one network after 5 failures in 15 minutes, for longer after each further failure; elsewhere its owner signs in', async () => {
    const { email, password } = await account()
    for (let i = 1; i <= 5; i++) {
      if (i > 1) t.advance(60)
      expect((await login(email, `wrong ${i}`, '192.0.2.66')).status).toBe(401)
    }
    // Even the right password, from that network, waits.
    const locked = await login(email, password, '192.0.2.66')
    expect(locked.status).toBe(429)
    expect(await locked.json()).toEqual(tooMany)
    const firstWait = Number(locked.headers.get('retry-after'))
    expect(firstWait).toBeGreaterThan(0)
    // A stranger's failures do not lock the owner out: from another address the account opens.
    expect((await login(email, password, '198.51.100.1')).status).toBe(200)
    for (let i = 1; i <= 5; i++) expect((await login(email, `wrong ${i}`, '192.0.2.66')).status).not.toBe(200)
    t.advance(15 * 60)
    for (let i = 1; i <= 5; i++) expect((await login(email, `again ${i}`, '192.0.2.66')).status).toBe(401)
    const relocked = await login(email, password, '192.0.2.66')
    expect(relocked.status).toBe(429)
    t.advance(Number(relocked.headers.get('retry-after')))
    expect((await login(email, 'wrong 6', '192.0.2.66')).status).toBe(401)
    const third = await login(email, password, '192.0.2.66')
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(firstWait)
  })

  it('keys an IPv6 client by its /64', async () => {
    const { email, password } = await account()
    for (let i = 1; i <= 5; i++) expect((await login(email, `wrong ${i}`, `2001:db8:7:7::${i}`)).status).toBe(401)
    expect((await login(email, password, '2001:db8:7:7:ffff::1')).status).toBe(429)
    expect((await login(email, password, '2001:db8:7:8::1')).status).toBe(200)
  })

  it('locks the account everywhere only after 100 failures from many networks', async () => {
    const { email, password } = await account()
    // Ten at a time: each is an argon2 verification, and one after the other they took most of the file's time.
    for (let at = 0; at < 100; at += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => login(email, `spray ${at + j}`, `10.1.0.${at + j}`)))
      expect(answers.map((res) => res.status)).toEqual(Array(10).fill(401))
    }
    const locked = await login(email, password, '198.51.100.77')
    expect(locked.status).toBe(429)
    expect(await locked.json()).toEqual(tooMany)
  })

  it('spares a network or device that signed in before from the account-wide limit; a new address still waits', async () => {
    const { email, password } = await account()
    const other = await account()
    const deviceOf = (res: Response) => /^parley_device=([^;]*)/.exec(res.headers.getSetCookie()[1] ?? '')?.[1] ?? ''
    // The owner signs in at the office, and once from a phone whose address will change.
    expect((await login(email, password, '198.51.100.40')).status).toBe(200)
    const phone = await login(email, password, '192.0.2.200')
    expect(phone.status).toBe(200)
    const device = deviceOf(phone)
    const otherDevice = deviceOf(await login(other.email, other.password, '192.0.2.201'))
    // A stranger sprays failures from a hundred addresses: the account is locked for everyone else.
    for (let i = 0; i < 100; i++) expect((await login(email, `spray ${i}`, `10.2.${Math.floor(i / 250)}.${i % 250}`)).status).toBe(401)
    const withDevice = (proof: string, ip: string) =>
      t.postJson('/api/v1/auth/login', { email, password }, { Cookie: `parley_device=${proof}` }, ip)
    const stranger = await login(email, password, '198.51.100.77')
    expect(stranger.status).toBe(429)
    expect(await stranger.json()).toEqual(tooMany)
    // The office network signs in, and that does not unlock the account for the new address.
    expect((await login(email, password, '198.51.100.40')).status).toBe(200)
    expect((await login(email, password, '198.51.100.78')).status).toBe(429)
    // The phone, on an address never seen, signs in with its device proof; without it, or with another
    // account's, a forged or an expired one, it waits like any stranger.
    expect((await withDevice(device, '203.0.113.200')).status).toBe(200)
    for (const proof of [otherDevice, `${device.slice(0, -1)}${device.endsWith('0') ? '1' : '0'}`, 'forged', '']) {
      expect((await withDevice(proof, '203.0.113.201')).status, proof).toBe(429)
    }
    // A known network is still held to its own limit: five failures from it lock it.
    for (let i = 1; i <= 5; i++) expect((await login(email, `typo ${i}`, '198.51.100.40')).status).toBe(401)
    expect((await login(email, password, '198.51.100.40')).status).toBe(429)
    // Known for 90 days after the last sign-in, not longer.
    t.advance(91 * 86_400)
    for (let i = 0; i < 100; i++) expect((await login(email, `again ${i}`, `10.3.${Math.floor(i / 250)}.${i % 250}`)).status).toBe(401)
    expect((await withDevice(device, '203.0.113.202')).status).toBe(429)
    expect((await login(email, password, '198.51.100.40')).status).toBe(429)
  }, 120_000)

  it('lets no more than 5 guesses from one network through when they all arrive at once', async () => {
    const { email } = await account()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(email, `guess ${i}`, '192.0.2.9')))
    const statuses = answers.map((res) => res.status)
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([])
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5)
  })

  it('counts only the failures of the last 15 minutes', async () => {
    const { email, password } = await account()
    for (let i = 1; i <= 4; i++) expect((await login(email, `wrong ${i}`, '192.0.2.4')).status).toBe(401)
    t.advance(15 * 60 + 1)
    expect((await login(email, 'wrong 5', '192.0.2.4')).status).toBe(401)
    expect((await login(email, password, '192.0.2.4')).status).toBe(200)
  })

  it("forgets an account's failures from a network once it signs in from there", async () => {
    const { email, password } = await account()
    for (let i = 1; i <= 4; i++) expect((await login(email, `wrong ${i}`, '192.0.2.5')).status).toBe(401)
    expect((await login(email, password, '192.0.2.5')).status).toBe(200)
    for (let i = 1; i <= 4; i++) expect((await login(email, `wrong ${i}`, '192.0.2.5')).status).toBe(401)
    expect((await login(email, password, '192.0.2.5')).status).toBe(200)
  })

  it('locks a network after 10 failures across different accounts, known or not', async () => {
    const victims = [await account(), await account(), await account()]
    const target = await account()
    const emails = [...victims.map((v) => v.email), ...Array.from({ length: 7 }, (_, i) => `ghost${i}@news.example`)]
    for (const email of emails) expect((await login(email, 'guess', '203.0.113.66')).status).toBe(401)
    const locked = await login(target.email, target.password, '203.0.113.66')
    expect(locked.status).toBe(429)
    expect(await locked.json()).toEqual(tooMany)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    // The accounts themselves are not locked: from elsewhere they sign in.
    expect((await login(target.email, target.password, '203.0.113.67')).status).toBe(200)
    expect((await login(victims[0]?.email ?? '', victims[0]?.password ?? '', '203.0.113.67')).status).toBe(200)
  })

  it('keeps its count in the database, keyed by hashes, so that every instance sees it', async () => {
    const { email, password } = await account()
    for (let i = 1; i <= 5; i++) expect((await login(email, 'wrong', '192.0.2.7')).status).toBe(401)
    const rows = await t.deps.db.select().from(loginFailures)
    expect(rows.length).toBeGreaterThanOrEqual(5)
    for (const row of rows) {
      expect(row.key).not.toContain(email)
      expect(row.key).not.toContain('192.0.2.')
    }
    // A second instance: its own app, secrets and settings cache, the same database.
    const instance = createApp(undefined, nodeAppOptions)
    const deps = { ...t.deps, secrets: await createSecrets(TEST_SECRET), settings: new SettingsStore() }
    const res = await instance.request(
      `${ORIGIN}/api/v1/auth/login`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
      },
      { deps, remoteAddr: '192.0.2.7' },
    )
    expect(res.status).toBe(429)
  })
})
