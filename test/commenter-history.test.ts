import { beforeEach, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

const t = await setupTestApp()
const SECRET = 'the-news-sites-shared-secret-for-history-0123456789'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
beforeEach(() => t.setSettings(openSettings))

const token = (subject: string, claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setSubject(subject)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
    .sign(new TextEncoder().encode(SECRET))

let serial = 0
async function signedPost(key: string, subject: string, claims: Record<string, unknown>) {
  serial++
  const res = await t.postJson(
    `/api/v1/articles/${key}/comments`,
    { body: `Signed comment ${serial}`, identityToken: await token(subject, claims) },
    {},
    `203.0.113.${serial}`,
  )
  expect(res.status).toBe(201)
  return ((await res.json()) as { comment: { id: number } }).comment.id
}

describe("a commenter's history, for moderators", () => {
  it("links a signed-in reader's comments by account, whatever name or address the token carried, with counts and dates", async () => {
    const mod = await signIn(t)
    const first = await signedPost('h-1', 'acct-1', { name: 'Kim', email: 'kim@example.com' })
    t.advance(3600)
    const second = await signedPost('h-2', 'acct-1', { name: 'Kim B.', email: 'kim.b@example.com' })
    t.advance(3600)
    const third = await signedPost('h-2', 'acct-1', { name: 'Kim B.' })
    // Another account with the same address, and a guest with it: not this account's.
    await signedPost('h-1', 'acct-2', { name: 'Kim', email: 'kim@example.com' })
    await postComment(t, 'h-1', { name: 'Kim', email: 'kim@example.com' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${second}`, { status: 'spam' })

    const res = await mod.get(`/api/v1/moderation/comments/${first}/commenter`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const history = await res.json()
    expect(history.commenter).toEqual({
      name: 'Kim',
      verified: true,
      matchedBy: 'account',
      counts: { pending: 0, approved: 2, spam: 1, trash: 0 },
      firstCommentAt: expect.any(String),
      lastCommentAt: expect.any(String),
      rules: [],
      notes: [],
    })
    expect(Date.parse(history.commenter.lastCommentAt) - Date.parse(history.commenter.firstCommentAt)).toBe(7_200_000)
    expect(history.comments.map((c: { id: number }) => c.id)).toEqual([third, second, first])
    expect(history.comments[0].author.verified).toBe(true)
    expect(history.nextCursor).toBeNull()

    // Page by page, newest first, with the cursor it gives.
    const page1 = await (await mod.get(`/api/v1/moderation/comments/${third}/commenter?limit=2`)).json()
    expect(page1.comments.map((c: { id: number }) => c.id)).toEqual([third, second])
    const page2 = await (await mod.get(`/api/v1/moderation/comments/${third}/commenter?limit=2&cursor=${page1.nextCursor}`)).json()
    expect(page2.comments.map((c: { id: number }) => c.id)).toEqual([first])
    expect(page2.nextCursor).toBeNull()
  })

  it('links a guest by email address, and leaves a comment with neither alone', async () => {
    const mod = await signIn(t)
    const a = await postComment(t, 'g-1', { name: 'Lee', email: 'Lee@Example.com' })
    const b = await postComment(t, 'g-2', { name: 'Lee L', email: 'lee@example.com' })
    await postComment(t, 'g-2', { name: 'Lee', email: 'other@example.com' })
    const history = await (await mod.get(`/api/v1/moderation/comments/${b.comment.id}/commenter`)).json()
    expect(history.commenter).toMatchObject({ name: 'Lee L', verified: false, matchedBy: 'email', counts: { approved: 2 } })
    expect(history.comments.map((c: { id: number }) => c.id)).toEqual([b.comment.id, a.comment.id])

    await t.setSettings({ ...openSettings, requireNameEmail: false })
    const anonymous = await postComment(t, 'g-3', { name: '', email: '' })
    const alone = await (await mod.get(`/api/v1/moderation/comments/${anonymous.comment.id}/commenter`)).json()
    expect(alone.commenter).toMatchObject({ matchedBy: 'comment', counts: { approved: 1, pending: 0 } })
    expect(alone.comments).toHaveLength(1)
  })

  it('answers 404 for no such comment, 422 for a cursor it did not give, 401 to a stranger', async () => {
    const mod = await signIn(t)
    expect((await mod.get('/api/v1/moderation/comments/999999/commenter')).status).toBe(404)
    const { comment } = await postComment(t, 'e-1')
    expect((await mod.get(`/api/v1/moderation/comments/${comment.id}/commenter?cursor=forged`)).status).toBe(422)
    expect((await mod.get(`/api/v1/moderation/comments/${comment.id}/commenter?limit=0`)).status).toBe(422)
    expect((await t.request(`/api/v1/moderation/comments/${comment.id}/commenter`)).status).toBe(401)
  })

  it('shows the commenter page in the dashboard, from the comment page, with the signed-in mark in the queue too', async () => {
    const desk = await dashboardSession(t)
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const id = await signedPost('d-1', 'acct-9', { name: 'Desk Reader' })
    await signedPost('d-2', 'acct-9', { name: 'Desk Reader' })
    const queue = await (await desk.get('/admin')).text()
    expect(queue).toContain('✓ signed in')
    const details = await (await desk.get(`/admin/comments/${id}`)).text()
    expect(details).toContain(`href="/admin/comments/${id}/commenter?from=%2Fadmin"`)
    const page = await desk.get(`/admin/comments/${id}/commenter?from=%2Fadmin`)
    expect(page.status).toBe(200)
    const text = await page.text()
    expect(text).toContain('Comments by Desk Reader')
    expect(text).toContain('Signed in with the site: every comment of the account')
    expect(text).toContain('0 approved · 2 pending · 0 spam · 0 trash')
    // Approving from it comes back to it.
    const done = await desk.post(`/admin/comments/${id}/status`, {
      status: 'approved',
      back: `/admin/comments/${id}/commenter?from=%2Fadmin`,
    })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toMatch(new RegExp(`^/admin/comments/${id}/commenter\\?`))
    expect(await (await desk.get(`/admin/comments/${id}/commenter`)).text()).toContain('1 approved · 1 pending')
    expect((await desk.get('/admin/comments/999999/commenter')).status).toBe(404)
  })
})
