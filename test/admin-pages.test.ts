import { describe, expect, it } from 'vitest'
import { sessions } from '../src/db/schema.js'
import { HTTPS_ORIGIN, ORIGIN, setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { csrfOf, dashboardSession, form, sessionCookieOf, type DashboardSession } from './support/dashboard.js'

const t = await setupTestApp()

interface LogEntry {
  action: string
  commentId: number | null
  from: string | null
  to: string | null
  moderator: { id: number } | null
  detail: Record<string, unknown> | null
}

/** What the JSON API says of a comment and of the log: the dashboard must leave the same traces. */
const statusOf = async (api: SignedIn, id: number): Promise<string | undefined> => {
  for (const status of ['pending', 'approved', 'spam', 'trash']) {
    const page = await (await api.get(`/api/v1/moderation/comments?status=${status}&limit=200`)).json()
    if (page.comments.some((c: { id: number }) => c.id === id)) return status
  }
  return undefined
}
const logOf = async (api: SignedIn): Promise<LogEntry[]> => (await (await api.get('/api/v1/moderation/log?limit=200')).json()).entries

const pending = async (body = 'A first comment, held for moderation') => (await postComment(t, 'article-1', { body })).comment.id

describe('signing in and out', () => {
  it("shows the login form, signs in with the API's session cookie, and signs out", async () => {
    const page = await t.request('/admin/login')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form class="panel pad" method="post" action="/admin/login">')

    const mod = await dashboardSession(t, 'moderator', 'Mia Moderator')
    const queue = await mod.get('/admin')
    expect(queue.status).toBe(200)
    expect(await queue.text()).toContain('Mia Moderator')
    // The cookie is the API's own: the JSON API knows this session too.
    expect((await t.request('/api/v1/auth/me', { headers: { Cookie: mod.cookie } })).status).toBe(200)

    const out = await mod.post('/admin/logout', {})
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/admin/login?done=signed-out')
    expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^parley_session=;.*Max-Age=0/)])
    expect((await t.request('/api/v1/auth/me', { headers: { Cookie: mod.cookie } })).status).toBe(401)
    expect((await mod.get('/admin')).headers.get('location')).toBe('/admin/login')
  })

  it('sets the same HttpOnly, SameSite=Strict cookie as the API, and goes where the visitor was headed', async () => {
    const api = await signIn(t, 'moderator')
    const res = await t.request(`${HTTPS_ORIGIN}/admin/login`, {
      method: 'POST',
      headers: { Origin: HTTPS_ORIGIN },
      body: form({ email: api.email, password: api.password, next: '/admin/articles' }),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/articles')
    const [cookie] = res.headers.getSetCookie()
    expect(cookie).toMatch(/^__Host-parley_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/)
    // Never anywhere but the dashboard.
    for (const next of ['//evil.example/admin', 'https://evil.example/admin', '/api/v1/auth/me', '/\\evil.example']) {
      const again = await t.request(`${HTTPS_ORIGIN}/admin/login`, {
        method: 'POST',
        headers: { Origin: HTTPS_ORIGIN },
        body: form({ email: api.email, password: api.password, next }),
      })
      expect(again.headers.get('location'), next).toBe('/admin')
    }
  })

  it('says why a right password cannot sign in over plain HTTP on a LAN address, and lets PARLEY_PUBLIC_URL=http://… allow it', async () => {
    const api = await signIn(t, 'moderator')
    const lan = 'http://192.168.1.20:8787'
    const sessionCount = async () => (await t.deps.db.select().from(sessions)).length
    const before = await sessionCount()
    const attempt = () =>
      t.request(`${lan}/admin/login`, {
        method: 'POST',
        headers: { Origin: lan },
        body: form({ email: api.email, password: api.password }),
      })
    const refused = await attempt()
    expect(refused.status).toBe(403)
    expect(refused.headers.getSetCookie()).toEqual([])
    const text = await refused.text()
    expect(text).toContain(
      'Your email and password are right, but this browser will not keep you signed in: the dashboard is open over plain HTTP at http://192.168.1.20:8787',
    )
    expect(text).toContain('start Parley with PARLEY_PUBLIC_URL=http://192.168.1.20:8787')
    expect(await sessionCount()).toBe(before)
    // Wrong passwords there are answered as anywhere.
    expect(
      (
        await t.request(`${lan}/admin/login`, {
          method: 'POST',
          headers: { Origin: lan },
          body: form({ email: api.email, password: 'wrong' }),
        })
      ).status,
    ).toBe(401)

    // The operator says that Parley is served over plain HTTP there: the cookie is not Secure, and it sticks.
    t.deps.config.publicUrl = lan
    try {
      const allowed = await attempt()
      expect(allowed.status).toBe(303)
      expect(allowed.headers.getSetCookie()[0]).toMatch(/^parley_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/)
    } finally {
      t.deps.config.publicUrl = null
    }
  })

  it('answers a wrong password and an unknown email with the same 401 page, and throttles like the API', async () => {
    const api = await signIn(t, 'moderator')
    const attempt = (email: string, password: string) =>
      t.request('/admin/login', { method: 'POST', headers: { Origin: ORIGIN }, body: form({ email, password }) }, '198.51.100.40')
    const wrong = await attempt(api.email, 'not the password')
    const unknown = await attempt('nobody@news.example', 'not the password')
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Cookie realm="parley" form-action="/admin/login" cookie-name="parley_session"')
      expect(res.headers.getSetCookie()).toEqual([])
      expect(await res.text()).toContain('The email or password is not right.')
    }
    for (let i = 0; i < 4; i++) expect((await attempt(api.email, 'still wrong')).status).toBe(401)
    // Five failures for this account from this network: even the right password waits now.
    const locked = await attempt(api.email, api.password)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await locked.text()).toContain('Too many failed logins')
    // The count is the API's own.
    expect((await t.postJson('/api/v1/auth/login', { email: api.email, password: api.password }, {}, '198.51.100.40')).status).toBe(429)
  })

  it('refuses a login posted from another site', async () => {
    const api = await signIn(t, 'moderator')
    const res = await t.request('/admin/login', {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
      body: form({ email: api.email, password: api.password }),
    })
    expect(res.status).toBe(403)
    expect(sessionCookieOf(res)).toBeUndefined()
  })
})

