import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { moderationLog } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

const t = await setupTestApp()
beforeEach(() => t.setSettings(openSettings))

interface Note {
  id: number
  body: string
  by: { name: string } | null
}

describe("moderators' notes on a commenter", () => {
  it('keeps private notes on the commenter, shown with any of their comments, logged without their text', async () => {
    const mod = await signIn(t, 'moderator', 'Desk Editor')
    const first = await postComment(t, 'n-1', { email: 'regular@example.com', name: 'Regular' })
    const later = await postComment(t, 'n-2', { email: 'REGULAR@example.com', name: 'Regular Again' })
    const stranger = await postComment(t, 'n-1', { email: 'someone@example.com' })

    const added = await mod.send('POST', `/api/v1/moderation/comments/${first.comment.id}/commenter/notes`, {
      body: '  Often rude on Mondays.\n',
    })
    expect(added.status).toBe(201)
    const note = (await added.json()) as Note
    expect(note).toMatchObject({ body: 'Often rude on Mondays.', by: { name: 'Desk Editor' } })

    // Found from their other comment (same address), not from a stranger's.
    const theirs = await (await mod.get(`/api/v1/moderation/comments/${later.comment.id}/commenter`)).json()
    expect(theirs.commenter.notes.map((n: Note) => n.body)).toEqual(['Often rude on Mondays.'])
    const others = await (await mod.get(`/api/v1/moderation/comments/${stranger.comment.id}/commenter`)).json()
    expect(others.commenter.notes).toEqual([])

    // Readers never see them.
    const thread = await (await t.request('/api/v1/articles/n-1/comments')).text()
    const fragment = await (await t.request('/api/v1/articles/n-1/comments.html')).text()
    expect(thread + fragment).not.toContain('rude')

    const log = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'note.add'))
    expect(log).toHaveLength(1)
    expect(JSON.stringify(log)).not.toContain('rude')

    expect((await mod.send('POST', `/api/v1/moderation/comments/${first.comment.id}/commenter/notes`, { body: '   ' })).status).toBe(422)
    expect(
      (await mod.send('POST', `/api/v1/moderation/comments/${first.comment.id}/commenter/notes`, { body: 'x'.repeat(2001) })).status,
    ).toBe(422)
    expect((await mod.send('POST', '/api/v1/moderation/comments/999999/commenter/notes', { body: 'Nobody' })).status).toBe(404)

    expect((await mod.send('DELETE', `/api/v1/moderation/commenter-notes/${note.id}`)).status).toBe(204)
    expect((await mod.send('DELETE', `/api/v1/moderation/commenter-notes/${note.id}`)).status).toBe(404)
    expect((await (await mod.get(`/api/v1/moderation/comments/${first.comment.id}/commenter`)).json()).commenter.notes).toEqual([])
    expect(await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'note.remove'))).toHaveLength(1)
  })

  it("are in the person's privacy export and go with their erasure", async () => {
    const mod = await signIn(t)
    const admin = await signIn(t, 'admin')
    const c = await postComment(t, 'n-3', { email: 'asker@example.com' })
    await mod.send('POST', `/api/v1/moderation/comments/${c.comment.id}/commenter/notes`, { body: 'Asked for a correction.' })
    const exported = await (await admin.get('/api/v1/admin/privacy/export?email=asker@example.com')).json()
    expect(exported.moderatorNotes).toEqual([{ body: 'Asked for a correction.', createdAt: t.now().toISOString() }])
    const erased = await (await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'asker@example.com' })).json()
    expect(erased).toMatchObject({ erased: 1, moderatorNotes: 1 })
    expect((await (await mod.get(`/api/v1/moderation/comments/${c.comment.id}/commenter`)).json()).commenter.notes).toEqual([])
  })

  it('are written and removed from the commenter page of the dashboard', async () => {
    const desk = await dashboardSession(t, 'moderator', 'Night Desk')
    const c = await postComment(t, 'n-4', { email: 'writer@example.com' })
    const page = `/admin/comments/${c.comment.id}/commenter`
    expect(await (await desk.get(page)).text()).toContain('No notes yet.')
    const added = await desk.post(`/admin/comments/${c.comment.id}/notes`, { body: 'Knows the subject <well>.', back: page })
    expect(added.status).toBe(303)
    const shown = await (await desk.get(added.headers.get('location') ?? '')).text()
    expect(shown).toContain('Note added.')
    expect(shown).toContain('<p>Knows the subject &lt;well&gt;.</p>')
    expect(shown).toContain('Night Desk')
    const id = /action="\/admin\/notes\/(\d+)\/delete"/.exec(shown)?.[1]
    const removed = await desk.post(`/admin/notes/${id}/delete`, { back: page })
    expect(await (await desk.get(removed.headers.get('location') ?? '')).text()).toContain('Note removed.')
    const empty = await desk.post(`/admin/comments/${c.comment.id}/notes`, { body: '', back: page })
    expect(empty.status).toBe(422)
  })
})
