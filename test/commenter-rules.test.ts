import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { commenterRules, comments } from '../src/db/schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'

const t = await setupTestApp()
const SECRET = 'the-news-sites-shared-secret-for-bans-0123456789'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
beforeEach(() => t.setSettings(openSettings))

const token = (subject: string, email: string) =>
  new SignJWT({ name: 'Account Holder', email })
    .setSubject(subject)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
    .sign(new TextEncoder().encode(SECRET))

let serial = 0
/** A post as a reader sends it; the answer as it comes. */
function post(key: string, fields: Record<string, unknown>, ip = `198.51.100.${(serial % 200) + 1}`) {
  serial++
  return t.postJson(`/api/v1/articles/${key}/comments`, { body: `Comment ${serial} on ${key}`, name: 'Reader', ...fields }, {}, ip)
}

const rule = (mod: SignedIn, body: Record<string, unknown>) => mod.send('POST', '/api/v1/moderation/commenter-rules', body)
const statusOf = async (res: Response) => {
  const id = ((await res.json()) as { comment: { id: number } }).comment.id
  return (await t.deps.db.select({ status: comments.status, checks: comments.checks }).from(comments).where(eq(comments.id, id)))[0]
}

describe('bans and trusted commenters', () => {
  it('bans by email from a comment: refused with a message, or silently sent to spam, as the setting says', async () => {
    const mod = await signIn(t)
    const first = await postComment(t, 'b-1', { name: 'Troll', email: 'troll@example.com' })
    const made = await rule(mod, { action: 'ban', kind: 'email', commentId: first.comment.id, reason: 'abuse' })
    expect(made.status).toBe(201)
    expect((await made.json()).rule).toMatchObject({
      kind: 'email',
      action: 'ban',
      value: 'troll@example.com',
      label: 'Troll',
      reason: 'abuse',
      expiresAt: null,
    })

    const refused = await post('b-1', { email: 'TROLL@example.com' })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'commenter_banned', detail: 'Sorry, you cannot comment on this site.' })
    // A first comment on an article not yet known is refused the same.
    expect((await post('b-new', { email: 'troll@example.com' })).status).toBe(403)
    // The plain form too.
    const form = await t.request('/comment-form', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ comment: 'Again', author: 'Troll', email: 'troll@example.com', comment_post_ID: 'b-1' }).toString(),
    })
    expect(form.status).toBe(403)
    expect(await form.text()).toContain('Sorry, you cannot comment on this site.')
    expect((await post('b-1', { email: 'someone-else@example.com' })).status).toBe(201)

    await t.setSettings({ ...openSettings, bannedComments: 'spam' })
    const silent = await post('b-1', { email: 'troll@example.com' })
    expect(silent.status).toBe(201)
    const stored = await statusOf(silent)
    expect(stored?.status).toBe('spam')
    expect(stored?.checks).toContainEqual({ filter: 'commenter-rules', verdict: 'spam', reason: 'banned commenter (email): abuse' })
  })

  it('bans a signed-in account whatever address its token carries, and by IP, by /64 and by email domain', async () => {
    const mod = await signIn(t)
    const signed = await post('b-2', { identityToken: await token('acct-13', 'one@example.com') })
    const id = ((await signed.json()) as { comment: { id: number } }).comment.id
    expect((await rule(mod, { action: 'ban', kind: 'account', commentId: id })).status).toBe(201)
    expect((await post('b-2', { identityToken: await token('acct-13', 'two@example.com') })).status).toBe(403)
    expect((await post('b-2', { identityToken: await token('acct-14', 'one@example.com') })).status).toBe(201)

    expect((await rule(mod, { action: 'ban', kind: 'ip', value: '203.0.113.77' })).status).toBe(201)
    expect((await post('b-2', { email: 'a@example.com' }, '203.0.113.77')).status).toBe(403)
    expect((await post('b-2', { email: 'b@example.com' }, '203.0.113.78')).status).toBe(201)

    expect((await rule(mod, { action: 'ban', kind: 'network', value: '2001:db8:aa:bb::/64' })).status).toBe(201)
    expect((await post('b-2', { email: 'c@example.com' }, '2001:db8:aa:bb:1:2:3:4')).status).toBe(403)
    expect((await post('b-2', { email: 'd@example.com' }, '2001:db8:aa:bc::1')).status).toBe(201)

    expect((await rule(mod, { action: 'ban', kind: 'domain', value: '@Spam-Farm.example' })).status).toBe(201)
    expect((await post('b-2', { email: 'anyone@spam-farm.example' })).status).toBe(403)
  })

  it('lets a trusted commenter skip moderation but not the spam filters, and a ban wins over trust', async () => {
    const mod = await signIn(t)
    await t.setSettings({ ...openSettings, moderation: 'all', disallowedKeys: ['casino'] })
    const first = await post('t-1', { email: 'regular@trust.example' })
    expect((await statusOf(first))?.status).toBe('pending')
    expect((await rule(mod, { action: 'trust', kind: 'email', value: 'regular@trust.example' })).status).toBe(201)
    const trusted = await post('t-1', { email: 'regular@trust.example' })
    const stored = await statusOf(trusted)
    expect(stored?.status).toBe('approved')
    expect(stored?.checks).toContainEqual({ filter: 'commenter-rules', verdict: 'approve', reason: 'trusted commenter (email)' })
    expect((await statusOf(await post('t-1', { email: 'regular@trust.example', body: 'Best casino offers' })))?.status).toBe('spam')

    expect((await rule(mod, { action: 'ban', kind: 'domain', value: 'trust.example' })).status).toBe(201)
    expect((await post('t-1', { email: 'regular@trust.example' })).status).toBe(403)
  })

  it('lets a ban run out at its expiry, on the injected clock', async () => {
    const mod = await signIn(t)
    const expiresAt = new Date(t.now().getTime() + 86_400_000).toISOString()
    expect((await rule(mod, { action: 'ban', kind: 'email', value: 'cooling-off@example.com', expiresAt })).status).toBe(201)
    expect((await post('e-1', { email: 'cooling-off@example.com' })).status).toBe(403)
    t.advance(2 * 86_400)
    expect((await post('e-1', { email: 'cooling-off@example.com' })).status).toBe(201)
    // Two days on, the moderator signs in again (sessions last 12 hours); the expired ban is still listed.
    const later = await signIn(t)
    const listed = (await (await later.get('/api/v1/moderation/commenter-rules')).json()).rules
    expect(listed.find((r: { value: string }) => r.value === 'cooling-off@example.com')?.expiresAt).toBe(expiresAt)
  })

  it('lists, replaces and removes rules, refuses nonsense with 422, and logs each change without the address', async () => {
    const mod = await signIn(t)
    const made = await (await rule(mod, { action: 'trust', kind: 'email', value: 'flip@example.com' })).json()
    // One rule per commenter and kind: the ban replaces the trust.
    const replaced = await (await rule(mod, { action: 'ban', kind: 'email', value: 'flip@example.com' })).json()
    expect(replaced.rule.id).toBe(made.rule.id)
    expect(replaced.rule.action).toBe('ban')

    for (const bad of [
      { action: 'ban', kind: 'ip', value: '300.1.1.1' },
      { action: 'ban', kind: 'network', value: '2001:db8::/48' },
      { action: 'ban', kind: 'domain', value: 'not a domain' },
      { action: 'ban', kind: 'email', value: 'nobody' },
      { action: 'ban', kind: 'account', value: 'someone' },
      { action: 'ban', kind: 'email', value: 'x@example.com', expiresAt: new Date(t.now().getTime() - 1000).toISOString() },
      { action: 'ban', kind: 'email', value: 'x@example.com', expiresAt: 'tomorrow' },
      { action: 'ban', kind: 'email' },
      { action: 'smite', kind: 'email', value: 'x@example.com' },
    ]) {
      expect((await rule(mod, bad)).status, JSON.stringify(bad)).toBe(422)
    }
    expect((await rule(mod, { action: 'ban', kind: 'email', commentId: 999_999 })).status).toBe(404)
    const imported = await postComment(t, 'r-1', { name: 'Quiet', email: '' }).catch(() => null)
    expect(imported).toBeNull()

    const del = await mod.send('DELETE', `/api/v1/moderation/commenter-rules/${made.rule.id}`)
    expect(del.status).toBe(204)
    expect((await mod.send('DELETE', `/api/v1/moderation/commenter-rules/${made.rule.id}`)).status).toBe(404)
    expect((await t.request('/api/v1/moderation/commenter-rules')).status).toBe(401)

    const log = (await (await mod.get('/api/v1/moderation/log?limit=20')).json()).entries as { action: string; detail: unknown }[]
    const actions = log.map((entry) => entry.action)
    expect(actions).toContain('ban')
    expect(actions).toContain('trust')
    expect(actions).toContain('unban')
    expect(JSON.stringify(log)).not.toContain('flip@example.com')
  })

  it("shows the commenter's rules in their history, and covers them in a person's data request", async () => {
    const mod = await signIn(t)
    const admin = await signIn(t, 'admin')
    const first = await postComment(t, 'p-1', { name: 'Person', email: 'person@example.com' })
    await rule(mod, { action: 'ban', kind: 'email', commentId: first.comment.id, reason: 'spam links' })
    const history = await (await mod.get(`/api/v1/moderation/comments/${first.comment.id}/commenter`)).json()
    expect(history.commenter.rules).toEqual([{ id: expect.any(Number), kind: 'email', action: 'ban', reason: 'spam links' }])

    const exported = await (await admin.get('/api/v1/admin/privacy/export?email=person@example.com')).json()
    expect(exported.commenterRules).toEqual([
      { kind: 'email', action: 'ban', reason: 'spam links', expiresAt: null, createdAt: expect.any(String) },
    ])
    const erased = await (await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'person@example.com' })).json()
    expect(erased).toMatchObject({ erased: 1, commenterRules: 1 })
    expect(await t.deps.db.select().from(commenterRules).where(eq(commenterRules.label, 'Person'))).toEqual([])
  })

  it('bans and trusts from the dashboard: a comment, its commenter, and the Bans page', async () => {
    const desk = await dashboardSession(t)
    const { comment } = await postComment(t, 'd-1', { name: 'Desk Case', email: 'desk-case@example.com' })
    const page = await (await desk.get(`/admin/comments/${comment.id}`)).text()
    expect(page).toContain('Ban commenter')
    const banned = await desk.post(`/admin/comments/${comment.id}/rules`, {
      kind: 'email',
      action: 'ban',
      reason: 'insults',
      days: '7',
      back: `/admin/comments/${comment.id}/commenter`,
    })
    expect(banned.status).toBe(303)
    expect(banned.headers.get('location')).toBe(`/admin/comments/${comment.id}/commenter?done=banned`)
    const commenter = await (await desk.get(`/admin/comments/${comment.id}/commenter?done=banned`)).text()
    expect(commenter).toContain('Commenter banned.')
    expect(commenter).toMatch(/Banned<\/span> by email address: insults/)

    const bans = await (await desk.get('/admin/bans')).text()
    expect(bans).toContain('desk-case@example.com')
    expect(bans).toContain('Desk Case')
    const [row] = await t.deps.db.select().from(commenterRules).where(eq(commenterRules.label, 'Desk Case'))
    expect(row?.expiresAt?.getTime()).toBe(t.now().getTime() + 7 * 86_400_000)

    const bad = await desk.post('/admin/bans', { kind: 'ip', value: 'not-an-ip', action: 'ban', days: '' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Please enter an IPv4 or IPv6 address.')
    expect(
      (await desk.post('/admin/bans', { kind: 'domain', value: 'junk.example', action: 'trust', days: '' })).headers.get('location'),
    ).toBe('/admin/bans?done=trusted')
    const removed = await desk.post(`/admin/bans/${row?.id}/remove`, { back: '/admin/bans' })
    expect(removed.headers.get('location')).toBe('/admin/bans?done=rule-removed')
    expect((await post('d-1', { email: 'desk-case@example.com' })).status).toBe(201)
  })
})