describe('signed out', () => {
  it('sends pages to the login form, refuses actions with 401, and leaves the JSON API as it was', async () => {
    const id = await pending()
    const home = await t.request('/admin')
    expect(home.status).toBe(303)
    expect(home.headers.get('location')).toBe('/admin/login')
    const details = await t.request(`/admin/comments/${id}`)
    expect(details.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent(`/admin/comments/${id}`)}`)
    expect((await t.request('/admin/settings', { headers: { Cookie: 'parley_session=forged' } })).status).toBe(303)

    const action = await t.request(`/admin/comments/${id}/status`, {
      method: 'POST',
      headers: { Origin: ORIGIN },
      body: form({ status: 'approved', csrf: 'x' }),
    })
    expect(action.status).toBe(401)
    expect(action.headers.get('www-authenticate')).toBe('Cookie realm="parley" form-action="/admin/login" cookie-name="parley_session"')
    expect(action.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await action.text()).toContain('nothing was changed')

    const api = await t.request('/api/v1/moderation/comments')
    expect(api.status).toBe(401)
    expect(api.headers.get('content-type')).toBe('application/problem+json')
    expect((await api.json()).code).toBe('unauthenticated')
    const mod = await signIn(t)
    expect(await statusOf(mod, id)).toBe('pending')
  })
})

describe('cross-site request forgery', () => {
  it("refuses a form without this session's token, or from another origin, changing nothing", async () => {
    const mod = await dashboardSession(t)
    const other = await dashboardSession(t)
    const api = await signIn(t)
    const id = await pending()
    const path = `/admin/comments/${id}/status`
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ status: 'approved', csrf: '' }, { Origin: ORIGIN }],
      [{ status: 'approved', csrf: `${mod.csrf.slice(0, -1)}${mod.csrf.endsWith('A') ? 'B' : 'A'}` }, { Origin: ORIGIN }],
      [{ status: 'approved', csrf: other.csrf }, { Origin: ORIGIN }],
      [{ status: 'approved' }, { Origin: 'https://evil.example' }],
      [{ status: 'approved' }, { Origin: 'null' }],
      [{ status: 'approved' }, { 'Sec-Fetch-Site': 'cross-site' }],
      [{ status: 'approved' }, {}],
    ]
    for (const [fields, headers] of attempts) {
      const res = await mod.post(path, fields, headers)
      expect(res.status, JSON.stringify([fields, headers])).toBe(403)
      expect(await res.text()).toContain('did not come from this dashboard')
    }
    // A token missing altogether, with the right origin.
    const bare = await t.request(path, {
      method: 'POST',
      headers: { Cookie: mod.cookie, Origin: ORIGIN },
      body: form({ status: 'approved' }),
    })
    expect(bare.status).toBe(403)
    expect(await statusOf(api, id)).toBe('pending')
    expect(await logOf(api)).toEqual([])
    // Sec-Fetch-Site stands in for Origin, as on the API.
    expect((await mod.post(path, { status: 'approved' }, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303)
    expect(await statusOf(api, id)).toBe('approved')
  })

  it('gives every session its own token, which is never the session token', async () => {
    const mod = await dashboardSession(t)
    expect(mod.csrf).toMatch(/^[\w-]{43}$/)
    const again = csrfOf(await (await mod.get('/admin/articles')).text())
    expect(again).toBe(mod.csrf)
    expect(mod.cookie).not.toContain(mod.csrf)
  })
})

describe('moderating comments', () => {
  it('approves, holds, marks as spam and trashes, as the API does: status, log, public thread', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const mod = await dashboardSession(t)
    const api = await signIn(t)
    const id = await pending()
    const steps: [string, string][] = [
      ['approved', 'pending'],
      ['pending', 'approved'],
      ['spam', 'pending'],
      ['trash', 'spam'],
      ['approved', 'trash'],
    ]
    for (const [to, from] of steps) {
      const res = await mod.post(`/admin/comments/${id}/status`, { status: to, back: '/admin?queue=spam' })
      expect(res.status).toBe(303)
      // With what its Undo puts back.
      expect(res.headers.get('location')).toBe(`/admin?queue=spam&done=${to}&undo=${from}%3A${id}%40${t.now().getTime()}`)
      expect(await statusOf(api, id)).toBe(to)
    }
    const log = await logOf(api)
    expect(log.map((e) => [e.action, e.commentId, e.from, e.to, e.moderator?.id])).toEqual(
      steps.map(([to, from]) => ['status', id, from, to, mod.id]).reverse(),
    )
    const thread = await (await t.request('/api/v1/articles/article-1/comments')).json()
    expect(thread.comments.map((c: { id: number }) => c.id)).toEqual([id])
    // Back on the queue, the notice says what happened.
    expect(await (await mod.get('/admin?queue=approved&done=approved')).text()).toContain('Comment approved.')
    // Only known codes: an object's own properties are not notices.
    for (const done of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const page = await (await mod.get(`/admin?done=${done}`)).text()
      expect(page, done).not.toMatch(/function|\[native code\]|\[object/)
    }
  })

  it('acts on many at once, and refuses more than 500', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const mod = await dashboardSession(t)
    const api = await signIn(t)
    const ids = [await pending('one'), await pending('two'), await pending('three')]
    const keep = await pending('four')
    const res = await mod.post('/admin/comments/bulk', { ids: ids.map(String), status: 'trash', back: '/admin' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/admin?done=trash&n=3&undo=pending%3A${ids.join('.')}%40${t.now().getTime()}`)
    for (const id of ids) expect(await statusOf(api, id)).toBe('trash')
    expect(await statusOf(api, keep)).toBe('pending')
    expect(
      (await logOf(api))
        .filter((e) => e.to === 'trash')
        .map((e) => e.commentId)
        .sort(),
    ).toEqual([...ids].sort())
    const queue = await (await mod.get('/admin?done=trash&n=3')).text()
    expect(queue).toContain('3 comments moved to the trash.')
    expect(queue).toMatch(/Trash<span class="count">3<\/span>/)

    const tooMany = await mod.post('/admin/comments/bulk', { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), status: 'spam' })
    expect(tooMany.status).toBe(422)
    expect(await statusOf(api, keep)).toBe('pending')
  })

  it('edits the text, replies as the moderator, and deletes for good after a confirm step', async () => {
    await t.setSettings(openSettings)
    const mod = await dashboardSession(t, 'moderator', 'Mo Derator')
    const api = await signIn(t)
    const id = (await postComment(t, 'article-1', { body: 'Helo wrold' })).comment.id
    const child = (await postComment(t, 'article-1', { body: 'A reply to it' })).comment.id

    const edit = await mod.post(`/admin/comments/${id}/edit`, { body: 'Hello world', back: `/admin/comments/${id}` })
    expect(edit.headers.get('location')).toBe(`/admin/comments/${id}?done=edited`)
    const empty = await mod.post(`/admin/comments/${id}/edit`, { body: '   ' })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toMatch(
      /aria-invalid="true" aria-describedby="error-body">\s*<\/textarea><p class="error-text" id="error-body">/,
    )

    const reply = await mod.post(`/admin/comments/${id}/reply`, { body: 'Thanks, fixed.', back: `/admin/comments/${id}` })
    expect(reply.headers.get('location')).toBe(`/admin/comments/${id}?done=replied`)
    const thread = await (await t.request('/api/v1/articles/article-1/comments')).json()
    expect(thread.comments[0]).toMatchObject({ id, html: '<p>Hello world</p>' })
    expect(thread.comments[0].replies.at(-1)).toMatchObject({
      author: { name: 'Mo Derator', moderator: true },
      html: '<p>Thanks, fixed.</p>',
    })

    const confirm = await mod.get(`/admin/comments/${id}/delete?from=%2Fadmin`)
    expect(confirm.status).toBe(200)
    expect(await confirm.text()).toContain(`<form class="actions" method="post" action="/admin/comments/${id}/delete">`)
    expect(await statusOf(api, id)).toBe('approved')
    const del = await mod.post(`/admin/comments/${id}/delete`, { back: '/admin' })
    expect(del.headers.get('location')).toBe('/admin?done=deleted')
    expect(await statusOf(api, id)).toBeUndefined()
    expect((await mod.get(`/admin/comments/${id}`)).status).toBe(404)
    // Its reply moved up: now a thread of its own.
    expect(await statusOf(api, child)).toBe('approved')
    const threads = (await (await t.request('/api/v1/articles/article-1/comments')).json()).comments
    expect(threads.map((c: { id: number }) => c.id)).toEqual([child, expect.any(Number)])
    expect((await logOf(api)).map((e) => e.action)).toEqual(['delete', 'reply', 'edit'])
  })

  it("shows a comment's email, IP, user agent, checks, reports and thread", async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const mod = await dashboardSession(t)
    const root = (await postComment(t, 'article-1', { body: 'The root', email: 'root@example.com' })).comment.id
    const mid = (await postComment(t, 'article-1', { body: 'The middle', parentId: root, email: 'ann@example.com' })).comment.id
    await t.setSettings({ maxLinks: 1 })
    const held = (await postComment(t, 'article-1', { body: 'See https://shop.example now', parentId: mid, email: 'held@example.com' }))
      .comment.id
    await t.postJson(`/api/v1/comments/${mid}/reports`, { reason: 'off_topic', note: 'Not about the article' })

    const page = await (await mod.get(`/admin/comments/${held}`)).text()
    expect(page).toContain('held@example.com')
    expect(page).toContain('203.0.113.7')
    expect(page).toContain('<span class="verdict hold">hold</span> <strong>link-count</strong><span class="meta">1 link (held at 1)</span>')
    expect(page.indexOf('The root')).toBeLessThan(page.indexOf('The middle'))
    expect(page).toContain('<li class="d2 current">')
    const middle = await (await mod.get(`/admin/comments/${mid}`)).text()
    // The reason in the words the reader chose it by (the widget's report form).
    expect(middle).toContain('Off topic, <time')
    expect(middle).toContain('Not about the article')
    const reported = await (await mod.get('/admin?queue=reported')).text()
    expect(reported).toContain(`id="comment-${mid}"`)
    expect(reported).toContain('Reported once: Off topic')
    expect(reported).toMatch(/Reported<span class="count">1<\/span>/)
  })

  it('filters by article and text, and pages with a cursor', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const mod = await dashboardSession(t)
    const a = [await pending('apples one'), await pending('apples two'), await pending('pears')]
    const b = (await postComment(t, 'article-2', { body: 'apples elsewhere' })).comment.id
    const ids = (page: string) => [...page.matchAll(/<tr data-row tabindex="-1" id="comment-(\d+)">/g)].map((m) => Number(m[1]))
    expect(ids(await (await mod.get('/admin?article=article-1')).text())).toEqual(a)
    expect(ids(await (await mod.get('/admin?q=apples')).text())).toEqual([a[0], a[1], b])
    const first = await (await mod.get('/admin?limit=2')).text()
    expect(ids(first)).toEqual([a[0], a[1]])
    const next = /href="(\/admin\?limit=2&amp;cursor=[^"]+)" rel="next"/.exec(first)?.[1]?.replace(/&amp;/g, '&')
    expect(next).toBeDefined()
    const second = await (await mod.get(next ?? '')).text()
    expect(ids(second)).toEqual([a[2], b])
    expect(second).not.toContain('rel="next"')
  })

  it('closes and reopens an article', async () => {
    const mod = await dashboardSession(t)
    const api = await signIn(t)
    await pending()
    const list = await (await mod.get('/admin/articles')).text()
    expect(list).toContain('Close comments')
    const res = await mod.post('/admin/articles/state', { key: 'article-1', open: 'false', back: '/admin/articles' })
    expect(res.headers.get('location')).toBe('/admin/articles?done=closed')
    expect((await (await t.request('/api/v1/articles/article-1/comments')).json()).article.open).toBe(false)
    expect(await (await mod.get('/admin/articles?done=closed')).text()).toContain('Open comments')
    await mod.post('/admin/articles/state', { key: 'article-1', open: 'true' })
    expect((await (await t.request('/api/v1/articles/article-1/comments')).json()).article.open).toBe(true)
    expect((await logOf(api)).map((e) => e.action)).toEqual(['article.open', 'article.close'])
  })
})

