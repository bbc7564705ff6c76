import { beforeEach, describe, expect, it } from 'vitest'
import { asc, eq, inArray } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { comments, webhookDeliveries } from '../src/db/schema.js'
import { commenterNotes } from '../src/db/desk-schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

// Outside tester: attacks on Undo, editor's picks from the dashboard, moderators' notes and the queue.
const t = await setupTestApp()
const SECRET = 'outsider-desk-shared-secret-for-notes-0123456789abcdef'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
beforeEach(() => t.setSettings(openSettings))

const statusOf = async (id: number) =>
  (await t.deps.db.select({ status: comments.status }).from(comments).where(eq(comments.id, id)))[0]?.status
const statuses = async (ids: number[]) =>
  (await t.deps.db.select({ status: comments.status }).from(comments).where(inArray(comments.id, ids)).orderBy(asc(comments.id))).map(
    (row) => row.status,
  )
type Change = { id: number; from: string; to: string; at: string }

describe('outsider: Undo', () => {
  it("does not overwrite a colleague's later decision that happens to leave the comment in the same status", async () => {
    const mine = await signIn(t)
    const colleague = await signIn(t)
    const c = (await postComment(t, 'od-u-1')).comment.id
    // I trash it, and keep the Undo (an old tab, a notice link).
    const bulk = await mine.send('POST', '/api/v1/moderation/comments/bulk', { ids: [c], status: 'trash' })
    const { changed } = (await bulk.json()) as { changed: Change[] }
    expect(changed).toEqual([{ id: c, from: 'approved', to: 'trash', at: t.now().toISOString() }])
    // A colleague restores it, reads it again and trashes it on their own judgement.
    t.advance(60)
    await colleague.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'approved' })
    t.advance(60)
    await colleague.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'trash' })
    // My stale Undo: the comment was changed since by someone else, so it is left alone (README: Undo
    // "puts back exactly what changed (and nothing a colleague changed since)").
    t.advance(60)
    const undo = await mine.send('POST', '/api/v1/moderation/comments/undo', { changes: changed })
    expect(await undo.json()).toEqual({ reverted: 0 })
    expect(await statusOf(c)).toBe('trash')
  })

  it('refuses malformed undo requests with 422, never 500, and changes nothing', async () => {
    const mod = await signIn(t)
    const c = (await postComment(t, 'od-u-2')).comment.id
    const bodies: unknown[] = [
      {},
      { changes: null },
      { changes: {} },
      { changes: [c] },
      { changes: [{ id: c }] },
      { changes: [{ id: String(c), from: 'approved', to: 'trash' }] },
      { changes: [{ id: 0, from: 'approved', to: 'trash' }] },
      { changes: [{ id: -1, from: 'approved', to: 'trash' }] },
      { changes: [{ id: 2 ** 31, from: 'approved', to: 'trash' }] },
      { changes: [{ id: 1e20, from: 'approved', to: 'trash' }] },
      { changes: [{ id: 1.5, from: 'approved', to: 'trash' }] },
      { changes: [{ id: c, from: 'deleted', to: 'approved' }] },
      { changes: [{ id: c, from: 'trash\u0000', to: 'approved' }] },
      { changes: [{ id: c, from: ['trash'], to: 'approved' }] },
      { changes: [{ id: c, from: 'trash', to: 'approved' }], extra: true },
      { changes: Array.from({ length: 501 }, (_, i) => ({ id: i + 1, from: 'trash', to: 'approved' })) },
      [],
      null,
    ]
    for (const body of bodies) {
      const res = await mod.send('POST', '/api/v1/moderation/comments/undo', body)
      expect([JSON.stringify(body).slice(0, 70), res.status]).toEqual([JSON.stringify(body).slice(0, 70), 422])
    }
    // Valid but naming nothing, or repeating one comment: no 500.
    const at = t.now().toISOString()
    const none = await mod.send('POST', '/api/v1/moderation/comments/undo', {
      changes: [
        { id: 2_147_483_647, from: 'trash', to: 'approved', at },
        { id: c, from: 'approved', to: 'approved', at },
        { id: c, from: 'pending', to: 'approved', at },
        { id: c, from: 'spam', to: 'trash', at },
      ],
    })
    expect(none.status).toBe(200)
    expect(await statusOf(c)).toBe('approved')
    // Readers and signed-out callers cannot undo.
    const anon = await t.postJson('/api/v1/moderation/comments/undo', { changes: [{ id: c, from: 'trash', to: 'approved' }] })
    expect(anon.status).toBe(401)
  })

  it('needs the session, the CSRF token and our own origin for the dashboard Undo, and a crafted ?undo= stays inert text', async () => {
    const desk = await dashboardSession(t)
    const c = (await postComment(t, 'od-u-3')).comment.id
    await desk.post(`/admin/comments/${c}/status`, { status: 'trash', back: '/admin' })
    expect(await statusOf(c)).toBe('trash')
    const fields = { undo: `approved:${c}`, to: 'trash', back: '/admin' }
    expect((await desk.post('/admin/comments/undo', { ...fields, csrf: 'forged' })).status).toBe(403)
    expect((await desk.post('/admin/comments/undo', fields, { Origin: 'https://evil.example' })).status).toBe(403)
    expect(
      (
        await t.request('/admin/comments/undo', {
          method: 'POST',
          headers: { Origin: 'http://parley.test' },
          body: new URLSearchParams(fields),
        })
      ).status,
    ).toBe(401)
    expect(await statusOf(c)).toBe('trash')
    // Malformed undo fields: nothing changes, no 500.
    for (const undo of [
      '',
      'approved',
      `approved:${c}.`,
      `approved:${'9'.repeat(11)}`,
      `x:${c}`,
      `approved:${c};`,
      'a'.repeat(9000),
      `approved:${c}\u0000`,
    ]) {
      const res = await desk.post('/admin/comments/undo', { undo, to: 'trash', back: '/admin' })
      expect([undo.slice(0, 20), res.status]).toEqual([undo.slice(0, 20), 303])
    }
    for (const to of ['', 'deleted', 'approved', '<b>']) {
      const res = await desk.post('/admin/comments/undo', { undo: `approved:${c}`, to, back: '/admin' })
      expect(res.status).toBe(303)
    }
    expect(await statusOf(c)).toBe('trash')
    // An open redirect through `back`: no.
    const away = await desk.post('/admin/comments/undo', { undo: `approved:${c}`, to: 'trash', back: 'https://evil.example/' })
    expect(away.headers.get('location')).toMatch(/^\/admin/)

    // Reflected markup through the queue's filters, the comment page's `from`, and the notice's numbers.
    const evil = '"><svg onload=alert(1)>'
    const pages = [
      `/admin?done=trash&n=${encodeURIComponent(evil)}&undo=approved:${c}&q=${encodeURIComponent(evil)}&article=${encodeURIComponent(evil)}`,
      `/admin?done=trash&undo=${encodeURIComponent(`approved:${c}${evil}`)}`,
      `/admin/comments/${c}?done=trash&undo=approved:${c}&from=${encodeURIComponent(`/admin?q=${evil}`)}`,
      `/admin/comments/${c}/commenter?done=note-added&from=${encodeURIComponent(`/admin?q=${evil}`)}&cursor=${encodeURIComponent(evil)}`,
      `/admin?queue=${encodeURIComponent(evil)}&order=${encodeURIComponent(evil)}&cursor=${encodeURIComponent(evil)}`,
    ]
    for (const path of pages) {
      const res = await desk.get(path)
      expect([path, res.status]).toEqual([path, 200])
      expect(await res.text()).not.toContain('<svg onload')
    }
  })
})

