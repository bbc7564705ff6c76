import { describe, expect, it } from 'vitest'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { dashboardSession } from './support/dashboard.js'
import { signIn } from './support/moderators.js'

// With the read cache on, as on Node: every read here also checks that it is never served stale.
const t = await setupTestApp({ readCache: true })

const thread = async (key: string) => (await t.request(`/api/v1/articles/${key}/comments`)).json()

describe('moderation queue', () => {
  it('lists held comments oldest first with everything moderators need, and counts per queue', async () => {
    const mod = await signIn(t)
    await t.setSettings({ floodSeconds: 0 })
    const first = await postComment(t, 'q', { email: 'Hidden.Reader@Example.org', body: 'Held one' }, '192.0.2.44')
    t.advance(1)
    await postComment(t, 'q', { body: 'Held two' })
    await t.setSettings({ disallowedKeys: ['casino'] })
    await postComment(t, 'q', { body: 'casino' })
    const res = await mod.get('/api/v1/moderation/comments')
    expect(res.status).toBe(200)
    const json = await res.json()
    expect(json.counts).toEqual({ pending: 2, approved: 0, spam: 1, trash: 0, reported: 0 })
    expect(json.comments.map((c: { html: string }) => c.html)).toEqual(['<p>Held one</p>', '<p>Held two</p>'])
    expect(json.comments[0]).toMatchObject({
      id: first.comment.id,
      status: 'pending',
      email: 'Hidden.Reader@Example.org',
      ip: '192.0.2.44',
      article: { key: 'q', url: null, title: null },
      reports: [],
    })
    expect(json.comments[0].checks).toContainEqual({
      filter: 'previously-approved',
      verdict: 'hold',
      reason: 'first comment of this commenter',
    })
    const spam = await (await mod.get('/api/v1/moderation/comments?status=spam')).json()
    expect(spam.comments[0].checks).toContainEqual({
      filter: 'disallowed-keys',
      verdict: 'spam',
      reason: 'contains the disallowed key "casino"',
    })
  })

  it('filters by article and text, and pages with a cursor', async () => {
    const mod = await signIn(t)
    await t.setSettings({ floodSeconds: 0 })
    for (let i = 0; i < 5; i++) {
      await postComment(t, i < 3 ? 'x' : 'y', { body: i === 4 ? 'Needle 100% here' : `Plain ${i}` })
      t.advance(1)
    }
    expect((await (await mod.get('/api/v1/moderation/comments?article=x')).json()).comments).toHaveLength(3)
    const found = await (await mod.get('/api/v1/moderation/comments?q=100%25')).json()
    expect(found.comments.map((c: { html: string }) => c.html)).toEqual(['<p>Needle 100% here</p>'])
    const page1 = await (await mod.get('/api/v1/moderation/comments?limit=2')).json()
    const page2 = await (await mod.get(`/api/v1/moderation/comments?limit=2&cursor=${page1.nextCursor}`)).json()
    const page3 = await (await mod.get(`/api/v1/moderation/comments?limit=2&cursor=${page2.nextCursor}`)).json()
    expect([...page1.comments, ...page2.comments, ...page3.comments]).toHaveLength(5)
    expect(page3.nextCursor).toBeNull()
    expect((await mod.get('/api/v1/moderation/comments?status=nope')).status).toBe(422)
  })
})

