import { beforeEach, describe, expect, it } from 'vitest'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

const t = await setupTestApp()
beforeEach(() => t.setSettings({ ...openSettings, moderation: 'all' }))

describe("the desk's queue", () => {
  it('sorts oldest first (the longest waiting) or newest first, page by page', async () => {
    const mod = await signIn(t)
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await postComment(t, 'q-1')).comment.id)
      t.advance(60)
    }
    const read = async (query: string) =>
      (await (await mod.get(`/api/v1/moderation/comments?limit=2${query}`)).json()) as {
        comments: { id: number }[]
        nextCursor: string | null
      }
    const pages = async (order: string) => {
      const seen: number[] = []
      let cursor: string | null = null
      do {
        const page = await read(`&order=${order}${cursor ? `&cursor=${cursor}` : ''}`)
        seen.push(...page.comments.map((c) => c.id))
        cursor = page.nextCursor
      } while (cursor)
      return seen
    }
    expect(await pages('oldest')).toEqual(ids)
    expect(await pages('newest')).toEqual([...ids].reverse())
    expect((await mod.get('/api/v1/moderation/comments?order=sideways')).status).toBe(422)

    const desk = await dashboardSession(t)
    const html = await (await desk.get('/admin?order=newest')).text()
    expect(html).toContain('<a href="/admin?order=newest" aria-current="true">Newest first</a>')
    expect(html.indexOf(`id="comment-${ids[4]}"`)).toBeLessThan(html.indexOf(`id="comment-${ids[0]}"`))
    // The filter keeps the order.
    expect(html).toContain('<input type="hidden" name="order" value="newest">')
  })

  it("shows Parley's own avatars, and offers reply and quick edit in each row that work without JavaScript", async () => {
    const desk = await dashboardSession(t, 'moderator', 'Row Editor')
    const c = await postComment(t, 'q-2', { name: 'Zoë', body: 'Teh bridge opens *today*.' })
    const queue = await (await desk.get('/admin')).text()
    expect(queue).toMatch(/<span class="avatar av[0-7]" aria-hidden="true">Z<\/span><strong>Zoë<\/strong>/)
    expect(queue).toContain(
      `<textarea id="edit-${c.comment.id}" name="body" rows="5" required form="edit-form-${c.comment.id}">Teh bridge opens *today*.</textarea>`,
    )
    expect(queue).toContain(
      `<form id="reply-form-${c.comment.id}" method="post" action="/admin/comments/${c.comment.id}/reply" data-inline="replied" hidden>`,
    )
    // The forms are not inside the bulk form (forms cannot nest): the bulk form closes before them.
    expect(queue.indexOf('</table></div></form>')).toBeLessThan(queue.indexOf(`id="reply-form-${c.comment.id}"`))

    const edited = await desk.post(`/admin/comments/${c.comment.id}/edit`, { body: 'The bridge opens <em>today</em>.', back: '/admin' })
    expect(edited.headers.get('location')).toBe('/admin?done=edited')
    const after = await (await desk.get('/admin')).text()
    expect(after).toContain('The bridge opens <em>today</em>.')
    const replied = await desk.post(`/admin/comments/${c.comment.id}/reply`, { body: 'Thanks, fixed.', back: '/admin' })
    expect(replied.headers.get('location')).toBe('/admin?done=replied')
    const thread = await (await t.request('/api/v1/articles/q-2/comments')).json()
    expect(thread.comments[0].replies[0]).toMatchObject({ author: { name: 'Row Editor', moderator: true } })
  })
})
