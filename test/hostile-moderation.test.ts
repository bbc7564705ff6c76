import { describe, expect, it } from 'vitest'
import { comments } from '../src/db/schema.js'
import { ORIGIN, setupTestApp, type TestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { dashboardSession, form, type DashboardSession } from './support/dashboard.js'
import { TEXT_INPUTS } from '../src/admin-pages/settings-form.js'
import { scriptIn, sendHostile, type HostileProbe } from './support/hostile-checks.js'
import { blns, sharpStrings, sqli, xss } from './support/corpora.js'

const t = await setupTestApp()

/**
 * The sample, so that the file runs in about a minute on PGlite (a moderation request costs 5-10 ms
 * there): every slot (a field, query or path parameter) gets the sharp strings below; and each
 * route or form deals out a slice of the corpora over its slots: every 8th of the Big List of
 * Naughty Strings, every 80th SQL injection payload and every 300th XSS payload, starting at the
 * route's own offset so that different routes send different payloads (together, the routes cover
 * most of the naughty strings). The same slices on every run and on both engines; HOSTILE_SCALE=100
 * sends the corpora whole through every route.
 */
const SCALE = Number(process.env.HOSTILE_SCALE ?? 1)
type Corpus = 'blns' | 'sqli' | 'xss'
const EVERY: Record<Corpus, number> = { blns: 8, sqli: 80, xss: 300 }
const sharp = [...sharpStrings, '2147483648']
/** A route's slice of each corpus, from its own offset. */
function dealt(offset: number): Record<Corpus, string[]> {
  const every = (list: readonly string[], n: number) => {
    const step = Math.max(1, Math.round(n / SCALE))
    return list.filter((_, i) => i % step === offset % step)
  }
  return { blns: every(blns, EVERY.blns), sqli: every(sqli, EVERY.sqli), xss: every(xss, EVERY.xss) }
}
/** Each slot's payloads: the sharp strings, and its turn of the route's dealt slice. */
function payloadsFor(offset: number, slots: string[]): Map<string, string[]> {
  const slice = Object.values(dealt(offset)).flat()
  return new Map(slots.map((slot, index) => [slot, [...new Set([...sharp, ...slice.filter((_, i) => i % slots.length === index)])]]))
}

/** How many of each corpus's entries a route or form sends, over all its slots. */
function perCorpus(payloads: Map<string, string[]>): Record<Corpus, number> {
  const sent = new Set([...payloads.values()].flat())
  return {
    blns: blns.filter((s) => sent.has(s)).length,
    sqli: sqli.filter((s) => sent.has(s)).length,
    xss: xss.filter((s) => sent.has(s)).length,
  }
}

// No client can put a lone surrogate in a URL or a header.
const inPath = (value: string) => encodeURIComponent(value.toWellFormed())
const label = (where: string, value: string) => `${where} = ${JSON.stringify(value).slice(0, 100)}`

interface Probe extends HostileProbe {
  changes: boolean
}
const send = (probes: Probe[]) => sendHostile(t, probes)

/** No stored comment carries script, and no page a moderator opens afterwards runs any. */
async function expectNoStoredScript(dashboard: DashboardSession): Promise<void> {
  const rows = await t.deps.db.select({ id: comments.id, html: comments.html }).from(comments)
  for (const row of rows) expect(scriptIn(row.html), `comment ${row.id}`).toEqual([])
  const pages = [
    '/admin',
    '/admin?status=approved',
    '/admin?status=spam',
    '/admin?status=trash',
    '/admin/articles',
    '/admin/settings',
    '/admin/moderators',
    '/admin/log',
    ...rows.slice(0, 40).map((r) => `/admin/comments/${r.id}`),
  ]
  for (const path of pages) {
    const res = await dashboard.get(path)
    expect(res.status, path).toBe(200)
    expect(scriptIn(await res.text()), path).toEqual([])
  }
}

interface Operation {
  parameters?: { in: string; name: string }[]
  requestBody?: { content: Record<string, { schema?: { $ref?: string; properties?: Record<string, unknown> } }> }
}

/** The routes the OpenAPI document lists under the moderation and admin APIs, with their slots. */
async function apiRoutes(t: TestApp) {
  const doc = (await (await t.request('/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> }
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/moderation/') || path.startsWith('/api/v1/admin/'))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? []
        const properties = Object.keys(media?.schema?.properties ?? {})
        const slots = [
          ...(operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query').map((p) => `${p.in}:${p.name}`),
          // A body that is a document (the import) is one slot, the whole body; an object has a slot per property.
          ...(type === undefined ? [] : properties.length > 0 ? properties.map((name) => `body:${name}`) : ['body']),
        ]
        return { method: method.toUpperCase(), path, type, slots }
      }),
    )
}

/** Real ids and a well-formed body for each route, so that each probe varies one slot only. */
async function seed(admin: SignedIn) {
  await t.setSettings(openSettings)
  const first = await postComment(t, 'walk')
  await postComment(t, 'walk', { parentId: first.comment.id })
  const target = await signIn(t, 'moderator', 'Target')
  const hook = (await (
    await admin.send('POST', '/api/v1/admin/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['comment.created'] })
  ).json()) as { id: number }
  const ids: Record<string, string> = {
    'comments/{id}': String(first.comment.id),
    'articles/{key}': 'walk',
    'moderators/{id}': String(target.id),
    'webhooks/{id}': String(hook.id),
  }
  const bodies: Record<string, Record<string, unknown>> = {
    'PATCH /api/v1/moderation/comments/{id}': { status: 'approved' },
    'POST /api/v1/moderation/comments/bulk': { ids: [first.comment.id], status: 'approved' },
    'POST /api/v1/moderation/comments/{id}/replies': { body: 'Thanks' },
    'PUT /api/v1/moderation/articles/{key}': { title: 'Walk' },
    'POST /api/v1/moderation/articles/{key}/move': { to: 'walk-moved' },
    'POST /api/v1/admin/moderators': { email: 'new@news.example', name: 'New', role: 'moderator', password: 'a long password' },
    'PATCH /api/v1/admin/moderators/{id}': { name: 'Target' },
    'POST /api/v1/admin/webhooks': { url: 'http://127.0.0.1:9/hook', events: ['comment.created'] },
    'POST /api/v1/admin/privacy/erase': { email: 'nobody@example.com' },
  }
  return { ids, bodies }
}

// Routes with no parameter and no body (the plain GET lists) have nothing to put a payload in.
const routes = (await apiRoutes(t)).filter((route) => route.slots.length > 0)

describe('the attack corpora through the moderation and admin API', () => {
  it('lists the routes it walks, and deals each route and form at least a few payloads of each corpus', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15)
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/v1/admin/import')
    const dealing = [
      ...routes.map((route, index) => [`${route.method} ${route.path}`, payloadsFor(index, route.slots)] as const),
      ...forms.map((target, index) => [`POST ${target.path}`, payloadsFor(routes.length + index, target.slots)] as const),
    ]
    for (const [name, payloads] of dealing) {
      for (const [corpus, n] of Object.entries(perCorpus(payloads))) expect(n, `${name}: ${corpus}`).toBeGreaterThanOrEqual(5)
    }
  })

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: no 5xx, no stored script, nothing changed by a refusal',
    async (_, route) => {
      const admin = await signIn(t, 'admin')
      const { ids, bodies } = await seed(admin)
      const base = bodies[`${route.method} ${route.path}`] ?? {}
      const payloads = payloadsFor(routes.indexOf(route), route.slots)
      const probes = route.slots.flatMap((slot) =>
        (payloads.get(slot) ?? []).map((s): Probe => {
          const [place = '', name = ''] = slot.split(':')
          const path = route.path.replace(/([a-z-]+)\/\{(\w+)\}/g, (whole: string, _collection: string, param: string) =>
            whole.replace(`{${param}}`, place === 'path' && name === param ? inPath(s) : (ids[whole] ?? '1')),
          )
          const query = place === 'query' ? `?${new URLSearchParams({ [name]: s.toWellFormed() })}` : ''
          const body =
            route.type === undefined ? undefined : slot === 'body' ? s : JSON.stringify(place === 'body' ? { ...base, [name]: s } : base)
          return {
            label: label(`${route.method} ${route.path} ${slot}`, s),
            path: path + query,
            changes: route.method !== 'GET',
            init: {
              method: route.method,
              headers: { ...admin.headers, Origin: ORIGIN, ...(route.type ? { 'Content-Type': route.type } : {}) },
              ...(body === undefined ? {} : { body }),
            },
          }
        }),
      )
      const results = await send(probes)
      expect(results.length).toBeGreaterThan(sharp.length * route.slots.length + 100)
      await expectNoStoredScript(await dashboardSession(t, 'admin'))
    },
    120_000,
  )
})

