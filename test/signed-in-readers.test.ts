import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { comments } from '../src/db/schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings } from './support/seed.js'
import { signIn } from './support/moderators.js'

const t = await setupTestApp()
const SECRET = 'the-news-sites-shared-secret-for-parley-0123456789'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)
/** The token a news site signs for its logged-in reader, an hour long on the test's clock. */
const token = (subject: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ name: 'Signed Reader', email: 'signed@example.com', ...claims })
    .setSubject(subject)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(seconds(t.now()))
    .setExpirationTime(seconds(t.now()) + 3600)
    .sign(new TextEncoder().encode(SECRET))

let serial = 0
function post(key: string, body: Record<string, unknown>, ip?: string) {
  serial++
  return t.postJson(`/api/v1/articles/${key}/comments`, { body: `Comment ${serial}`, ...body }, {}, ip ?? `198.51.100.${serial % 250}`)
}

describe('readers signed in with the site (publisher tokens)', () => {
  it("posts as the token's account: its name and email, never typed ones; stored by the account's hash", async () => {
    await t.setSettings(openSettings)
    const res = await post('a1', { identityToken: await token('user-1'), name: 'Someone Else', email: 'typed@example.com' })
    expect(res.status).toBe(201)
    const { comment } = await res.json()
    expect(comment.author.name).toBe('Signed Reader')
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, comment.id))
    expect(row?.subjectHash).toBe(await t.deps.secrets.subjectHash('user-1'))
    expect(row?.emailHash).toBe(await t.deps.secrets.emailHash('signed@example.com'))
    expect(await t.deps.secrets.decryptEmail(row?.emailEncrypted ?? '')).toBe('signed@example.com')
    expect(JSON.stringify(row)).not.toContain('user-1')
  })

  it("marks a signed-in reader's comment verified, with their picture, in the thread and the fragment (WordPress's byuser)", async () => {
    await t.setSettings(openSettings)
    await post('v1', { identityToken: await token('user-9', { picture: 'https://cdn.news.example/u9.png' }) })
    await post('v1', { name: 'Guest', email: 'guest@example.com', url: 'https://guest.example/' })
    const thread = await (await t.request('/api/v1/articles/v1/comments')).json()
    expect(thread.comments.map((c: { author: object }) => c.author)).toEqual([
      {
        name: 'Signed Reader',
        url: null,
        avatar: expect.any(Number),
        moderator: false,
        verified: true,
        avatarUrl: 'https://cdn.news.example/u9.png',
      },
      { name: 'Guest', url: 'https://guest.example/', avatar: expect.any(Number), moderator: false, verified: false, avatarUrl: null },
    ])
    const html = await (await t.request('/api/v1/articles/v1/comments.html')).text()
    expect(html).toMatch(/<li id="comment-\d+" class="comment depth-1 byuser parley-verified"/)
    expect(html).toContain('<img alt="" src="https://cdn.news.example/u9.png" class="avatar avatar-32 photo" width="32" height="32"')
    expect(html.match(/byuser/g)).toHaveLength(1)
    // A mark a reader sees, whatever the theme styles.
    expect(html).toContain(
      '<b class="fn"><span itemprop="name">Signed Reader</span></b> <span class="parley-badge parley-signed-in">Signed in</span> <span class="says">says:</span>',
    )
    expect(html.match(/Signed in</g)).toHaveLength(1)
  })

  it('needs no name or email from a signed-in reader whose token has none, where guests must give both', async () => {
    await t.setSettings(openSettings)
    expect((await post('a2', {})).status).toBe(422)
    const res = await post('a2', { identityToken: await token('user-2', { name: undefined, email: undefined }) })
    expect(res.status).toBe(201)
    expect((await res.json()).comment.author.name).toBe('Anonymous')
  })

  it('refuses a token that does not verify with 401 identity_invalid: never a guest post in its stead', async () => {
    await t.setSettings(openSettings)
    const forged = (await token('user-3')).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
    const res = await post('a3', { identityToken: forged, name: 'Guest', email: 'guest@example.com' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'identity_invalid', detail: 'The identity token has a signature that does not verify.' })
    const old = await token('user-3')
    t.advance(7200)
    const expired = await post('a3', { identityToken: old, name: 'Guest', email: 'guest@example.com' })
    expect(expired.status).toBe(401)
    expect(await expired.json()).toMatchObject({ code: 'identity_invalid', detail: 'The identity token has expired.' })
    expect(await t.deps.db.select().from(comments)).toHaveLength(0)
  })

  it("answers login_required, in WordPress's words, where only signed-in readers may comment; an article can say otherwise", async () => {
    await t.setSettings({ ...openSettings, commentPolicy: 'signed-in', loginUrl: 'https://news.example/login' })
    const guest = await post('p1', { name: 'Guest', email: 'guest@example.com' })
    expect(guest.status).toBe(403)
    expect(await guest.json()).toMatchObject({ code: 'login_required', detail: 'Sorry, you must be logged in to comment.' })
    expect((await post('p1', { identityToken: await token('user-4') })).status).toBe(201)
    const thread = await (await t.request('/api/v1/articles/p1/comments')).json()
    expect(thread.article.commentPolicy).toBe('signed-in')
    // This article takes guests: its own policy over the site's.
    const mod = await signIn(t)
    const put = await mod.send('PUT', '/api/v1/moderation/articles/open-one', { commentPolicy: 'anyone' })
    expect(put.status).toBe(201)
    expect((await put.json()).article.commentPolicy).toBe('anyone')
    expect((await post('open-one', { name: 'Guest', email: 'guest@example.com' })).status).toBe(201)
    // And back to the site's.
    expect(
      (await (await mod.send('PUT', '/api/v1/moderation/articles/open-one', { commentPolicy: null })).json()).article.commentPolicy,
    ).toBe('signed-in')
    expect((await post('open-one', { name: 'Guest', email: 'guest2@example.com' })).status).toBe(403)
  })

  it('answers subscription_required to a signed-in reader without the entitlement, where only subscribers may comment', async () => {
    await t.setSettings(openSettings)
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/articles/premium', { commentPolicy: 'subscribers' })
    const reader = await post('premium', { identityToken: await token('user-5') })
    expect(reader.status).toBe(403)
    expect(await reader.json()).toMatchObject({
      code: 'subscription_required',
      detail: 'Sorry, only subscribers can comment on this article.',
    })
    expect((await post('premium', { identityToken: await token('user-6', { subscriber: true }) })).status).toBe(201)
    expect((await post('premium', { name: 'Guest', email: 'g@example.com' })).status).toBe(403)
  })

  it("recognizes a signed-in reader's account where first comments are held: the second comment, from any network, is published", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const first = await post('h1', { identityToken: await token('user-7') }, '203.0.113.1')
    expect((await first.json()).comment.status).toBe('pending')
    const mod = await signIn(t)
    const [row] = await t.deps.db.select({ id: comments.id }).from(comments)
    await mod.send('PATCH', `/api/v1/moderation/comments/${row?.id}`, { status: 'approved' })
    // Another network, another device, a new email in the token: the account is what the site vouches for.
    const second = await post('h1', { identityToken: await token('user-7', { email: 'new-address@example.com' }) }, '192.0.2.99')
    expect((await second.json()).comment.status).toBe('approved')
    // A guest typing the same name and email is not that account.
    const guest = await post('h1', { name: 'Signed Reader', email: 'signed@example.com' }, '192.0.2.100')
    expect((await guest.json()).comment.status).toBe('pending')
  })

  it("takes the plain form's parley_identity, as the WordPress plugin signs it for the logged-in user", async () => {
    await t.setSettings({ ...openSettings, commentPolicy: 'signed-in', allowedOrigins: ['https://blog.example'] })
    const form = async (fields: Record<string, string>) =>
      t.request('/comment-form', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://blog.example' },
        body: new URLSearchParams({
          comment: 'From WordPress',
          comment_post_ID: '9',
          redirect_to: 'https://blog.example/?p=9',
          ...fields,
        }).toString(),
      })
    const refused = await form({ author: 'Guest', email: 'guest@example.com' })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('Sorry, you must be logged in to comment.')
    const res = await form({ parley_identity: await token('wp-user-1', { name: 'WordPress Admin' }) })
    expect(res.status).toBe(303)
    const [row] = await t.deps.db.select().from(comments)
    expect(row).toMatchObject({ authorName: 'WordPress Admin', subjectHash: await t.deps.secrets.subjectHash('wp-user-1') })
  })

  it("answers a person's data request by account (subject) as by email: export, then erase", async () => {
    await t.setSettings(openSettings)
    await post('d1', { identityToken: await token('reader-77', { email: undefined, picture: 'https://cdn.news.example/77.png' }) })
    await post('d1', { name: 'Guest', email: 'guest@example.com' })
    const admin = await signIn(t, 'admin')
    const found = await (await admin.get('/api/v1/admin/privacy/export?subject=reader-77')).json()
    expect(found).toMatchObject({ email: null, subject: 'reader-77', notifications: null })
    expect(found.comments.map((c: { author: { name: string } }) => c.author.name)).toEqual(['Signed Reader'])
    expect((await admin.get('/api/v1/admin/privacy/export')).status).toBe(422)
    const erased = await admin.send('POST', '/api/v1/admin/privacy/erase', { subject: 'reader-77' })
    expect(await erased.json()).toEqual({ erased: 1, notifications: false, commenterRules: 0, moderatorNotes: 0, votes: 0 })
    const thread = await (await t.request('/api/v1/articles/d1/comments')).json()
    expect(thread.comments.map((c: { author: object }) => c.author)).toEqual([
      { name: 'Anonymous', url: null, avatar: null, moderator: false, verified: false, avatarUrl: null },
      expect.objectContaining({ name: 'Guest' }),
    ])
    expect((await (await admin.get('/api/v1/admin/privacy/export?subject=reader-77')).json()).comments).toEqual([])
  })

  it('refuses a token where the site signs no one in (no PARLEY_SSO_*)', async () => {
    await t.setSettings(openSettings)
    const identity = t.deps.identity
    t.deps.identity = undefined
    try {
      const res = await post('n1', { identityToken: await token('user-8'), name: 'X', email: 'x@example.com' })
      expect(res.status).toBe(401)
      expect((await res.json()).code).toBe('identity_invalid')
    } finally {
      t.deps.identity = identity
    }
  })

  it('names the reader a token signs in (POST /api/v1/identity) for the widget, and nothing it keeps private', async () => {
    const res = await t.postJson('/api/v1/identity', {
      identityToken: await token('user-10', { picture: 'https://cdn.news.example/10.png', subscriber: true }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const expiresAt = new Date((seconds(t.now()) + 3600) * 1000).toISOString()
    expect(await res.json()).toEqual({
      reader: { name: 'Signed Reader', avatarUrl: 'https://cdn.news.example/10.png', subscriber: true, expiresAt },
    })

    const forged = await new SignJWT({})
      .setSubject('x')
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('wrong'))
    const refused = await t.postJson('/api/v1/identity', { identityToken: forged })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toContain('parley-identity')
    expect(await refused.json()).toMatchObject({ code: 'identity_invalid' })
    expect((await t.postJson('/api/v1/identity', { identityToken: '' })).status).toBe(422)
    expect((await t.postJson('/api/v1/identity', {})).status).toBe(422)
  })

  it("gives the thread's effective policy and the site's login page, for the widget's \"You must be logged in\"", async () => {
    await t.setSettings({ ...openSettings, commentPolicy: 'signed-in', loginUrl: 'https://news.example/login' })
    const thread = await (await t.request('/api/v1/articles/no-such-article/comments')).json()
    expect(thread.article).toMatchObject({ commentPolicy: 'signed-in', loginUrl: 'https://news.example/login' })
    await t.setSettings({ ...openSettings, commentPolicy: 'anyone', loginUrl: null })
    expect((await (await t.request('/api/v1/articles/no-such-article/comments')).json()).article).toMatchObject({
      commentPolicy: 'anyone',
      loginUrl: null,
    })
  })
})
