import { beforeEach, describe, expect, it } from 'vitest'
import { asc, eq, inArray } from 'drizzle-orm'
import { comments, moderationLog } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

const t = await setupTestApp()
beforeEach(() => t.setSettings(openSettings))

const statuses = async (ids: number[]) =>
  (
    await t.deps.db
      .select({ id: comments.id, status: comments.status })
      .from(comments)
      .where(inArray(comments.id, ids))
      .orderBy(asc(comments.id))
  ).map((row) => row.status)

describe('Undo', () => {
  it('puts a bulk action back exactly, leaves what changed since, and logs it as an undo', async () => {
    const mod = await signIn(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const a = (await postComment(t, 'u-1')).comment.id
    const b = (await postComment(t, 'u-1')).comment.id
    await t.setSettings({ ...openSettings, moderation: 'rules' })
    const c = (await postComment(t, 'u-1')).comment.id
    // a and b pending, c approved: all three to spam.
    const bulk = await mod.send('POST', '/api/v1/moderation/comments/bulk', { ids: [a, b, c], status: 'spam' })
    const { updated, changed } = (await bulk.json()) as { updated: number; changed: { id: number; from: string; to: string }[] }
    expect(updated).toBe(3)
    const at = t.now().toISOString()
    expect(changed).toEqual([
      { id: a, from: 'pending', to: 'spam', at },
      { id: b, from: 'pending', to: 'spam', at },
      { id: c, from: 'approved', to: 'spam', at },
    ])
    // Another moderator trashes b meanwhile: the Undo leaves it.
    await mod.send('PATCH', `/api/v1/moderation/comments/${b}`, { status: 'trash' })
    const undo = await mod.send('POST', '/api/v1/moderation/comments/undo', { changes: changed })
    expect(await undo.json()).toEqual({ reverted: 2 })
    expect(await statuses([a, b, c])).toEqual(['pending', 'trash', 'approved'])
    // The thread shows c again.
    const page = await (await t.request('/api/v1/articles/u-1/comments')).json()
    expect(page.comments.map((x: { id: number }) => x.id)).toEqual([c])
    const log = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'undo')).orderBy(asc(moderationLog.id))
    expect(log.map((entry) => [entry.commentId, entry.from, entry.to])).toEqual([
      [a, 'spam', 'pending'],
      [c, 'spam', 'approved'],
    ])
    // Undone twice: nothing more.
    expect(await (await mod.send('POST', '/api/v1/moderation/comments/undo', { changes: changed })).json()).toEqual({ reverted: 0 })
    expect((await mod.send('POST', '/api/v1/moderation/comments/undo', { changes: [] })).status).toBe(422)
  })

  it('offers Undo in the dashboard after a status change and a bulk action, without JavaScript', async () => {
    const desk = await dashboardSession(t)
    const one = (await postComment(t, 'u-2')).comment.id
    const two = (await postComment(t, 'u-2')).comment.id
    const done = await desk.post(`/admin/comments/${one}/status`, { status: 'trash', back: '/admin?queue=approved' })
    expect(done.status).toBe(303)
    const where = done.headers.get('location') ?? ''
    const ms = t.now().getTime()
    expect(where).toBe(`/admin?queue=approved&done=trash&undo=approved%3A${one}%40${ms}`)
    const page = await (await desk.get(where)).text()
    expect(page).toContain('Comment moved to the trash.')
    expect(page).toMatch(
      /<form class="undo" method="post" action="\/admin\/comments\/undo">.*name="undo" value="approved:\d+@\d+">.*data-key="z"/,
    )
    const undone = await desk.post('/admin/comments/undo', { undo: `approved:${one}@${ms}`, to: 'trash', back: '/admin?queue=approved' })
    expect(undone.headers.get('location')).toBe('/admin?queue=approved&done=undone&n=1')
    expect(await (await desk.get('/admin?queue=approved&done=undone&n=1')).text()).toContain('Undone: the comment is back where it was.')
    expect(await statuses([one])).toEqual(['approved'])

    const bulk = await desk.post('/admin/comments/bulk', { ids: [String(one), String(two)], status: 'spam', back: '/admin?queue=approved' })
    const bulkPage = await (await desk.get(bulk.headers.get('location') ?? '')).text()
    expect(bulkPage).toContain('2 comments marked as spam.')
    expect(bulkPage).toContain(`name="undo" value="approved:${one}.${two}@${ms}"`)
    await desk.post('/admin/comments/undo', { undo: `approved:${one}.${two}@${ms}`, to: 'spam', back: '/admin' })
    expect(await statuses([one, two])).toEqual(['approved', 'approved'])
    // A crafted undo that is not one is no Undo at all.
    expect(await (await desk.get('/admin?done=spam&undo=approved:1.x@1')).text()).not.toContain('form class="undo"')
    expect(await (await desk.get('/admin?done=spam&undo=approved:1')).text()).not.toContain('form class="undo"')
    expect(await (await desk.get('/admin?done=spam&undo=spam:1')).text()).not.toContain('form class="undo"')
  })
})
