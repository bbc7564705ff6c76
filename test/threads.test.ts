import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { articles } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

// With the read cache on, as on Node: every read here also checks that it is never served stale.
const t = await setupTestApp({ readCache: true })

interface Node {
  id: number
  parentId: number | null
  depth: number
  removed: boolean
  html: string
  author: { name: string }
  replies: Node[]
}
const thread = async (key: string, query = '', headers: Record<string, string> = {}) => {
  const res = await t.request(`/api/v1/articles/${key}/comments${query}`, { headers })
  return {
    res,
    json:
      res.status === 200
        ? ((await res.json()) as { article: Record<string, unknown>; comments: Node[]; nextCursor: string | null })
        : undefined,
  }
}
const ids = (nodes: Node[]): unknown[] => nodes.map((n) => (n.replies.length ? [n.id, ids(n.replies)] : n.id))

describe('thread read', () => {
  it('answers an unknown article with an empty open thread, never a 404', async () => {
    const { res, json } = await thread('unknown-article')
    expect(res.status).toBe(200)
    expect(json).toEqual({
      article: {
        key: 'unknown-article',
        url: null,
        title: null,
        open: true,
        commentCount: 0,
        commentPolicy: 'anyone',
        loginUrl: null,
        votes: true,
        featuredCount: 0,
      },
      comments: [],
      nextCursor: null,
    })
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=10')
    await t.setSettings({ registerArticles: false })
    expect((await thread('unknown-article')).json?.article.open).toBe(false)
  })

  it('returns approved comments threaded, replies oldest first, without held ones', async () => {
    await t.setSettings(openSettings)
    const a = (await postComment(t, 'k')).comment.id
    t.advance(1)
    const b = (await postComment(t, 'k')).comment.id
    t.advance(1)
    const a1 = (await postComment(t, 'k', { parentId: a })).comment.id
    t.advance(1)
    const a2 = (await postComment(t, 'k', { parentId: a })).comment.id
    t.advance(1)
    const a1x = (await postComment(t, 'k', { parentId: a1 })).comment.id
    await t.setSettings({ moderation: 'all' })
    await postComment(t, 'k', { parentId: b })
    const { json } = await thread('k')
    expect(ids(json?.comments ?? [])).toEqual([[a, [[a1, [a1x]], a2]], b])
    expect(json?.article).toMatchObject({ key: 'k', open: true, commentCount: 5 })
    const first = json?.comments[0]
    expect(first?.replies[0]).toMatchObject({ id: a1, parentId: a, depth: 1 })
    expect(first?.replies[0]?.replies[0]).toMatchObject({ id: a1x, parentId: a1, depth: 2 })

    const { json: newest } = await thread('k', '?order=newest')
    expect(ids(newest?.comments ?? [])).toEqual([b, [a, [[a1, [a1x]], a2]]])
  })

  it('pages by top-level thread with a cursor, in both orders', async () => {
    await t.setSettings(openSettings)
    const top: number[] = []
    for (let i = 0; i < 5; i++) {
      top.push((await postComment(t, 'p')).comment.id)
      await postComment(t, 'p', { parentId: top[i] })
      t.advance(1)
    }
    const pages: number[][] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const { json } = await thread('p', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      pages.push(json?.comments.map((c) => c.id) ?? [])
      expect(json?.comments.every((c) => c.replies.length === 1)).toBe(true)
      cursor = json?.nextCursor ?? null
    }
    expect(pages).toEqual([[top[0], top[1]], [top[2], top[3]], [top[4]]])
    const { json: newest } = await thread('p', '?limit=3&order=newest')
    expect(newest?.comments.map((c) => c.id)).toEqual([top[4], top[3], top[2]])
    const { json: rest } = await thread('p', `?limit=3&order=newest&cursor=${newest?.nextCursor}`)
    expect(rest?.comments.map((c) => c.id)).toEqual([top[1], top[0]])
    expect(rest?.nextCursor).toBeNull()
  })

  it('refuses a bad limit, order or cursor with 422', async () => {
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?order=random', '?cursor=not-a-cursor']) {
      const { res } = await thread('k', query)
      expect(res.status, query).toBe(422)
      expect((await res.json()).code).toBe('validation_failed')
    }
    expect((await thread(encodeURIComponent('bad key!'))).res.status).toBe(422)
  })

  it('refuses a cursor past year 9999 everywhere cursors are read, without a 500', async () => {
    await postComment(t, 'far')
    const year10000 = `${Date.UTC(10000, 0, 1).toString(36)}.1`
    const lastOf9999 = `${Date.UTC(9999, 11, 31, 23, 59, 59, 999).toString(36)}.1`
    expect((await thread('far', `?cursor=${year10000}`)).res.status).toBe(422)
    expect((await thread('far', `?cursor=${lastOf9999}`)).res.status).toBe(200)
    const mod = await signIn(t)
    expect((await mod.get(`/api/v1/moderation/comments?cursor=${year10000}`)).status).toBe(422)
    expect((await mod.get(`/api/v1/moderation/comments?cursor=${lastOf9999}`)).status).toBe(200)
    expect((await t.request(`/demo/plain?cursor=${year10000}`)).status).toBe(200)
    const desk = await dashboardSession(t, 'moderator')
    expect((await desk.get(`/admin?cursor=${year10000}`)).status).toBe(200)
    expect(t.logLines.filter((line) => line.includes('"level":"error"'))).toEqual([])
  })

  it('clamps display depth at threadDepth, keeping true parents and time order', async () => {
    await t.setSettings({ ...openSettings, threadDepth: 3 })
    const root = (await postComment(t, 'd')).comment.id
    t.advance(1)
    const d1 = (await postComment(t, 'd', { parentId: root })).comment.id
    t.advance(1)
    const d2 = (await postComment(t, 'd', { parentId: d1 })).comment.id
    t.advance(1)
    const d3 = (await postComment(t, 'd', { parentId: d2 })).comment.id
    t.advance(1)
    const d2b = (await postComment(t, 'd', { parentId: d1 })).comment.id
    t.advance(1)
    const d4 = (await postComment(t, 'd', { parentId: d3 })).comment.id
    const { json } = await thread('d')
    const level1 = json?.comments[0]?.replies[0]
    expect(level1?.id).toBe(d1)
    expect(level1?.replies.map((r) => [r.id, r.parentId, r.depth, r.replies.length])).toEqual([
      [d2, d1, 2, 0],
      [d3, d2, 2, 0],
      [d2b, d1, 2, 0],
      [d4, d3, 2, 0],
    ])
  })

  it('keeps a withdrawn comment as a placeholder while it has published replies', async () => {
    await t.setSettings({ ...openSettings, editWindowSeconds: 3600 })
    const parent = await postComment(t, 'w', { body: 'Parent text' })
    const reply = await postComment(t, 'w', { parentId: parent.comment.id })
    const lonely = await postComment(t, 'w')
    for (const own of [parent, lonely]) {
      const res = await t.request(`/api/v1/comments/${own.comment.id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${own.token}` },
      })
      expect(res.status).toBe(204)
    }
    const { json } = await thread('w')
    expect(json?.comments).toHaveLength(1)
    expect(json?.comments[0]).toMatchObject({ id: parent.comment.id, removed: true, html: '', author: { name: '' } })
    expect(json?.comments[0]?.replies[0]).toMatchObject({ id: reply.comment.id, removed: false })
    expect(json?.article.commentCount).toBe(1)
    const res = await t.request(`/api/v1/comments/${reply.comment.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${reply.token}` },
    })
    expect(res.status).toBe(204)
    expect((await thread('w')).json?.comments).toEqual([])
  })

  it('answers 304 to a matching ETag until something visible changes', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'e')
    const { res } = await thread('e')
    const etag = res.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[^"]+"$/)
    const again = await thread('e', '', { 'If-None-Match': etag })
    expect(again.res.status).toBe(304)
    expect(again.res.headers.get('etag')).toBe(etag)

    await t.setSettings({ moderation: 'all' })
    const settingsChanged = await thread('e', '', { 'If-None-Match': etag })
    expect(settingsChanged.res.status).toBe(200)
    const etag2 = settingsChanged.res.headers.get('etag') ?? ''
    await postComment(t, 'e')
    expect((await thread('e', '', { 'If-None-Match': etag2 })).res.status).toBe(304)
    await t.setSettings({ moderation: 'rules' })
    const etag3 = (await thread('e')).res.headers.get('etag') ?? ''
    await postComment(t, 'e')
    const changed = await thread('e', '', { 'If-None-Match': etag3 })
    expect(changed.res.status).toBe(200)
    expect(changed.json?.comments).toHaveLength(2)
  })

  it('shows an article as closed once closed or too old, and changes its ETag', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'c')
    const before = (await thread('c')).res.headers.get('etag') ?? ''
    await t.setSettings({ closeAfterDays: 1 })
    t.advance(2 * 86_400)
    const after = await thread('c', '', { 'If-None-Match': before })
    expect(after.res.status).toBe(200)
    expect(after.json?.article.open).toBe(false)
    await t.deps.db.update(articles).set({ open: false }).where(eq(articles.key, 'c'))
    expect((await thread('c')).json?.article.open).toBe(false)
  })
})
