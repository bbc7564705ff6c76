import { describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { comments, sessions } from '../src/db/schema.js'
import { HTTPS_ORIGIN, ORIGIN, setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession, form, sessionCookieOf, type DashboardSession } from './support/dashboard.js'
import { scriptIn, sendHostile, type HostileProbe } from './support/hostile-checks.js'
import { blns, sharpStrings, sqli, xss } from './support/corpora.js'

const t = await setupTestApp()

/**
 * The sample, so that the file runs in well under a minute on PGlite: every slot (a header, a
 * query parameter, a login field) gets the sharp strings below and its own slice of the corpora,
 * every 48th naughty string, every 240th SQL injection and every 800th XSS payload, starting at the
 * slot's own offset. HOSTILE_SCALE=100 sends the corpora whole through every slot.
 */
const SCALE = Number(process.env.HOSTILE_SCALE ?? 1)
const sharp = [
  ...sharpStrings,
  '//evil.example',
  'https://evil.example/admin',
  '/\\evil.example',
  '%2F%2Fevil.example',
  '=',
  ';',
  ',',
  '%',
  '%E0%A4%A',
  'null',
  'Bearer',
  'W/"x"',
]
/** A slot's payloads: the sharp strings and a slice of the corpora chosen by the slot's name, whatever runs before it. */
function payloads(slot: string): string[] {
  const offset = [...slot].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7) >>> 0
  const every = (list: readonly string[], n: number) => {
    const step = Math.max(1, Math.round(n / SCALE))
    return list.filter((_, i) => i % step === offset % step)
  }
  return [...new Set([...sharp, ...every(blns, 48), ...every(sqli, 240), ...every(xss, 800)])]
}

/**
 * A string as a header carries it: UTF-8 bytes read one byte a character, as Node's HTTP parser
 * hands them on; a lone surrogate, CR, LF and NUL no client can send (Node refuses them first).
 */
const asHeader = (value: string) =>
  Buffer.from(value.toWellFormed(), 'utf8')
    .toString('latin1')
    .replace(/[\0\r\n]/g, '')
const inQuery = (value: string) => value.toWellFormed()
/** The `i`th probe's turn of the ways to send a payload: each payload goes one way per target, all ways are used. */
const turn = <T>(list: readonly T[], i: number): T => list[i % list.length] as T
const label = (where: string, value: string) => `${where} = ${JSON.stringify(value).slice(0, 100)}`

interface Probe extends HostileProbe {
  /** The status the probe must get, when only one is right (a refusal). */
  expect?: number
}

/** Also: the one right status where a probe names it, and no redirect off Parley's origin. */
const send = (probes: Probe[]) =>
  sendHostile(t, probes, ({ probe, status, location }) => {
    if (probe.expect !== undefined) expect(status, probe.label).toBe(probe.expect)
    // The plain form goes back to the article's page, which is the site's own (elsewhere) by design.
    if (location !== null && probe.path !== '/comment-form')
      expect(new URL(location, ORIGIN).origin, `${probe.label}: Location ${location}`).toBe(ORIGIN)
  })

/** A comment to act on, an admin with a bearer token and one signed in to the dashboard. */
async function seed() {
  await t.setSettings(openSettings)
  const first = await postComment(t, 'walk')
  const admin = await signIn(t, 'admin')
  const dashboard = await dashboardSession(t, 'admin')
  return { id: first.comment.id, admin, dashboard }
}

const json = { 'Content-Type': 'application/json' }