describe('admin pages', () => {
  it('are 403 for moderators, pages and forms alike', async () => {
    const mod = await dashboardSession(t, 'moderator')
    for (const path of ['/admin/settings', '/admin/moderators', '/admin/log']) {
      const res = await mod.get(path)
      expect(res.status, path).toBe(403)
      expect(await res.text()).toContain('This page is for admins only.')
    }
    expect((await mod.post('/admin/settings', { threadDepth: '3' })).status).toBe(403)
    expect(
      (await mod.post('/admin/moderators', { email: 'x@news.example', name: 'X', role: 'admin', password: 'long enough pass' })).status,
    ).toBe(403)
    // Nor are they offered in the navigation.
    expect(await (await mod.get('/admin')).text()).not.toContain('href="/admin/settings"')
  })

  it("saves settings, shows each invalid field's error beside it, and saves nothing then", async () => {
    const admin = await dashboardSession(t, 'admin')
    const api = await signIn(t, 'admin')
    const page = await (await admin.get('/admin/settings')).text()
    expect(page).toContain('name="threadDepth" inputmode="numeric" value="5"')
    const fields = {
      moderation: 'all',
      maxLinks: '3',
      threadDepth: '4',
      editWindowSeconds: '600',
      floodSeconds: '15',
      closeAfterDays: '',
      ipRetentionDays: '30',
      purgeAfterDays: '30',
      moderationKeys: 'casino\r\n viagra \r\n',
      disallowedKeys: '',
      allowedOrigins: 'https://news.example',
      requireNameEmail: 'on',
      registerArticles: 'on',
      votes: 'on',
      'filterWebhook.url': '',
    }
    const bad = await admin.post('/admin/settings', { ...fields, threadDepth: '11', maxLinks: 'two', allowedOrigins: 'news.example' })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('Nothing was saved')
    expect(html).toMatch(
      /name="threadDepth" inputmode="numeric" value="11" size="10" aria-invalid="true" aria-describedby="error-threadDepth"><p class="error-text" id="error-threadDepth">Must be at most 10.</,
    )
    expect(html).toMatch(
      /value="two" size="10" aria-invalid="true" aria-describedby="error-maxLinks"><p class="error-text" id="error-maxLinks">Please enter a whole number.<\/p>/,
    )
    expect(html).toMatch(
      /id="error-allowedOrigins">[^<]*Must start with https:\/\/ or http:\/\/ \(an origin such as https:\/\/news.example\)/,
    )
    expect(await (await api.get('/api/v1/admin/settings')).json()).toMatchObject({ threadDepth: 5, maxLinks: 2, moderation: 'rules' })

    const good = await admin.post('/admin/settings', fields)
    expect(good.status).toBe(303)
    expect(good.headers.get('location')).toBe('/admin/settings?done=settings')
    expect(await (await api.get('/api/v1/admin/settings')).json()).toMatchObject({
      moderation: 'all',
      maxLinks: 3,
      threadDepth: 4,
      editWindowSeconds: 600,
      closeAfterDays: null,
      previouslyApproved: false,
      moderationKeys: ['casino', 'viagra'],
      allowedOrigins: ['https://news.example'],
      filterWebhook: null,
    })
    const [entry] = await logOf(api)
    expect(entry).toMatchObject({ action: 'settings', moderator: { id: admin.id } })
    expect(Object.keys(entry?.detail ?? {}).sort()).toEqual([
      'allowedOrigins',
      'editWindowSeconds',
      'maxLinks',
      'moderation',
      'moderationKeys',
      'previouslyApproved',
      'threadDepth',
    ])
  })

  it('adds moderators, changes their role, disables them and resets passwords', async () => {
    const admin = await dashboardSession(t, 'admin')
    const api = await signIn(t, 'admin')
    const weak = await admin.post('/admin/moderators', { email: 'new@news.example', name: 'New One', role: 'moderator', password: 'short' })
    expect(weak.status).toBe(422)
    expect(await weak.text()).toMatch(/id="error-password">A password has 8 to 128 characters.</)
    const added = await admin.post('/admin/moderators', {
      email: 'new@news.example',
      name: 'New One',
      role: 'moderator',
      password: 'a long password',
    })
    expect(added.headers.get('location')).toBe('/admin/moderators?done=moderator-added')
    const list = (await (await api.get('/api/v1/admin/moderators')).json()).moderators as {
      id: number
      email: string
      role: string
      disabled: boolean
    }[]
    const created = list.find((m) => m.email === 'new@news.example')
    expect(created).toMatchObject({ role: 'moderator', disabled: false })
    const id = created?.id ?? 0
    const session = await t.postJson('/api/v1/auth/login', { email: 'new@news.example', password: 'a long password' })
    const token = (await session.json()).token as string

    expect((await admin.post(`/admin/moderators/${id}`, { name: 'New One', role: 'admin', password: '' })).headers.get('location')).toBe(
      '/admin/moderators?done=moderator-saved',
    )
    expect((await admin.post(`/admin/moderators/${id}`, { name: 'New One', role: 'admin', password: '' })).headers.get('location')).toBe(
      '/admin/moderators?done=unchanged',
    )
    expect((await admin.post(`/admin/moderators/${id}`, { name: 'New One', role: 'admin', password: 'another long one' })).status).toBe(303)
    // A new password ends their sessions.
    expect((await t.request('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401)
    await admin.post(`/admin/moderators/${id}`, { name: 'New One', role: 'admin', disabled: 'on' })
    const after = (await (await api.get('/api/v1/admin/moderators')).json()).moderators.find((m: { id: number }) => m.id === id)
    expect(after).toMatchObject({ role: 'admin', disabled: true })
    // The sign-in email is a field of its own card.
    expect(await (await admin.get('/admin/moderators')).text()).toContain(
      `<input id="mod-${id}-email" name="email" type="email" value="new@news.example">`,
    )
    expect(
      (
        await admin.post(`/admin/moderators/${id}`, { email: 'renamed@news.example', name: 'New One', role: 'admin', disabled: 'on' })
      ).headers.get('location'),
    ).toBe('/admin/moderators?done=moderator-saved')
    const taken = await admin.post(`/admin/moderators/${id}`, { email: admin.email, name: 'New One', role: 'admin', disabled: 'on' })
    expect(taken.status).toBe(422)
    expect(await taken.text()).toContain('A moderator with this email already exists.')
    expect((await (await api.get('/api/v1/admin/moderators')).json()).moderators.find((m: { id: number }) => m.id === id)?.email).toBe(
      'renamed@news.example',
    )
    expect((await logOf(api)).map((e) => [e.action, e.from, e.to])).toEqual([
      ['moderator.update', 'disabled', 'disabled'],
      ['moderator.update', 'admin', 'disabled'],
      ['moderator.update', 'admin', 'admin'],
      ['moderator.update', 'moderator', 'admin'],
      ['moderator.create', null, 'moderator'],
    ])
  })

  it('shows the audit log', async () => {
    const admin = await dashboardSession(t, 'admin', 'Ada Admin')
    const id = await pending()
    await admin.post(`/admin/comments/${id}/status`, { status: 'spam' })
    const page = await (await admin.get('/admin/log')).text()
    expect(page).toMatch(
      new RegExp(
        `<td>Ada Admin</td>\\s*<td>status</td>\\s*<td><a href="/admin/comments/${id}\\?from=%2Fadmin%2Flog">#${id}</a></td>\\s*<td>pending → spam</td>`,
      ),
    )
  })

  it("shows each entry's detail as readable lines, not JSON", async () => {
    const admin = await dashboardSession(t, 'admin', 'Ada Admin')
    const api = await signIn(t, 'admin')
    expect(
      (
        await api.send('PATCH', '/api/v1/admin/settings', {
          maxLinks: 5,
          allowedOrigins: ['https://news.example', 'https://blog.example'],
          moderationKeys: [],
        })
      ).status,
    ).toBe(200)
    const mia = (
      await (
        await api.send('POST', '/api/v1/admin/moderators', {
          email: 'mia@news.example',
          name: 'Mia',
          role: 'moderator',
          password: 'a long enough password',
        })
      ).json()
    ).moderator.id
    expect((await api.send('PATCH', `/api/v1/admin/moderators/${mia}`, { email: 'mia2@news.example' })).status).toBe(200)
    const page = await (await admin.get('/admin/log')).text()
    expect(page).toContain(
      '<dl class="detail"><dt>max links</dt><dd>2 → 5</dd><dt>allowed origins</dt><dd>none → https://news.example, https://blog.example</dd></dl>',
    )
    expect(page).toContain(`<dl class="detail"><dt>moderator</dt><dd>#${mia}</dd></dl>`)
    expect(page).toContain(`<dl class="detail"><dt>moderator</dt><dd>#${mia}</dd><dt>email changed</dt><dd>yes</dd></dl>`)
    expect(page).not.toMatch(/\{&quot;|<code>\{/)
  })
})

describe('every page', () => {
  const pages = ['/admin', '/admin?queue=trash', '/admin/articles', '/admin/settings', '/admin/moderators', '/admin/log']

  it('is sent with a strict CSP, no framing, nosniff, a referrer policy and no-store, and runs no inline code', async () => {
    const admin = await dashboardSession(t, 'admin')
    const id = await pending()
    for (const path of [...pages, `/admin/comments/${id}`, `/admin/comments/${id}/delete`]) {
      const res = await admin.get(path)
      expect(res.status, path).toBe(200)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toMatch(
        /^default-src 'none'; style-src 'nonce-[\w+/=]+'; script-src 'nonce-[\w+/=]+'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
      )
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('cache-control')).toBe('no-store')
      const page = await res.text()
      const nonce = /'nonce-([\w+/=]+)'/.exec(csp)?.[1]
      expect([...page.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([`<script src="/admin/admin.js" nonce="${nonce}" defer>`])
      expect(page).not.toMatch(/\sstyle=|\son[a-z]+=/i)
      expect(page).not.toContain(admin.cookie.split('=')[1])
    }
    for (const path of ['/admin/login', '/admin/nothing-here']) {
      const res = await t.request(path)
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
    }
  })

  it('serves the keyboard script as JavaScript', async () => {
    const res = await t.request('/admin/admin.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toContain("case 'j'")
  })

  it('escapes a hostile comment, name, website and article title wherever they appear', async () => {
    await t.setSettings({ ...openSettings, maxLinks: 100 })
    const mod: DashboardSession = await dashboardSession(t)
    const res = await t.postJson('/api/v1/articles/hostile/comments', {
      name: '"><img src=x onerror=alert(1)>',
      email: 'x@example.com',
      url: 'https://example.com/"><script>alert(2)</script>',
      body: '<script>alert(3)</script> <img src=x onerror=alert(4)> <a href="javascript:alert(5)">link</a>',
      article: { url: `${ORIGIN}/hostile`, title: '</title><script>alert(6)</script>' },
    })
    expect(res.status).toBe(201)
    const { comment } = await res.json()
    await mod.post(`/admin/comments/${comment.id}/status`, { status: 'pending' })
    for (const path of [
      '/admin',
      `/admin/comments/${comment.id}`,
      `/admin/comments/${comment.id}/delete`,
      '/admin/articles',
      '/admin?q=%22%3E%3Cscript%3E',
    ]) {
      const page = await (await mod.get(path)).text()
      expect(page, path).not.toMatch(/<script>|<img|href="javascript:/i)
      expect(page.match(/<script/g), path).toHaveLength(1)
    }
    const queue = await (await mod.get('/admin')).text()
    expect(queue).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
  })
})