/** The dashboard's form posts (src/routes/admin-*.ts), with well-formed fields to vary one at a time. */
const forms: { path: string; fields: Record<string, string | string[]>; slots: string[] }[] = [
  {
    path: '/admin/comments/bulk',
    fields: { ids: ['{comment}'], status: 'approved', back: '/admin' },
    slots: ['ids', 'status', 'back', 'csrf'],
  },
  { path: '/admin/comments/{comment}/status', fields: { status: 'spam', back: '/admin' }, slots: ['path', 'status', 'back'] },
  { path: '/admin/comments/{comment}/edit', fields: { body: 'Edited', back: '/admin' }, slots: ['path', 'body', 'back'] },
  { path: '/admin/comments/{comment}/reply', fields: { body: 'A reply', back: '/admin' }, slots: ['path', 'body', 'back'] },
  { path: '/admin/comments/{comment}/delete', fields: { back: '/admin' }, slots: ['path', 'back'] },
  { path: '/admin/articles/state', fields: { key: 'walk', open: 'false', back: '/admin/articles' }, slots: ['key', 'open', 'back'] },
  { path: '/admin/settings', fields: {}, slots: TEXT_INPUTS },
  {
    path: '/admin/moderators',
    fields: { email: 'new@news.example', name: 'New', role: 'moderator', password: 'a long password' },
    slots: ['email', 'name', 'role', 'password'],
  },
  { path: '/admin/moderators/{moderator}', fields: { name: 'Target', role: 'moderator' }, slots: ['path', 'name', 'role', 'password'] },
]