describe("outsider: editor's picks from the dashboard", () => {
  it('refuses to feature a held or spam comment from the dashboard, and needs the CSRF token', async () => {
    const desk = await dashboardSession(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const held = (await postComment(t, 'od-p-1', { body: 'Held words' })).comment.id
    const res = await desk.post(`/admin/comments/${held}/feature`, { featured: '1', back: '/admin' })
    expect(res.status).toBe(422)
    const approved = (await postComment(t, 'od-p-1')).comment.id
    await desk.post(`/admin/comments/${approved}/status`, { status: 'approved', back: '/admin' })
    expect((await desk.post(`/admin/comments/${approved}/feature`, { featured: '1', csrf: '' })).status).toBe(403)
    expect((await desk.post(`/admin/comments/${approved}/feature`, { featured: '1' }, { Origin: 'null' })).status).toBe(403)
    const rows = await t.deps.db
      .select({ featuredAt: comments.featuredAt })
      .from(comments)
      .where(inArray(comments.id, [held, approved]))
    expect(rows.every((row) => row.featuredAt === null)).toBe(true)
    for (const id of ['99999999999', '0', 'abc']) {
      const missing = await desk.post(`/admin/comments/${id}/feature`, { featured: '1', back: '/admin' })
      expect([id, missing.status]).toEqual([id, 404])
    }
  })
})

describe("outsider: moderators' notes", () => {
  it('answers malformed notes with 4xx, never 500, and strips NUL and control characters', async () => {
    const mod = await signIn(t)
    const c = (await postComment(t, 'od-n-1', { email: 'noted@example.com' })).comment.id
    const path = `/api/v1/moderation/comments/${c}/commenter/notes`
    for (const body of [
      {},
      { body: null },
      { body: 42 },
      { body: ['x'] },
      { body: { a: 1 } },
      { body: 'x', by: 1 },
      { body: '\u0000\u0000' },
      { body: '\u0007 \u0000' },
      [],
      null,
    ]) {
      const res = await mod.send('POST', path, body)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 422])
    }
    const ok = await mod.send('POST', path, { body: 'Keeps \u0000quiet\u0008 \ud800 mostly' })
    expect(ok.status).toBe(201)
    const stored = await t.deps.db.select().from(commenterNotes)
    expect(stored).toHaveLength(1)
    expect(stored[0]?.body).not.toMatch(/[\u0000\u0008]/)
    for (const id of ['0', '-1', '99999999999', '2147483648', 'abc', '1e3', '%00']) {
      expect([id, (await mod.send('POST', `/api/v1/moderation/comments/${id}/commenter/notes`, { body: 'x' })).status]).toEqual([id, 404])
      expect([id, (await mod.send('DELETE', `/api/v1/moderation/commenter-notes/${id}`)).status]).toEqual([id, 404])
    }
    // A reader cannot write or remove one.
    expect((await t.postJson(path, { body: 'Reader here' })).status).toBe(401)
    expect((await t.request(`/api/v1/moderation/commenter-notes/${stored[0]?.id}`, { method: 'DELETE' })).status).toBe(401)
  })

  it('needs the CSRF token and our own origin to add or remove a note from the dashboard, and escapes it', async () => {
    const desk = await dashboardSession(t)
    const c = (await postComment(t, 'od-n-2', { email: 'dash-noted@example.com' })).comment.id
    const back = `/admin/comments/${c}/commenter`
    expect((await desk.post(`/admin/comments/${c}/notes`, { body: 'forged', back, csrf: 'nope' })).status).toBe(403)
    expect((await desk.post(`/admin/comments/${c}/notes`, { body: 'forged', back }, { Origin: 'https://evil.example' })).status).toBe(403)
    expect(await t.deps.db.select().from(commenterNotes)).toEqual([])
    const evil = '</textarea></li><script>alert(1)</script><img src=x onerror=alert(2)>'
    expect((await desk.post(`/admin/comments/${c}/notes`, { body: evil, back })).status).toBe(303)
    const page = await (await desk.get(back)).text()
    expect(page).not.toContain('<script>alert(1)')
    expect(page).not.toContain('<img src=x')
    const [note] = await t.deps.db.select().from(commenterNotes)
    expect((await desk.post(`/admin/notes/${note?.id}/delete`, { back, csrf: 'nope' })).status).toBe(403)
    expect(await t.deps.db.select().from(commenterNotes)).toHaveLength(1)
    for (const id of ['99999999999', '0', 'abc']) {
      const res = await desk.post(`/admin/notes/${id}/delete`, { back })
      expect([id, res.status]).toEqual([id, 404])
    }
    for (const id of ['99999999999', '0']) {
      const res = await desk.post(`/admin/comments/${id}/notes`, { body: 'x', back })
      expect([id, res.status]).toEqual([id, 404])
    }
  })

  it('never reaches readers or webhooks', async () => {
    const admin = await signIn(t, 'admin')
    const mod = await signIn(t)
    const everything = [
      'comment.created',
      'comment.status_changed',
      'comment.edited',
      'comment.deleted',
      'comment.featured',
      'comment.unfeatured',
    ]
    const hook = await admin.send('POST', '/api/v1/admin/webhooks', { url: 'https://hooks.example/all', events: everything })
    expect(hook.status).toBe(201)
    const c = (await postComment(t, 'od-n-3', { email: 'watched@example.com' })).comment.id
    await mod.send('POST', `/api/v1/moderation/comments/${c}/commenter/notes`, { body: 'PRIVATE-NOTE-TEXT' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { featured: true })
    await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'trash' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'approved' })
    const deliveries = await t.deps.db.select().from(webhookDeliveries)
    expect(deliveries.length).toBeGreaterThan(0)
    expect(JSON.stringify(deliveries)).not.toContain('PRIVATE-NOTE-TEXT')
    const readers = [
      await (await t.request('/api/v1/articles/od-n-3/comments')).text(),
      await (await t.request('/api/v1/articles/od-n-3/comments?order=featured')).text(),
      await (await t.request('/api/v1/articles/od-n-3/comments.html')).text(),
      await (await t.request(`/api/v1/comments/${c}`)).text(),
    ]
    for (const text of readers) expect(text).not.toContain('PRIVATE-NOTE-TEXT')
    expect(t.logLines.join('\n')).not.toContain('PRIVATE-NOTE-TEXT')
  })

  async function signedInCommenterWithNote(key: string, subject: string, email: string) {
    const mod = await signIn(t)
    const token = await new SignJWT({ name: 'Signed Reader', email })
      .setSubject(subject)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
      .sign(new TextEncoder().encode(SECRET))
    const posted = await t.postJson(`/api/v1/articles/${key}/comments`, { body: 'Signed in and commenting', identityToken: token })
    expect(posted.status).toBe(201)
    const c = ((await posted.json()) as { comment: { id: number } }).comment.id
    expect((await mod.send('POST', `/api/v1/moderation/comments/${c}/commenter/notes`, { body: 'Works for a competitor.' })).status).toBe(
      201,
    )
    return c
  }

  it("are in a signed-in commenter's export by their email, as their comments are", async () => {
    const admin = await signIn(t, 'admin')
    const c = await signedInCommenterWithNote('od-n-4', 'acct-noted-1', 'signed-noted@example.com')
    // The admin is asked by the person's email address: their comments are found by it...
    const exported = (await (await admin.get('/api/v1/admin/privacy/export?email=signed-noted@example.com')).json()) as {
      comments: { id: number }[]
      moderatorNotes: { body: string }[]
    }
    expect(exported.comments.map((x) => x.id)).toEqual([c])
    // ...and so must be what moderators wrote about that same commenter (README: "a person's data export includes the notes about them").
    expect(exported.moderatorNotes.map((n) => n.body)).toEqual(['Works for a competitor.'])
  })

  it("go with a signed-in commenter's erasure by their email, as their comments do", async () => {
    const admin = await signIn(t, 'admin')
    await signedInCommenterWithNote('od-n-5', 'acct-noted-2', 'signed-noted2@example.com')
    const erased = await (await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'signed-noted2@example.com' })).json()
    expect(erased).toMatchObject({ erased: 1 })
    // Nothing written about them may outlive the erasure: once the comment is anonymized, no page leads to it any more.
    expect(await t.deps.db.select({ body: commenterNotes.body }).from(commenterNotes)).toEqual([])
  })
})