describe('moderation actions', () => {
  it('approves a held comment: readers see it at once, the ETag and count change, the log records it', async () => {
    const mod = await signIn(t, 'moderator', 'Mo')
    const { comment } = await postComment(t, 'a')
    const before = await t.request('/api/v1/articles/a/comments')
    const etag = before.headers.get('etag') ?? ''
    const res = await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: comment.id, status: 'approved' })
    expect((await t.request('/api/v1/articles/a/comments', { headers: { 'If-None-Match': etag } })).status).toBe(200)
    const json = await thread('a')
    expect(json.comments.map((c: { id: number }) => c.id)).toEqual([comment.id])
    expect(json.article.commentCount).toBe(1)
    const log = await (await mod.get('/api/v1/moderation/log')).json()
    expect(log.entries[0]).toMatchObject({
      moderator: { id: mod.id, name: 'Mo' },
      action: 'status',
      commentId: comment.id,
      from: 'pending',
      to: 'approved',
    })
  })

  it("edits a comment's text, re-rendering its HTML", async () => {
    const mod = await signIn(t)
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'e', { body: 'Typo' })
    const res = await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { body: 'Fixed <em>now</em>' })
    expect((await res.json()).html).toBe('<p>Fixed <em>now</em></p>')
    expect((await thread('e')).comments[0].html).toBe('<p>Fixed <em>now</em></p>')
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { body: ' ' })).status).toBe(422)
    expect((await mod.send('PATCH', '/api/v1/moderation/comments/999999', { status: 'spam' })).status).toBe(404)
  })

  it('refuses a field it does not know on every moderator write, naming it, rather than doing less than asked', async () => {
    const mod = await signIn(t)
    const { comment } = await postComment(t, 'typo')
    for (const [method, path, body, field] of [
      ['PATCH', `/api/v1/moderation/comments/${comment.id}`, { stauts: 'approved' }, 'stauts'],
      ['POST', '/api/v1/moderation/comments/bulk', { ids: [comment.id], status: 'spam', note: 'x' }, 'note'],
      ['POST', `/api/v1/moderation/comments/${comment.id}/replies`, { body: 'Thanks', status: 'approved' }, 'status'],
      ['PUT', '/api/v1/moderation/articles/typo', { title: 'T', open: false, closed: true }, 'closed'],
      ['POST', '/api/v1/moderation/articles/typo/move', { to: 'typo-2', merge: true }, 'merge'],
    ] as const) {
      const res = await mod.send(method, path, body)
      expect(res.status, path).toBe(422)
      expect((await res.json()).errors, path).toContainEqual(expect.objectContaining({ field, code: 'unknown_field' }))
    }
    const queue = await (await mod.get('/api/v1/moderation/comments?status=pending')).json()
    expect(queue.comments.map((c: { id: number }) => c.id)).toContain(comment.id)
  })

  it('changes up to 500 comments in one bulk action, one log entry each', async () => {
    const mod = await signIn(t)
    await t.setSettings({ floodSeconds: 0 })
    const ids: number[] = []
    for (let i = 0; i < 3; i++) ids.push((await postComment(t, 'b')).comment.id)
    const res = await mod.send('POST', '/api/v1/moderation/comments/bulk', { ids: [...ids, 999999], status: 'approved' })
    expect(await res.json()).toEqual({
      updated: 3,
      changed: ids.map((id) => ({ id, from: 'pending', to: 'approved', at: t.now().toISOString() })),
    })
    expect((await thread('b')).article.commentCount).toBe(3)
    const log = await (await mod.get('/api/v1/moderation/log')).json()
    expect(log.entries.filter((e: { action: string }) => e.action === 'status')).toHaveLength(3)
    const tooMany = await mod.send('POST', '/api/v1/moderation/comments/bulk', {
      ids: Array.from({ length: 501 }, (_, i) => i + 1),
      status: 'trash',
    })
    expect(tooMany.status).toBe(422)
  })

  it('deletes for good, moving replies up to the parent (or to the top)', async () => {
    const mod = await signIn(t)
    await t.setSettings(openSettings)
    const root = (await postComment(t, 'd')).comment.id
    t.advance(1)
    const middle = (await postComment(t, 'd', { parentId: root })).comment.id
    t.advance(1)
    const leaf = (await postComment(t, 'd', { parentId: middle })).comment.id
    t.advance(1)
    const deeper = (await postComment(t, 'd', { parentId: leaf })).comment.id
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${middle}`)).status).toBe(204)
    let json = await thread('d')
    expect(json.comments[0].replies[0]).toMatchObject({ id: leaf, parentId: root, depth: 1 })
    expect(json.comments[0].replies[0].replies[0]).toMatchObject({ id: deeper, parentId: leaf, depth: 2 })
    expect(json.article.commentCount).toBe(3)
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${root}`)).status).toBe(204)
    json = await thread('d')
    expect(json.comments.map((c: { id: number; parentId: number | null; depth: number }) => [c.id, c.parentId, c.depth])).toEqual([
      [leaf, null, 0],
    ])
    expect(json.comments[0].replies[0]).toMatchObject({ id: deeper, parentId: leaf, depth: 1 })
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${root}`)).status).toBe(404)
    // A reply still works under the promoted comment.
    const reply = await postComment(t, 'd', { parentId: deeper })
    expect(reply.comment.depth).toBe(2)
  })

  it('replies as a moderator, approving a held parent, marked as the moderator', async () => {
    const mod = await signIn(t, 'moderator', 'The Editor')
    const { comment } = await postComment(t, 'r')
    const res = await mod.send('POST', `/api/v1/moderation/comments/${comment.id}/replies`, { body: 'Thanks!' })
    expect(res.status).toBe(201)
    const reply = await res.json()
    expect(reply).toMatchObject({ parentId: comment.id, status: 'approved', author: { name: 'The Editor', moderator: true } })
    const json = await thread('r')
    expect(json.comments[0]).toMatchObject({ id: comment.id, author: { moderator: false } })
    expect(json.comments[0].replies[0]).toMatchObject({ id: reply.id, author: { name: 'The Editor', moderator: true } })
  })
})

describe('articles', () => {
  it('registers, closes and reopens articles; closed ones refuse comments', async () => {
    const mod = await signIn(t)
    const created = await mod.send('PUT', '/api/v1/moderation/articles/story-1', { url: 'https://news.example/story-1', title: 'Story' })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({
      article: {
        key: 'story-1',
        url: 'https://news.example/story-1',
        title: 'Story',
        open: true,
        commentCount: 0,
        commentPolicy: 'anyone',
        moderation: 'rules',
      },
    })
    const closed = await mod.send('PUT', '/api/v1/moderation/articles/story-1', { open: false })
    expect(closed.status).toBe(200)
    expect((await closed.json()).article.open).toBe(false)
    expect((await thread('story-1')).article.open).toBe(false)
    const refused = await t.postJson('/api/v1/articles/story-1/comments', { name: 'A', email: 'a@example.com', body: 'x' })
    expect(refused.status).toBe(403)
    await mod.send('PUT', '/api/v1/moderation/articles/story-1', { open: true })
    await postComment(t, 'story-1')
    const list = await (await mod.get('/api/v1/moderation/articles')).json()
    expect(list.articles[0]).toMatchObject({ key: 'story-1', open: true, commentCount: 0, pendingCount: 1 })
    expect((await mod.send('PUT', '/api/v1/moderation/articles/story-2', { url: 'javascript:alert(1)' })).status).toBe(422)
  })

  it('points an article only at an allowed origin once allowedOrigins are set, as a first comment would; anywhere before', async () => {
    const mod = await signIn(t)
    expect((await mod.send('PUT', '/api/v1/moderation/articles/free', { url: 'https://anywhere.example/post' })).status).toBe(201)
    await t.setSettings({ allowedOrigins: ['https://news.example'] })
    for (const [key, url] of [
      ['free', 'https://evil.example/login'],
      ['new-one', 'http://news.example/post'],
    ]) {
      const refused = await mod.send('PUT', `/api/v1/moderation/articles/${key}`, { url })
      expect(refused.status, url).toBe(422)
      expect((await refused.json()).errors, url).toEqual([
        {
          field: 'url',
          code: 'origin_not_allowed',
          message: 'The article URL is not on an allowed origin (allowedOrigins: https://news.example, http://parley.test).',
        },
      ])
    }
    const moved = await mod.send('POST', '/api/v1/moderation/articles/free/move', { to: 'moved', url: 'https://evil.example/login' })
    expect((await moved.json()).errors?.[0]).toMatchObject({ field: 'url', code: 'origin_not_allowed' })
    expect((await mod.send('PUT', '/api/v1/moderation/articles/free', { url: 'https://news.example/post' })).status).toBe(200)
    expect((await mod.send('PUT', '/api/v1/moderation/articles/own', { url: 'http://parley.test/demo' })).status).toBe(201)
    expect(
      (await mod.send('POST', '/api/v1/moderation/articles/free/move', { to: 'moved', url: 'https://news.example/moved' })).status,
    ).toBe(200)
    // Clearing the URL, or changing anything else, needs no origin.
    expect((await mod.send('PUT', '/api/v1/moderation/articles/moved', { url: null, open: false })).status).toBe(200)
  })

  it("counts each article's own held comments, whatever its id and its comments' ids", async () => {
    const mod = await signIn(t)
    await t.setSettings({ floodSeconds: 0 })
    // Article ids 1–4 and comment ids 1–5 do not line up: a count correlated on the wrong table shows.
    for (const key of ['none', 'two', 'empty', 'three'])
      expect((await mod.send('PUT', `/api/v1/moderation/articles/${key}`, {})).status).toBe(201)
    for (const key of ['two', 'two', 'three', 'three', 'three']) await postComment(t, key)
    const approved = await postComment(t, 'three')
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${approved.comment.id}`, { status: 'approved' })).status).toBe(200)
    const list = await (await mod.get('/api/v1/moderation/articles')).json()
    expect(
      list.articles.map((a: { key: string; pendingCount: number; commentCount: number }) => [a.key, a.pendingCount, a.commentCount]),
    ).toEqual([
      ['none', 0, 0],
      ['two', 2, 0],
      ['empty', 0, 0],
      ['three', 3, 1],
    ])
  })
})