describe("the attack corpora through the dashboard's forms", () => {
  it.each(forms.map((f, index) => [f.path, f, index] as const))(
    'POST %s: no 5xx, no script in any page, nothing changed by a refusal',
    async (_, target, index) => {
      const admin = await signIn(t, 'admin')
      const { ids } = await seed(admin)
      const dashboard = await dashboardSession(t, 'admin')
      const real = (text: string) =>
        text.replace('{comment}', ids['comments/{id}'] ?? '1').replace('{moderator}', ids['moderators/{id}'] ?? '1')
      const payloads = payloadsFor(routes.length + index, target.slots)
      const probes = target.slots.flatMap((slot) =>
        (payloads.get(slot) ?? []).map((s): Probe => {
          const fields = Object.fromEntries(
            Object.entries(target.fields).map(([name, value]) => [name, Array.isArray(value) ? value.map(real) : real(value)]),
          )
          const path = slot === 'path' ? target.path.replace(/\{\w+\}/, inPath(s)) : real(target.path)
          return {
            label: label(`POST ${target.path} ${slot}`, s),
            path,
            changes: true,
            init: {
              method: 'POST',
              headers: { Cookie: dashboard.cookie, Origin: ORIGIN },
              body: form({ csrf: dashboard.csrf, ...fields, ...(slot === 'path' ? {} : { [slot]: s }) }),
            },
          }
        }),
      )
      await send(probes)
      await expectNoStoredScript(dashboard)
    },
    120_000,
  )
})