describe('outsider: the queue sorted newest first', () => {
  it('pages newest first without repeats or gaps, on the API and the dashboard', async () => {
    const mod = await signIn(t)
    const desk = await dashboardSession(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await postComment(t, 'od-q-1', { body: `Queued ${i}` })).comment.id)
      if (i !== 2) t.advance(1) // two comments share a time: the id decides
    }
    const seen: number[] = []
    let cursor: string | null = null
    for (let guard = 0; guard < 10; guard++) {
      const res = await mod.get(`/api/v1/moderation/comments?order=newest&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      const page = (await res.json()) as { comments: { id: number }[]; nextCursor: string | null }
      seen.push(...page.comments.map((x) => x.id))
      cursor = page.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual([...ids].reverse())
    expect((await mod.get('/api/v1/moderation/comments?order=NEWEST')).status).toBe(422)
    expect((await mod.get('/api/v1/moderation/comments?order=newest&cursor=zzzzzzzzzzzz.1')).status).toBe(422)

    const first = await (await desk.get('/admin?limit=2&order=newest')).text()
    const next = /href="(\/admin\?[^"]*cursor=[^"]*)" rel="next"/.exec(first)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toContain('order=newest')
    const second = await (await desk.get(next ?? '')).text()
    expect(second).toContain(`id="comment-${ids[2]}"`)
    expect(second).not.toContain(`id="comment-${ids[4]}"`)
    expect((await desk.get('/admin?order=newest&cursor=%00')).status).toBe(200)
  })

  it('escapes the text in the quick edit box, and the inline forms need the CSRF token', async () => {
    const desk = await dashboardSession(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const body = 'Hi </textarea><img src=x onerror=alert(1)><textarea>'
    const c = (await postComment(t, 'od-q-2', { body })).comment.id
    const page = await (await desk.get('/admin')).text()
    expect(page).toContain(`id="edit-form-${c}"`)
    expect(page).not.toContain('</textarea><img src=x')
    expect((await desk.post(`/admin/comments/${c}/edit`, { body: 'Rewritten by a stranger', csrf: 'x' })).status).toBe(403)
    expect((await desk.post(`/admin/comments/${c}/reply`, { body: 'Reply by a stranger', csrf: 'x' })).status).toBe(403)
    expect(await statuses([c])).toEqual(['pending'])
    const [row] = await t.deps.db.select({ body: comments.body }).from(comments).where(eq(comments.id, c))
    expect(row?.body).toBe(body)
  })
})
