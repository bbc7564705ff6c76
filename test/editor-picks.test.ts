import { beforeEach, describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { moderationLog, webhookDeliveries } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

// The read cache on, as on Node: a pick must reach readers of a kept page at once.
const t = await setupTestApp({ readCache: true })
beforeEach(() => t.setSettings(openSettings))

interface Node {
  id: number
  parentId: number | null
  depth: number
  featured: boolean
  votes: number
  replies: Node[]
}
interface Page {
  article: { featuredCount: number; votes: boolean }
  comments: Node[]
  nextCursor: string | null
}
const thread = async (key: string, query = ''): Promise<Page> => {
  const res = await t.request(`/api/v1/articles/${key}/comments${query}`)
  expect(res.status).toBe(200)
  return res.json() as Promise<Page>
}

describe("editor's picks", () => {
  it('features an approved comment: a badge in the thread and the fragment, order=featured, the audit log, webhooks', async () => {
    const mod = await signIn(t)
    const admin = await signIn(t, 'admin')
    const hook = await admin.send('POST', '/api/v1/admin/webhooks', {
      url: 'https://hooks.example/picks',
      events: ['comment.featured', 'comment.unfeatured'],
    })
    expect(hook.status).toBe(201)
    const first = await postComment(t, 'pick-1', { body: 'A thoughtful first comment' })
    const second = await postComment(t, 'pick-1', { body: 'A reply worth reading', parentId: first.comment.id })
    await postComment(t, 'pick-1', { body: 'Another top-level comment' })

    // Read once, so that the page is kept: the pick must not be hidden behind it.
    expect((await thread('pick-1')).article.featuredCount).toBe(0)

    const picked = await mod.send('PATCH', `/api/v1/moderation/comments/${second.comment.id}`, { featured: true })
    expect(picked.status).toBe(200)
    expect(await picked.json()).toMatchObject({ id: second.comment.id, featured: true })

    const page = await thread('pick-1')
    expect(page.article.featuredCount).toBe(1)
    expect(page.comments[0]?.featured).toBe(false)
    expect(page.comments[0]?.replies[0]).toMatchObject({ id: second.comment.id, featured: true })

    const picks = await thread('pick-1', '?order=featured')
    expect(picks.comments.map((c) => [c.id, c.depth, c.parentId, c.replies.length])).toEqual([[second.comment.id, 0, first.comment.id, 0]])

    const fragment = await (await t.request('/api/v1/articles/pick-1/comments.html')).text()
    expect(fragment).toMatch(new RegExp(`id="comment-${second.comment.id}" class="comment depth-2[^"]*parley-featured`))
    expect(fragment).toContain('<span class="parley-badge parley-featured-badge">Featured</span>')

    const log = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.commentId, second.comment.id))
    expect(log.map((entry) => entry.action)).toContain('feature')
    const events = await t.deps.db.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.id))
    const featuredEvent = events.find((e) => (e.payload as { type: string }).type === 'comment.featured')
    expect(featuredEvent?.payload).toMatchObject({ type: 'comment.featured', data: { comment: { id: second.comment.id, featured: true } } })

    // Unfeatured: gone from the picks and from the badge, logged, announced.
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${second.comment.id}`, { featured: false })).status).toBe(200)
    expect((await thread('pick-1', '?order=featured')).comments).toEqual([])
    expect((await thread('pick-1')).article.featuredCount).toBe(0)
    const after = await t.deps.db.select().from(webhookDeliveries)
    expect(after.some((e) => (e.payload as { type: string }).type === 'comment.unfeatured')).toBe(true)
  })

  it('refuses to feature a held comment, keeps a pick through a status change, and pages the picks latest first', async () => {
    const mod = await signIn(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const held = await postComment(t, 'pick-2', { body: 'Held for review' })
    const refused = await mod.send('PATCH', `/api/v1/moderation/comments/${held.comment.id}`, { featured: true })
    expect(refused.status).toBe(422)
    expect((await refused.json()).errors[0]).toMatchObject({ field: 'featured' })
    // Approve and feature in one request.
    const both = await mod.send('PATCH', `/api/v1/moderation/comments/${held.comment.id}`, { status: 'approved', featured: true })
    expect(await both.json()).toMatchObject({ featured: true })

    const ids: number[] = [held.comment.id]
    for (let i = 0; i < 4; i++) {
      const c = await postComment(t, 'pick-2', { body: `Pick ${i}` })
      await mod.send('PATCH', `/api/v1/moderation/comments/${c.comment.id}`, { status: 'approved' })
      t.advance(60)
      await mod.send('PATCH', `/api/v1/moderation/comments/${c.comment.id}`, { featured: true })
      ids.push(c.comment.id)
    }
    const first = await thread('pick-2', '?order=featured&limit=2')
    expect(first.comments.map((c) => c.id)).toEqual([ids[4], ids[3]])
    const second = await thread('pick-2', `?order=featured&limit=2&cursor=${first.nextCursor}`)
    const third = await thread('pick-2', `?order=featured&limit=2&cursor=${second.nextCursor}`)
    expect([...second.comments, ...third.comments].map((c) => c.id)).toEqual([ids[2], ids[1], ids[0]])
    expect(third.nextCursor).toBeNull()

    // Trashed: no longer shown as a pick; restored: shown again, as it was.
    await mod.send('PATCH', `/api/v1/moderation/comments/${ids[4]}`, { status: 'trash' })
    expect((await thread('pick-2', '?order=featured')).comments.map((c) => c.id)).not.toContain(ids[4])
    await mod.send('PATCH', `/api/v1/moderation/comments/${ids[4]}`, { status: 'approved' })
    expect((await thread('pick-2', '?order=featured')).comments[0]?.id).toBe(ids[4])
  })

  it('features from the dashboard: the button on the queue and the comment page, its notice, and the badge', async () => {
    const desk = await dashboardSession(t)
    const c = await postComment(t, 'pick-3', { body: 'Featured from the desk' })
    const page = await (await desk.get(`/admin/comments/${c.comment.id}`)).text()
    expect(page).toContain(`formaction="/admin/comments/${c.comment.id}/feature" name="featured" value="1" data-key="f"`)
    const done = await desk.post(`/admin/comments/${c.comment.id}/feature`, { featured: '1', back: `/admin/comments/${c.comment.id}` })
    expect(done.status).toBe(303)
    const after = await (await desk.get(done.headers.get('location') ?? '')).text()
    expect(after).toContain('Comment featured: readers see it as an editor')
    expect(after).toContain('<span class="badge featured">Featured</span>')
    expect(after).toContain('value="0" data-key="f"')
    const queue = await (await desk.get('/admin?queue=approved')).text()
    expect(queue).toContain('<span class="badge featured">Featured</span>')
    expect((await thread('pick-3')).comments[0]?.featured).toBe(true)
  })
})