describe('reader reports', () => {
  it('puts a reported comment in the reported queue until a moderator acts', async () => {
    const mod = await signIn(t)
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'rp')
    const res = await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse', note: 'Rude' })
    expect(res.status).toBe(202)
    const queueRes = await mod.get('/api/v1/moderation/comments?reported=true')
    expect(queueRes.status, await queueRes.clone().text()).toBe(200)
    const queue = await queueRes.json()
    expect(queue.counts.reported).toBe(1)
    expect(queue.comments[0]).toMatchObject({ id: comment.id, status: 'approved', reports: [{ reason: 'abuse', note: 'Rude' }] })
    expect((await thread('rp')).comments).toHaveLength(1)
    await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })
    expect((await (await mod.get('/api/v1/moderation/comments?reported=true')).json()).comments).toEqual([])
    // Approving what is approved kept it: the dismissal is logged, not "nothing changed".
    const log = (await (await mod.get('/api/v1/moderation/log')).json()).entries
    expect(log[0]).toMatchObject({
      action: 'reports.dismiss',
      commentId: comment.id,
      from: 'approved',
      to: 'approved',
      detail: { reports: 1 },
    })
  })

  it('keeps a reported comment as it is, dismissing its reports, from the API and the dashboard', async () => {
    const mod = await signIn(t)
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'keep')
    for (const ip of ['192.0.2.41', '192.0.2.42'])
      await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'off_topic' }, {}, ip)
    const kept = await mod.send('POST', `/api/v1/moderation/comments/${comment.id}/reports/dismiss`)
    expect(kept.status).toBe(200)
    expect(await kept.json()).toEqual({ dismissed: 2 })
    expect((await (await mod.get('/api/v1/moderation/comments?reported=true')).json()).counts.reported).toBe(0)
    expect((await thread('keep')).comments).toHaveLength(1)
    expect(await (await mod.send('POST', `/api/v1/moderation/comments/${comment.id}/reports/dismiss`)).json()).toEqual({ dismissed: 0 })
    expect((await mod.send('POST', '/api/v1/moderation/comments/999999/reports/dismiss')).status).toBe(404)

    await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' }, {}, '192.0.2.43')
    const desk = await dashboardSession(t, 'moderator')
    const queue = await (await desk.get('/admin?queue=reported')).text()
    expect(queue).toContain(`formaction="/admin/comments/${comment.id}/keep"`)
    const res = await desk.post(`/admin/comments/${comment.id}/keep`, { back: '/admin?queue=reported' })
    expect(res.headers.get('location')).toBe('/admin?queue=reported&done=kept')
    expect(await (await desk.get('/admin?queue=reported&done=kept')).text()).toContain('Reports dismissed: the comment stays as it is.')
    const log = (await (await mod.get('/api/v1/moderation/log')).json()).entries
    expect(log.slice(0, 2).map((e: { action: string; detail: unknown }) => [e.action, e.detail])).toEqual([
      ['reports.dismiss', { reports: 1 }],
      ['reports.dismiss', { reports: 2 }],
    ])
  })

  it('refuses a report sent from a page of an origin that is not allowed, as the document says', async () => {
    await t.setSettings({ ...openSettings, allowedOrigins: ['https://news.example'] })
    const { comment } = await postComment(t, 'ro')
    const res = await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' }, { Origin: 'https://elsewhere.example' })
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('forbidden')
    expect(
      (await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse' }, { Origin: 'https://news.example' })).status,
    ).toBe(202)
    // The file's contract check (every response as /openapi.json documents it) holds the 403 to the document.
  })

  it('refuses a note longer than 2,000 characters rather than cutting it, and keeps one of 2,000 whole', async () => {
    const mod = await signIn(t)
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'rn')
    const long = await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'other', note: 'n'.repeat(2001) })
    expect(long.status).toBe(422)
    expect((await long.json()).errors).toEqual([{ field: 'note', code: 'too_long', message: 'note must be at most 2000 characters.' }])
    const whole = `${'w'.repeat(1999)}!`
    expect((await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'other', note: whole })).status).toBe(202)
    const queue = await (await mod.get('/api/v1/moderation/comments?reported=true')).json()
    expect(queue.comments[0].reports).toEqual([expect.objectContaining({ note: whole })])
  })

  it('refuses reports on unpublished comments and limits them per IP', async () => {
    const held = await postComment(t, 'rl')
    expect((await t.postJson(`/api/v1/comments/${held.comment.id}/reports`, { reason: 'spam' })).status).toBe(404)
    expect((await t.postJson(`/api/v1/comments/${held.comment.id}/reports`, { reason: 'bad' })).status).toBe(422)
    await t.setSettings(openSettings)
    const ids: number[] = []
    for (let i = 0; i < 11; i++) ids.push((await postComment(t, 'rl')).comment.id)
    for (const id of ids.slice(0, 10))
      expect((await t.postJson(`/api/v1/comments/${id}/reports`, { reason: 'spam' }, {}, '192.0.2.9')).status).toBe(202)
    const limited = await t.postJson(`/api/v1/comments/${ids[10]}/reports`, { reason: 'spam' }, {}, '192.0.2.9')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await t.postJson(`/api/v1/comments/${ids[10]}/reports`, { reason: 'spam' }, {}, '192.0.2.10')).status).toBe(202)
    // An IPv6 reader is one reader across its /64: fresh addresses do not buy more reports.
    for (const [i, id] of ids.slice(0, 10).entries())
      expect((await t.postJson(`/api/v1/comments/${id}/reports`, { reason: 'spam' }, {}, `2001:db8:5:5::${i + 1}`)).status).toBe(202)
    expect((await t.postJson(`/api/v1/comments/${ids[10]}/reports`, { reason: 'spam' }, {}, '2001:db8:5:5:abcd::1')).status).toBe(429)
  })
})
