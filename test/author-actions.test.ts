import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { setupTestApp, testTime } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'

const t = await setupTestApp()
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
const patch = (id: number, body: unknown, headers: Record<string, string> = {}) =>
  t.request(`/api/v1/comments/${id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
const stored = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]

describe('reading one comment', () => {
  it('shows an approved comment to anyone, unwrapped', async () => {
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'k', { body: 'Visible' })
    const res = await t.request(`/api/v1/comments/${comment.id}`)
    expect(res.status).toBe(200)
    const json = await res.json()
    expect(json).toMatchObject({ id: comment.id, parentId: null, depth: 0, html: '<p>Visible</p>', removed: false })
    expect(json).not.toHaveProperty('replies')
    expect(json).not.toHaveProperty('status')
  })

  it('shows a held comment only to its token, with status and editableUntil', async () => {
    const { comment, token } = await postComment(t, 'k')
    expect(comment.status).toBe('pending')
    expect((await t.request(`/api/v1/comments/${comment.id}`)).status).toBe(404)
    expect((await t.request(`/api/v1/comments/${comment.id}`, { headers: bearer('wrong-token') })).status).toBe(404)
    const res = await t.request(`/api/v1/comments/${comment.id}`, { headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: comment.id, status: 'pending', editableUntil: testTime(15 * 60) })
    t.advance(901)
    const late = await (await t.request(`/api/v1/comments/${comment.id}`, { headers: bearer(token) })).json()
    expect(late.status).toBe('pending')
    expect(late).not.toHaveProperty('editableUntil')
  })

  it('shows a spam verdict to its author as pending', async () => {
    await t.setSettings({ disallowedKeys: ['viagra'] })
    const { comment, token } = await postComment(t, 'k', { body: 'cheap viagra' })
    expect((await stored(comment.id))?.status).toBe('spam')
    expect((await (await t.request(`/api/v1/comments/${comment.id}`, { headers: bearer(token) })).json()).status).toBe('pending')
  })

  it('answers 404 for ids that cannot exist', async () => {
    for (const id of ['0', '-1', 'abc', '99999999999', '1.5']) {
      const res = await t.request(`/api/v1/comments/${id}`)
      expect(res.status, id).toBe(404)
      expect((await res.json()).code).toBe('not_found')
    }
  })
})

describe('editing and withdrawing', () => {
  it('lets the author edit within the window; the checks run again', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k', { body: 'Original' })
    t.advance(60)
    const res = await patch(comment.id, { body: 'Edited <b>text</b>' }, bearer(token))
    expect(res.status).toBe(200)
    expect((await res.json()).comment).toMatchObject({ id: comment.id, status: 'approved', html: '<p>Edited <b>text</b></p>', editedAt: testTime(60) })
    const thread = await (await t.request('/api/v1/articles/k/comments')).json()
    expect(thread.comments[0].html).toBe('<p>Edited <b>text</b></p>')

    await t.setSettings({ moderationKeys: ['forbidden-word'] })
    const held = await (await patch(comment.id, { body: 'now with forbidden-word' }, bearer(token))).json()
    expect(held.comment.status).toBe('pending')
    expect((await (await t.request('/api/v1/articles/k/comments')).json()).comments).toEqual([])
    expect((await stored(comment.id))?.checks.find((c) => c.filter === 'moderation-keys')?.verdict).toBe('hold')
  })

  it('keeps spam as spam whatever the edit says', async () => {
    await t.setSettings({ ...openSettings })
    const res = await t.postJson('/api/v1/articles/k/comments', { name: 'S', email: 's@example.com', body: 'spam', hp: 'x' })
    const { comment, token } = await res.json()
    await patch(comment.id, { body: 'innocent now' }, bearer(token))
    expect((await stored(comment.id))?.status).toBe('spam')
  })

  it('refuses without a token (401), with another token (403) and after the window (403)', async () => {
    const { comment, token } = await postComment(t, 'k')
    const other = await postComment(t, 'k', {}, '198.51.100.3')
    const none = await patch(comment.id, { body: 'x' })
    expect(none.status).toBe(401)
    expect((await none.json()).code).toBe('token_required')
    const wrong = await patch(comment.id, { body: 'x' }, bearer(other.token))
    expect(wrong.status).toBe(403)
    expect((await wrong.json()).code).toBe('forbidden')
    t.advance(901)
    const late = await patch(comment.id, { body: 'x' }, bearer(token))
    expect(late.status).toBe(403)
    expect((await late.json()).code).toBe('edit_window_closed')
    const lateDelete = await t.request(`/api/v1/comments/${comment.id}`, { method: 'DELETE', headers: bearer(token) })
    expect((await lateDelete.json()).code).toBe('edit_window_closed')
    expect(await stored(comment.id)).toMatchObject({ editedAt: null, status: 'pending' })
  })

  it('refuses an empty edit with WordPress\'s message', async () => {
    const { comment, token } = await postComment(t, 'k')
    const res = await patch(comment.id, { body: '  ' }, bearer(token))
    expect(res.status).toBe(422)
    expect((await res.json()).errors).toEqual([{ field: 'body', code: 'required', message: 'Please type your comment text.' }])
  })

  it('withdraws a comment: out of public view, in the trash, counts updated', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k')
    expect((await (await t.request('/api/v1/counts?keys=k')).json()).counts.k).toBe(1)
    const res = await t.request(`/api/v1/comments/${comment.id}`, { method: 'DELETE', headers: bearer(token) })
    expect(res.status).toBe(204)
    expect((await stored(comment.id))?.status).toBe('trash')
    expect((await t.request(`/api/v1/comments/${comment.id}`)).status).toBe(404)
    expect((await (await t.request('/api/v1/counts?keys=k')).json()).counts.k).toBe(0)
    expect((await t.request(`/api/v1/comments/${comment.id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(404)
  })
})

describe('counts', () => {
  it('counts approved comments for up to 100 keys, 0 for unknown ones, with a 304', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'a')
    await postComment(t, 'a')
    await t.setSettings({ moderation: 'all' })
    await postComment(t, 'b')
    const res = await t.request('/api/v1/counts?keys=a,b,zzz')
    expect(await res.json()).toEqual({ counts: { a: 2, b: 0, zzz: 0 } })
    const etag = res.headers.get('etag') ?? ''
    expect((await t.request('/api/v1/counts?keys=a,b,zzz', { headers: { 'If-None-Match': etag } })).status).toBe(304)
  })

  it('refuses no keys, bad keys and more than 100', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `k${i}`).join(',')
    for (const query of ['', '?keys=', '?keys=a%20b', `?keys=${many}`]) {
      const res = await t.request(`/api/v1/counts${query}`)
      expect(res.status, query).toBe(422)
      expect((await res.json()).code).toBe('validation_failed')
    }
    expect((await t.request(`/api/v1/counts?keys=${many.split(',').slice(0, 100).join(',')}`)).status).toBe(200)
  })
})
