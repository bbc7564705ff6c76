import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { setupTestApp, testTime } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'

const t = await setupTestApp()
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
const patch = (id: number | string, body: unknown, headers: Record<string, string> = {}) =>
  t.request(`/api/v1/comments/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
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
    expect((await res.json()).comment).toMatchObject({
      id: comment.id,
      status: 'approved',
      html: '<p>Edited <b>text</b></p>',
      editedAt: testTime(60),
    })
    const thread = await (await t.request('/api/v1/articles/k/comments')).json()
    expect(thread.comments[0].html).toBe('<p>Edited <b>text</b></p>')

    await t.setSettings({ moderationKeys: ['forbidden-word'] })
    t.advance(5)
    const held = await (await patch(comment.id, { body: 'now with forbidden-word' }, bearer(token))).json()
    expect(held.comment.status).toBe('pending')
    expect((await (await t.request('/api/v1/articles/k/comments')).json()).comments).toEqual([])
    expect((await stored(comment.id))?.checks.find((c) => c.filter === 'moderation-keys')?.verdict).toBe('hold')
  })

  it("keeps a previously approved commenter's comment approved when they edit it from another network", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const first = await postComment(t, 'k', { name: 'Ann', email: 'ann@example.com', body: 'First' })
    await t.deps.db.update(comments).set({ status: 'approved' }).where(eq(comments.id, first.comment.id))
    const { comment, token } = await postComment(t, 'k', { name: 'Ann', email: 'ann@example.com', body: 'Second' })
    expect(comment.status).toBe('approved')
    const res = await t.request(
      `/api/v1/comments/${comment.id}`,
      {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ body: 'Second, from the train' }),
      },
      '192.0.2.99',
    )
    expect(res.status).toBe(200)
    expect((await res.json()).comment.status).toBe('approved')
  })

  it('keeps spam as spam whatever the edit says', async () => {
    await t.setSettings({ ...openSettings })
    const res = await t.postJson('/api/v1/articles/k/comments', { name: 'S', email: 's@example.com', body: 'spam', hp: 'x' })
    const { comment, token } = await res.json()
    await patch(comment.id, { body: 'innocent now' }, bearer(token))
    expect((await stored(comment.id))?.status).toBe('spam')
  })

  it('refuses without a token (401, whatever the id), with another token (403; 404 on a held one) and after the window (403)', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k')
    const other = await postComment(t, 'k', {}, '198.51.100.3')
    // Ids no comment can have too (past PostgreSQL's integer, not a number): the token is asked for first.
    for (const id of [comment.id, 999_999, 2_147_483_648, 99_999_999_999, 'abc']) {
      const none = await patch(id, { body: 'x' })
      expect(none.status, `PATCH ${id}`).toBe(401)
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="parley-comment"')
      expect((await none.json()).code).toBe('token_required')
      const withdraw = await t.request(`/api/v1/comments/${id}`, { method: 'DELETE' })
      expect(withdraw.status, `DELETE ${id}`).toBe(401)
      expect((await withdraw.json()).code).toBe('token_required')
    }
    for (const id of [2_147_483_648, 99_999_999_999, 'abc']) {
      expect((await patch(id, { body: 'x' }, bearer(token))).status, `PATCH ${id}`).toBe(404)
      expect((await t.request(`/api/v1/comments/${id}`, { method: 'DELETE', headers: bearer(token) })).status, `DELETE ${id}`).toBe(404)
    }
    const wrong = await patch(comment.id, { body: 'x' }, bearer(other.token))
    expect(wrong.status).toBe(403)
    expect((await wrong.json()).code).toBe('forbidden')
    await t.setSettings({ moderation: 'all' })
    const held = await postComment(t, 'k', {}, '198.51.100.4')
    expect((await patch(held.comment.id, { body: 'x' }, bearer(other.token))).status).toBe(404)
    expect((await patch(999_999, { body: 'x' }, bearer(other.token))).status).toBe(404)
    t.advance(901)
    const late = await patch(comment.id, { body: 'x' }, bearer(token))
    expect(late.status).toBe(403)
    expect((await late.json()).code).toBe('edit_window_closed')
    const lateDelete = await t.request(`/api/v1/comments/${comment.id}`, { method: 'DELETE', headers: bearer(token) })
    expect((await lateDelete.json()).code).toBe('edit_window_closed')
    expect(await stored(comment.id)).toMatchObject({ editedAt: null, status: 'approved' })
  })

  it('edits once every 5 seconds per comment and per network, and ignores the same text', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k', { body: 'First words' })
    const second = await postComment(t, 'k', { body: 'Other words' })
    const logRows = async () =>
      (await (await (await signIn(t, 'admin')).send('GET', '/api/v1/moderation/log')).json()).entries.filter(
        (e: { action: string }) => e.action === 'author.edit',
      ).length
    expect((await patch(comment.id, { body: 'Edit one' }, bearer(token))).status).toBe(200)
    const fast = await patch(comment.id, { body: 'Edit two' }, bearer(token))
    expect(fast.status).toBe(429)
    expect(fast.headers.get('retry-after')).toBe('5')
    expect((await fast.json()).code).toBe('too_fast')
    // Another comment from the same network is held to the same pace.
    expect((await patch(second.comment.id, { body: 'Other edit' }, bearer(second.token))).status).toBe(429)
    t.advance(5)
    expect((await patch(comment.id, { body: 'Edit two' }, bearer(token))).status).toBe(200)
    // The same text again: nothing changes, nothing is logged or announced, no wait is spent.
    const before = await stored(comment.id)
    const same = await patch(comment.id, { body: '  Edit two ' }, bearer(token))
    expect(same.status).toBe(200)
    expect(await stored(comment.id)).toEqual(before)
    expect(await logRows()).toBe(2)
  })

  it('refuses a body with more markup than any comment needs, before sanitizing it', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k')
    const nested = '<b>'.repeat(21_666)
    const edit = await patch(comment.id, { body: nested }, bearer(token))
    expect(edit.status).toBe(422)
    expect((await edit.json()).errors).toEqual([
      { field: 'body', code: 'too_much_markup', message: 'Your comment has too much HTML markup.' },
    ])
    const post = await t.postJson(
      '/api/v1/articles/k/comments',
      { name: 'N', email: 'n@example.com', body: `${'<i>x</i> '.repeat(251)}` },
      {},
      '198.51.100.8',
    )
    expect(post.status).toBe(422)
    expect((await post.json()).errors[0].code).toBe('too_much_markup')
    // 500 tags, and a text full of "<" that opens no tag, are fine.
    expect(
      (
        await t.postJson(
          '/api/v1/articles/k/comments',
          { name: 'N', email: 'n@example.com', body: `${'<i>x</i> '.repeat(250)}` },
          {},
          '198.51.100.9',
        )
      ).status,
    ).toBe(201)
    expect(
      (
        await t.postJson(
          '/api/v1/articles/k/comments',
          { name: 'N', email: 'n@example.com', body: 'a < b '.repeat(2000) },
          {},
          '198.51.100.10',
        )
      ).status,
    ).toBe(201)
  })

  it('leaves a comment a moderator trashed while the edit was being checked in the trash', async () => {
    await t.setSettings(openSettings)
    const { comment, token } = await postComment(t, 'k', { body: 'Fine words' })
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let entered = () => {}
    const checking = new Promise<void>((resolve) => (entered = resolve))
    t.deps.spamFilters = [
      {
        name: 'slow',
        check: async () => {
          entered()
          await gate
          return { verdict: 'approve', reason: 'slow but fine' }
        },
      },
    ]
    const edit = patch(comment.id, { body: 'Rewritten while you look' }, bearer(token))
    await checking
    const mod = await signIn(t)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'trash' })).status).toBe(200)
    release()
    const res = await edit
    expect(res.status).toBe(404)
    expect(await stored(comment.id)).toMatchObject({ status: 'trash', body: 'Fine words' })
    expect((await (await t.request('/api/v1/articles/k/comments')).json()).comments).toEqual([])
  })

  it('does not let an approved first comment vouch for its own rewrite', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const { comment, token } = await postComment(t, 'k', { name: 'New', email: 'new@example.com', body: 'Harmless first words' })
    expect(comment.status).toBe('pending')
    const mod = await signIn(t)
    await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })
    t.advance(60)
    const res = await patch(comment.id, { body: 'Now buy my pills at https://spam.example' }, bearer(token))
    expect(res.status).toBe(200)
    expect((await res.json()).comment.status).toBe('pending')
    expect((await stored(comment.id))?.checks.find((c) => c.filter === 'previously-approved')?.verdict).toBe('hold')
  })

  it("refuses an empty edit with WordPress's message", async () => {
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