describe('hostile request headers', () => {
  it('Authorization: a malformed, huge or foreign credential signs no one in, and changes nothing', async () => {
    const { id } = await seed()
    const values = payloads('Authorization')
    const forms = (s: string) => [`Bearer ${s}`, `Basic ${s}`, `Basic ${Buffer.from(s).toString('base64')}`, s, `Bearer ${s} ${s}`]
    const probes = values.flatMap((s, i): Probe[] => {
      const authorization = (j: number) => asHeader(turn(forms(s), i + j))
      return [
        {
          label: label('GET queue Authorization', authorization(0)),
          path: '/api/v1/moderation/comments',
          init: { headers: { Authorization: authorization(0) } },
          expect: 401,
        },
        {
          label: label('GET moderators Authorization', authorization(1)),
          path: '/api/v1/admin/moderators',
          init: { headers: { Authorization: authorization(1) } },
          expect: 401,
        },
        {
          label: label('GET thread Authorization', authorization(2)),
          path: '/api/v1/articles/walk/comments',
          init: { headers: { Authorization: authorization(2) } },
          expect: 200,
        },
        {
          label: label('PATCH comment Authorization', authorization(3)),
          path: `/api/v1/moderation/comments/${id}`,
          changes: true,
          expect: 401,
          init: { method: 'PATCH', headers: { ...json, Authorization: authorization(3) }, body: JSON.stringify({ status: 'spam' }) },
        },
      ]
    })
    await send(probes)
  })

  it('Cookie: a garbage, huge or repeated session cookie signs no one in; a good one among many still does', async () => {
    const { id, dashboard } = await seed()
    const many = Array.from({ length: 2000 }, (_, i) => `c${i}=${i}`).join('; ')
    const forms = (s: string) => [
      `parley_session=${s}`,
      s,
      `parley_session=${encodeURIComponent(s.toWellFormed())}`,
      `${many}; parley_session=${s}`,
      `parley_session=${s}; ${s}=1`,
    ]
    const probes = payloads('Cookie').flatMap((s, i): Probe[] => {
      const cookie = (j: number) => asHeader(turn(forms(s), i + j))
      return [
        { label: label('GET /admin Cookie', cookie(0)), path: '/admin', init: { headers: { Cookie: cookie(0) } }, expect: 303 },
        {
          label: label('GET queue Cookie', cookie(1)),
          path: '/api/v1/moderation/comments',
          init: { headers: { Cookie: cookie(1) } },
          expect: 401,
        },
        {
          label: label('POST status Cookie', cookie(2)),
          path: `/admin/comments/${id}/status`,
          changes: true,
          expect: 401,
          init: { method: 'POST', headers: { Cookie: cookie(2), Origin: ORIGIN }, body: form({ csrf: dashboard.csrf, status: 'spam' }) },
        },
        {
          label: label('PATCH comment Cookie', cookie(3)),
          path: `/api/v1/moderation/comments/${id}`,
          changes: true,
          expect: 401,
          init: { method: 'PATCH', headers: { ...json, Cookie: cookie(3), Origin: ORIGIN }, body: JSON.stringify({ status: 'spam' }) },
        },
      ]
    })
    await send(probes)
    for (const cookie of [
      `${many}; ${dashboard.cookie}`,
      `${dashboard.cookie}; ${many}`,
      `parley_session=; ${dashboard.cookie}`.replace('parley_session=; ', ''),
    ]) {
      expect((await t.request('/admin', { headers: { Cookie: cookie } })).status).toBe(200)
    }
  })

  it('Origin, Referer and Sec-Fetch-Site: a signed-in form or cookie request from anywhere else changes nothing', async () => {
    const { id, admin, dashboard } = await seed()
    const headerSets = (s: string): Record<string, string>[] =>
      [
        { Origin: s },
        { Origin: `${ORIGIN}${s}` },
        { Referer: s },
        { 'Sec-Fetch-Site': s },
        { Origin: s, 'Sec-Fetch-Site': 'same-origin' },
      ].map((set) => Object.fromEntries(Object.entries(set).map(([name, value]) => [name, asHeader(value)])))
    const fixedSets: Record<string, string>[] = [
      { Origin: 'null' },
      { Referer: `${ORIGIN}/admin` },
      { Origin: ORIGIN.toUpperCase() },
      { Origin: `${ORIGIN}:80` },
      {},
    ]
    // Whitespace alone would leave the own origin itself, once the header is trimmed.
    const sets = [
      ...fixedSets.flatMap((set) => Array<Record<string, string>>(5).fill(set)),
      ...payloads('Origin')
        .filter((s) => asHeader(s).trim() !== '')
        .flatMap(headerSets),
    ]
    const probes = sets.map((headers, i): Probe => {
      const where = label(`headers ${JSON.stringify(Object.keys(headers))}`, Object.values(headers).join(' '))
      return turn<Probe>(
        [
          {
            label: `POST status ${where}`,
            path: `/admin/comments/${id}/status`,
            changes: true,
            expect: 403,
            init: {
              method: 'POST',
              headers: { Cookie: dashboard.cookie, ...headers },
              body: form({ csrf: dashboard.csrf, status: 'spam' }),
            },
          },
          {
            label: `POST bulk ${where}`,
            path: '/admin/comments/bulk',
            changes: true,
            expect: 403,
            init: {
              method: 'POST',
              headers: { Cookie: dashboard.cookie, ...headers },
              body: form({ csrf: dashboard.csrf, status: 'trash', ids: String(id) }),
            },
          },
          {
            label: `POST logout ${where}`,
            path: '/admin/logout',
            changes: true,
            expect: 403,
            init: { method: 'POST', headers: { Cookie: dashboard.cookie, ...headers }, body: form({ csrf: dashboard.csrf }) },
          },
          {
            label: `POST login ${where}`,
            path: '/admin/login',
            changes: true,
            expect: 403,
            init: { method: 'POST', headers, body: form({ email: admin.email, password: admin.password }) },
          },
          {
            label: `PATCH via cookie ${where}`,
            path: `/api/v1/moderation/comments/${id}`,
            changes: true,
            expect: 403,
            init: { method: 'PATCH', headers: { ...json, Cookie: dashboard.cookie, ...headers }, body: JSON.stringify({ status: 'spam' }) },
          },
        ],
        i,
      )
    })
    await send(probes)
    // Neither the refused logouts nor the refused logins touched a session: still one per sign-in.
    expect((await dashboard.get('/admin')).status).toBe(200)
    expect(await sessionCount()).toBe(2)
  })

  it('Content-Type and Content-Length: any pairing with a body is answered without a 5xx, and a refusal changes nothing', async () => {
    const { id, admin, dashboard } = await seed()
    const types = (s: string) => [
      s,
      `application/json; charset=${s}`,
      `multipart/form-data; boundary=${s}`,
      `application/x-www-form-urlencoded; charset=${s}`,
      `${s}/json`,
    ]
    const fixed = [
      'application/json; charset=utf-16',
      'application/json;charset=utf-7',
      'APPLICATION/JSON',
      'text/json',
      'application/jsonx',
      'application/json\t;x',
      'application/vnd.api+json',
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary=x',
      'text/plain',
      'application/x-www-form-urlencoded',
      undefined,
    ]
    const lengths = ['0', '1', '-1', 'abc', '99999999999999999999', '1e3', ' 5', '5, 5', '18446744073709551616', undefined]
    const jsonBody = JSON.stringify({ status: 'approved' })
    const formBody = form({ csrf: dashboard.csrf, status: 'approved' }).toString()
    const bodyOf = (text: string, type: string | undefined) => (type === undefined ? new TextEncoder().encode(text) : text)
    const headersOf = (type: string | undefined, length: string | undefined): Record<string, string> => ({
      ...(type === undefined ? {} : { 'Content-Type': asHeader(type) }),
      ...(length === undefined ? {} : { 'Content-Length': length }),
    })
    const probes = [...fixed, ...payloads('Content-Type').flatMap(types)].flatMap((type, i): Probe[] => {
      const length = lengths[i % lengths.length]
      const where = label(`Content-Type, Content-Length ${length}`, type ?? '(none)')
      return [
        turn<Probe>(
          [
            {
              label: `PATCH ${where}`,
              path: `/api/v1/moderation/comments/${id}`,
              changes: true,
              init: { method: 'PATCH', headers: { ...admin.headers, ...headersOf(type, length) }, body: bodyOf(jsonBody, type) },
            },
            {
              label: `POST form ${where}`,
              path: `/admin/comments/${id}/status`,
              changes: true,
              init: {
                method: 'POST',
                headers: { Cookie: dashboard.cookie, Origin: ORIGIN, ...headersOf(type, length) },
                body: bodyOf(formBody, type),
              },
            },
            {
              label: `POST comment ${where}`,
              path: '/api/v1/articles/walk/comments',
              changes: true,
              init: {
                method: 'POST',
                headers: headersOf(type, length),
                body: bodyOf(JSON.stringify({ name: 'Ann', email: 'ann@example.com', body: 'Hello' }), type),
              },
            },
          ],
          i,
        ),
      ]
    })
    const results = await send(probes)
    expect(results.filter((r) => r.status === 415).length).toBeGreaterThan(0)
    expect(results.filter((r) => r.status < 400).length).toBeGreaterThan(0)
  })

  it('Accept and If-None-Match: any value, on the API and the dashboard, without a 5xx or a change', async () => {
    const { id, admin, dashboard } = await seed()
    const paths = [
      '/api/v1/moderation/comments',
      `/api/v1/moderation/comments/${id}`,
      '/api/v1/articles/walk/comments',
      '/api/v1/counts?keys=walk',
    ]
    const pages = ['/admin', `/admin/comments/${id}`, '/admin/articles', '/admin/login']
    const probes = (['Accept', 'If-None-Match'] as const).flatMap((name) =>
      payloads(name)
        .map(asHeader)
        .flatMap((value, i): Probe[] => [
          ...[turn(paths, i), turn(paths, i + 1)].map((path) => ({
            label: label(`GET ${path} ${name}`, value),
            path,
            init: { headers: { ...admin.headers, [name]: value } },
          })),
          ...[turn(pages, i), turn(pages, i + 1)].map((path) => ({
            label: label(`GET ${path} ${name}`, value),
            path,
            init: { headers: { Cookie: dashboard.cookie, [name]: value } },
          })),
        ]),
    )
    await send(probes)
  })

  it("X-Forwarded-For and CF-Connecting-IP, when trusted: garbage and long lists store the socket's address or a real one", async () => {
    await seed()
    const ipv6 = [
      '::1',
      '2001:db8::1',
      '[2001:db8::1]',
      '2001:db8::1%eth0',
      '::ffff:203.0.113.5',
      'fe80::1%25lo',
      '2001:0db8:0000:0000:0000:0000:0000:0001:1',
    ]
    const long = Array.from({ length: 3000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`).join(', ')
    const trusted = t.deps.config.trustProxy
    let n = 0
    const post = (name: string, value: string): Probe => {
      n++
      return {
        label: label(`POST comment ${name}`, value),
        path: '/api/v1/articles/walk/comments',
        changes: true,
        init: {
          method: 'POST',
          headers: { ...json, [name]: asHeader(value) },
          body: JSON.stringify({ name: `Reader ${n}`, email: `r${n}@example.com`, body: `Comment ${n}` }),
        },
      }
    }
    try {
      for (const [setting, name] of [
        ['x-forwarded-for', 'X-Forwarded-For'],
        ['cf-connecting-ip', 'CF-Connecting-IP'],
      ] as const) {
        t.deps.config.trustProxy = setting
        const values = [...payloads(name), ...ipv6, long, `${long}, 203.0.113.9`, '203.0.113.9, ', ' , ', '203.0.113.9,,']
        const forms = (s: string) => [s, `${s}, 203.0.113.9`, `203.0.113.9, ${s}`]
        await send(values.map((s, i) => post(name, turn(forms(s), i))))
        // The login throttle keys on the address too: garbage counts against the socket's address,
        // so some of these are 429 (before, they went unthrottled with no address at all).
        await send(
          values.slice(0, 20).map((value, i): Probe => ({
            label: label(`POST login ${name}`, value),
            path: '/api/v1/auth/login',
            changes: true,
            init: {
              method: 'POST',
              headers: { ...json, [name]: asHeader(value) },
              body: JSON.stringify({ email: `nobody${i}@${setting}.example`, password: 'wrong' }),
            },
          })),
        )
      }
    } finally {
      t.deps.config.trustProxy = trusted
    }
    const rows = await t.deps.db.select({ ip: comments.ip }).from(comments)
    for (const { ip } of rows) if (ip !== null) expect(ip).toMatch(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]{2,39}(%[0-9a-z]+)?)$/)
    expect(rows.filter((r) => r.ip === '203.0.113.9').length).toBeGreaterThan(0)
  })

  it('User-Agent and Referer on submissions: stored cleaned and bounded, shown escaped, never in the public API', async () => {
    const { dashboard } = await seed()
    let n = 0
    const probes = payloads('User-Agent').flatMap((s, i): Probe[] =>
      ['User-Agent', 'Referer'].map((name, j): Probe => {
        n++
        const fields = { name: `Reader ${n}`, email: `r${n}@example.com`, body: `Comment ${n}` }
        return turn<Probe>(
          [
            {
              label: label(`POST comment ${name}`, s),
              path: '/api/v1/articles/walk/comments',
              changes: true,
              init: { method: 'POST', headers: { ...json, [name]: asHeader(s) }, body: JSON.stringify(fields) },
            },
            {
              label: label(`POST comment-form ${name}`, s),
              path: '/comment-form',
              changes: true,
              init: {
                method: 'POST',
                headers: { [name]: asHeader(s) },
                body: form({ comment: `Form ${n}`, author: `Reader ${n}`, email: `f${n}@example.com`, comment_post_ID: 'walk' }),
              },
            },
          ],
          i + j,
        )
      }),
    )
    await send(probes)
    const rows = await t.deps.db.select({ id: comments.id, userAgent: comments.userAgent }).from(comments)
    expect(rows.length).toBeGreaterThan(probes.length / 2)
    for (const { userAgent } of rows) {
      if (userAgent === null) continue
      expect(userAgent.length).toBeLessThanOrEqual(1000)
      expect(userAgent).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/)
    }
    const thread = await (await t.request('/api/v1/articles/walk/comments?limit=100')).text()
    expect(thread).not.toMatch(/userAgent|user_agent|onload|<script/i)
    await expectPagesClean(
      dashboard,
      rows.map((r) => r.id),
    )
  })
})

async function sessionCount(): Promise<number> {
  const [row] = await t.deps.db.select({ n: count() }).from(sessions)
  return row?.n ?? 0
}

/** The dashboard's pages of these comments, and its lists, run no script. */
async function expectPagesClean(dashboard: DashboardSession, ids: number[]): Promise<void> {
  const paths = ['/admin', '/admin?queue=approved', '/admin?queue=spam', ...ids.slice(0, 60).map((id) => `/admin/comments/${id}`)]
  for (const path of paths) {
    const res = await dashboard.get(path)
    expect(res.status, path).toBe(200)
    expect(scriptIn(await res.text()), path).toEqual([])
  }
}

describe("the dashboard's sign-in and sign-out", () => {
  it('GET /admin/login with any next or done: no script, a redirect only inside the dashboard', async () => {
    const { dashboard } = await seed()
    const probes = (['next', 'done'] as const).flatMap((name) =>
      payloads(`login ${name}`).flatMap((s): Probe[] => {
        const path = `/admin/login?${new URLSearchParams({ [name]: inQuery(s) })}`
        return [
          { label: label(`GET /admin/login ${name}`, s), path, init: {}, expect: 200 },
          { label: label(`GET /admin/login signed in ${name}`, s), path, init: { headers: { Cookie: dashboard.cookie } }, expect: 303 },
        ]
      }),
    )
    const results = await send(probes)
    for (const { location, probe } of results.filter((r) => r.location !== null)) expect(location, probe.label).toMatch(/^\/admin(\/|\?|$)/)
  })

  it('POST /admin/login with any email, password or next: no session, no script, no redirect away; the throttle still holds', async () => {
    const { admin } = await seed()
    const before = await sessionCount()
    const fields = (name: string, s: string) => ({ email: admin.email, password: 'wrong password', next: '/admin', [name]: inQuery(s) })
    let n = 0
    // Most probes come from one address, which the throttle soon stops (a read); every eighth from an address of its own goes through a whole check.
    const probes = (['email', 'password', 'next'] as const).flatMap((name) =>
      payloads(`login ${name}`).map((s): Probe => ({
        label: label(`POST /admin/login ${name}`, s),
        path: '/admin/login',
        changes: true,
        remoteAddr: n++ % 8 === 0 ? `198.51.100.${n % 250}` : '192.0.2.1',
        init: { method: 'POST', headers: { Origin: ORIGIN }, body: form(fields(name, s)) },
      })),
    )
    // The API's login takes the same email, each from an address of its own so that each reaches the lookup (a NUL in it was a 500).
    const api = sharp.map((s, i): Probe => ({
      label: label('POST /api/v1/auth/login email', s),
      path: '/api/v1/auth/login',
      changes: true,
      expect: 401,
      remoteAddr: `198.18.100.${i}`,
      init: { method: 'POST', headers: json, body: JSON.stringify({ email: s.slice(0, 320), password: 'wrong password' }) },
    }))
    const results = await send([...probes, ...api])
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThan(0)
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([401, 429]))
    expect(await sessionCount()).toBe(before)

    // The right password is still refused from the throttled address, for any account (the network's
    // limit) and for the one it guessed at (the account-and-network limit).
    const good = (email: string, password: string, next: string, remoteAddr: string) =>
      t.request(
        `${HTTPS_ORIGIN}/admin/login`,
        { method: 'POST', headers: { Origin: HTTPS_ORIGIN }, body: form({ email, password, next }) },
        remoteAddr,
      )
    const fresh = await signIn(t, 'moderator')
    for (const locked of [
      await good(fresh.email, fresh.password, '/admin', '192.0.2.1'),
      await good(admin.email, admin.password, '/admin', '192.0.2.1'),
    ]) {
      expect(locked.status).toBe(429)
      expect(sessionCookieOf(locked)).toBeUndefined()
    }
    // From elsewhere, with any next, it signs in and stays in the dashboard.
    let i = 0
    for (const next of [
      '//evil.example',
      'https://evil.example/admin',
      '/\\evil.example',
      '/admin/../../evil',
      '/admin@evil.example',
      '/admin/%2F%2Fevil.example',
      ...payloads('login next').slice(0, 20),
    ]) {
      const res = await good(fresh.email, fresh.password, inQuery(next), `198.51.100.${200 + (i++ % 50)}`)
      expect(res.status, next).toBe(303)
      const location = res.headers.get('location') ?? ''
      expect(new URL(location, ORIGIN).origin, next).toBe(ORIGIN)
      expect(location, next).toMatch(/^\/admin(\/|\?|$)/)
    }
  })

  it("POST /admin/logout ends the session only with the session's own token, from the dashboard", async () => {
    const { dashboard } = await seed()
    const probes = payloads('logout').flatMap((s): Probe[] => [
      {
        label: label('logout csrf', s),
        path: '/admin/logout',
        changes: true,
        expect: 403,
        init: { method: 'POST', headers: { Cookie: dashboard.cookie, Origin: ORIGIN }, body: form({ csrf: inQuery(s) }) },
      },
      {
        label: label('logout cookie', s),
        path: '/admin/logout',
        changes: true,
        expect: 401,
        init: {
          method: 'POST',
          headers: { Cookie: asHeader(`parley_session=${s}`), Origin: ORIGIN },
          body: form({ csrf: dashboard.csrf }),
        },
      },
    ])
    await send(probes)
    expect((await dashboard.get('/admin')).status).toBe(200)
    const out = await t.request('/admin/logout', {
      method: 'POST',
      headers: { Cookie: dashboard.cookie, Origin: ORIGIN },
      body: form({ csrf: dashboard.csrf }),
    })
    expect(out.status).toBe(303)
    expect((await dashboard.get('/admin')).status).toBe(303)
  })
})

describe("the dashboard's pages with hostile query parameters", () => {
  const pages: { path: string; params: string[] }[] = [
    { path: '/admin', params: ['queue', 'article', 'q', 'limit', 'cursor', 'tick', 'done', 'n'] },
    { path: '/admin/comments/{comment}', params: ['path', 'from', 'done', 'n'] },
    { path: '/admin/comments/{comment}/delete', params: ['path', 'from'] },
    { path: '/admin/articles', params: ['cursor', 'done'] },
    { path: '/admin/settings', params: ['done'] },
    { path: '/admin/moderators', params: ['done'] },
    { path: '/admin/log', params: ['cursor'] },
  ]

  it.each(pages.map((p) => [p.path, p] as const))('GET %s: no 5xx, no script, no change', async (_, target) => {
    const { id, dashboard } = await seed()
    // A comment whose text is the kind of thing searched for, so that a search finds something to show.
    await postComment(t, 'walk', { body: "<b>bold</b> ' OR 1=1-- <script>alert(1)</script>" })
    const probes = target.params.flatMap((param) =>
      payloads(`${target.path} ${param}`).map((s): Probe => {
        const path =
          param === 'path'
            ? target.path.replace('{comment}', encodeURIComponent(inQuery(s)))
            : `${target.path.replace('{comment}', String(id))}?${new URLSearchParams({ [param]: inQuery(s) })}`
        return { label: label(`GET ${target.path} ${param}`, s), path, init: { headers: { Cookie: dashboard.cookie } } }
      }),
    )
    const results = await send(probes)
    // Every probe was answered as a page (or a not-found page), never bounced to the login.
    for (const result of results) expect([200, 404], result.probe.label).toContain(result.status)
  })
})