describe('an article that holds every comment (a sensitive story)', () => {
  it("holds every comment there, a trusted commenter's too, from the API and the Articles page, and logs it", async () => {
    const mod = await signIn(t)
    await postComment(t, 'sensitive-1', { name: 'First', email: 'first@example.com' })
    const put = await mod.send('PUT', '/api/v1/moderation/articles/sensitive-1', { moderation: 'hold' })
    expect(put.status).toBe(200)
    expect((await put.json()).article).toMatchObject({ key: 'sensitive-1', moderation: 'hold' })
    expect((await rule(mod, { action: 'trust', kind: 'email', value: 'trusted@held.example' })).status).toBe(201)
    const held = await statusOf(await post('sensitive-1', { email: 'trusted@held.example' }))
    expect(held?.status).toBe('pending')
    expect(held?.checks).toContainEqual({
      filter: 'article-moderation',
      verdict: 'hold',
      reason: 'every comment on this article is held for moderation',
    })
    // Other articles follow the rules.
    expect((await statusOf(await post('calm-1', { email: 'someone@calm.example' })))?.status).toBe('approved')
    const listed = (await (await mod.get('/api/v1/moderation/articles?limit=200')).json()).articles as { key: string; moderation: string }[]
    expect(listed.find((a) => a.key === 'sensitive-1')?.moderation).toBe('hold')
    expect(listed.find((a) => a.key === 'calm-1')?.moderation).toBe('rules')

    const desk = await dashboardSession(t)
    const page = await (await desk.get('/admin/articles')).text()
    expect(page).toContain('Every comment held')
    const back = await desk.post('/admin/articles/moderation', { key: 'sensitive-1', moderation: 'rules', back: '/admin/articles' })
    expect(back.headers.get('location')).toBe('/admin/articles?done=by-rules')
    expect((await statusOf(await post('sensitive-1', { email: 'again@calm.example' })))?.status).toBe('approved')
    const log = (await (await mod.get('/api/v1/moderation/log?limit=50')).json()).entries as { action: string; from: string; to: string }[]
    expect(log.find((e) => e.action === 'article.hold')).toMatchObject({ from: 'rules', to: 'hold' })
    expect(log.find((e) => e.action === 'article.rules')).toMatchObject({ from: 'hold', to: 'rules' })
  })
})
