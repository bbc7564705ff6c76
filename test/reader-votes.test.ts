import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { commentVotes } from '../src/db/desk-schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { VOTES_PER_MINUTE } from '../src/comments/comment-votes.js'
import { VOTES_FRESH_MS } from '../src/comments/read-thread.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'

// The read cache on, as on Node: votes must reach kept pages without emptying them at every click.
const t = await setupTestApp({ readCache: true })
const SECRET = 'the-news-sites-shared-secret-for-votes-0123456789'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
beforeEach(() => t.setSettings(openSettings))

const browser = (n: number) => `browser-id-number-${String(n).padStart(6, '0')}`
const vote = (id: number, body: Record<string, unknown>, ip = '198.51.100.20', headers: Record<string, string> = {}) =>
  t.postJson(`/api/v1/comments/${id}/vote`, body, headers, ip)

interface Node {
  id: number
  votes: number
  replies: Node[]
}
interface Page {
  article: { votes: boolean }
  comments: Node[]
  nextCursor: string | null
}
const thread = async (key: string, query = ''): Promise<Page> =>
  (await t.request(`/api/v1/articles/${key}/comments${query}`)).json() as Promise<Page>

describe('reader votes', () => {
  it('counts one upvote per reader, takes it back, and never says who voted', async () => {
    const c = await postComment(t, 'v-1')
    const up = await vote(c.comment.id, { voter: browser(1) })
    expect(up.status).toBe(200)
    expect(up.headers.get('cache-control')).toBe('no-store')
    expect(await up.json()).toEqual({ votes: 1, voted: true })
    // The same reader again: nothing changes.
    expect(await (await vote(c.comment.id, { voter: browser(1) })).json()).toEqual({ votes: 1, voted: true })
    // The same browser id on another network is another reader (IP /64 + id), as is another id here.
    expect(await (await vote(c.comment.id, { voter: browser(1) }, '192.0.2.50')).json()).toEqual({ votes: 2, voted: true })
    expect(await (await vote(c.comment.id, { voter: browser(2) })).json()).toEqual({ votes: 3, voted: true })
    // An IPv6 reader moving inside their /64 is the same reader.
    await vote(c.comment.id, { voter: browser(3) }, '2001:db8:1:2::10')
    expect(await (await vote(c.comment.id, { voter: browser(3) }, '2001:db8:1:2::99')).json()).toEqual({ votes: 4, voted: true })
    // Taken back.
    expect(await (await vote(c.comment.id, { voter: browser(2), up: false })).json()).toEqual({ votes: 3, voted: false })
    expect(await (await vote(c.comment.id, { voter: browser(2), up: false })).json()).toEqual({ votes: 3, voted: false })

    t.advance(VOTES_FRESH_MS / 1000)
    const page = await thread('v-1')
    expect(page.article.votes).toBe(true)
    expect(page.comments[0]?.votes).toBe(3)
    // Stored: keyed hashes only, no address and no browser id.
    const rows = await t.deps.db.select().from(commentVotes).where(eq(commentVotes.commentId, c.comment.id))
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      expect(row.voter).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(row)).not.toMatch(/198\.51|192\.0|2001:db8|browser-id/)
    }
    // The thread shows counts, never voters.
    expect(JSON.stringify(page)).not.toMatch(/voter|browser-id/)
  })

  it("counts a signed-in reader's vote by account, wherever they read, and falls back to Parley's cookie", async () => {
    const c = await postComment(t, 'v-2')
    const token = await new SignJWT({ name: 'Account Holder' })
      .setSubject('acct-77')
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
      .sign(new TextEncoder().encode(SECRET))
    expect(await (await vote(c.comment.id, { identityToken: token })).json()).toEqual({ votes: 1, voted: true })
    expect(await (await vote(c.comment.id, { identityToken: token }, '192.0.2.1')).json()).toEqual({ votes: 1, voted: true })
    expect((await vote(c.comment.id, { identityToken: 'not-a-token' })).status).toBe(401)

    // No browser id: Parley's own cookie, set on the answer, is the id.
    const first = await vote(c.comment.id, {})
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^parley_voter=[A-Za-z0-9_-]{43}; Max-Age=31536000; Path=\/api\/v1\/comments; HttpOnly; SameSite=Lax/)
    expect(await first.json()).toEqual({ votes: 2, voted: true })
    const again = await vote(c.comment.id, {}, undefined, { Cookie: cookie.split(';')[0] ?? '' })
    expect(again.headers.get('set-cookie')).toBeNull()
    expect(await again.json()).toEqual({ votes: 2, voted: true })
  })

  it('refuses votes on what is not published, from pages of other sites, too fast, or while votes are off', async () => {
    await t.setSettings({ ...openSettings, allowedOrigins: ['https://news.example'] })
    const c = await postComment(t, 'v-3')
    expect((await vote(999_999, { voter: browser(1) })).status).toBe(404)
    expect((await vote(c.comment.id, { voter: 'short' })).status).toBe(422)
    expect((await vote(c.comment.id, { voter: browser(1) }, undefined, { Origin: 'https://evil.example' })).status).toBe(403)
    expect((await vote(c.comment.id, { voter: browser(1) }, undefined, { Origin: 'https://news.example' })).status).toBe(200)

    const mod = await signIn(t)
    await mod.send('PATCH', `/api/v1/moderation/comments/${c.comment.id}`, { status: 'pending' })
    expect((await vote(c.comment.id, { voter: browser(2) })).status).toBe(404)
    await mod.send('PATCH', `/api/v1/moderation/comments/${c.comment.id}`, { status: 'approved' })

    // One network: at most VOTES_PER_MINUTE votes a minute, whatever the browser ids.
    const others = []
    for (let i = 0; i < VOTES_PER_MINUTE; i++) others.push(await postComment(t, 'v-3b'))
    let refused: Response | undefined
    for (const [i, other] of others.entries()) {
      const res = await vote(other.comment.id, { voter: browser(100 + i) }, '203.0.113.99')
      if (res.status !== 200) refused = res
    }
    const over = await vote(c.comment.id, { voter: browser(999) }, '203.0.113.99')
    expect(refused).toBeUndefined()
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('60')
    expect((await over.json()).code).toBe('too_fast')
    t.advance(61)
    expect((await vote(c.comment.id, { voter: browser(999) }, '203.0.113.99')).status).toBe(200)

    await t.setSettings({ ...openSettings, votes: false })
    const off = await vote(c.comment.id, { voter: browser(5) })
    expect(off.status).toBe(403)
    expect((await off.json()).code).toBe('votes_off')
    expect((await thread('v-3')).article.votes).toBe(false)
    const fragment = await (await t.request('/api/v1/articles/v-3/comments.html')).text()
    expect(fragment).not.toContain('parley-votes')
  })

  it('reads order=top by votes, oldest first among equals, page by page without repeats or gaps', async () => {
    const ids: number[] = []
    for (let i = 0; i < 7; i++) {
      ids.push((await postComment(t, 'v-4', { body: `Top-level ${i}` })).comment.id)
      t.advance(1)
    }
    await postComment(t, 'v-4', { body: 'A reply does not rank', parentId: ids[0] })
    const wanted: Record<number, number> = { 1: 3, 3: 5, 4: 3, 6: 1 }
    for (const [index, count] of Object.entries(wanted)) {
      for (let v = 0; v < count; v++) await vote(ids[Number(index)] ?? 0, { voter: browser(v) }, `198.51.100.${v + 1}`)
    }
    t.advance(VOTES_FRESH_MS / 1000)
    const seen: Node[] = []
    let cursor: string | null = null
    do {
      const page: Page = await thread('v-4', `?order=top&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.comments)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.map((c) => c.id)).toEqual([ids[3], ids[1], ids[4], ids[6], ids[0], ids[2], ids[5]])
    expect(seen.map((c) => c.votes)).toEqual([5, 3, 3, 1, 0, 0, 0])
    // Replies come with their thread.
    expect(seen[4]?.replies).toHaveLength(1)
  })

  it('keeps cached pages through votes, shows the counts within VOTES_FRESH_MS, and answers 304 while they hold', async () => {
    const c = await postComment(t, 'v-5')
    const first = await t.request('/api/v1/articles/v-5/comments')
    const etag = first.headers.get('etag') ?? ''
    expect((await t.request('/api/v1/articles/v-5/comments', { headers: { 'If-None-Match': etag } })).status).toBe(304)
    const kept = t.deps.readCache?.size.entries ?? 0
    expect(kept).toBeGreaterThan(0)
    await vote(c.comment.id, { voter: browser(1) })
    await t.deps.readCache?.sync()
    // A vote empties nothing: the kept page is still served (its count behind for a few seconds).
    expect(t.deps.readCache?.size.entries).toBe(kept)
    expect((await thread('v-5')).comments[0]?.votes).toBe(0)
    t.advance(VOTES_FRESH_MS / 1000)
    const fresh = await t.request('/api/v1/articles/v-5/comments')
    expect(((await fresh.json()) as Page).comments[0]?.votes).toBe(1)
    const newTag = fresh.headers.get('etag') ?? ''
    expect(newTag).not.toBe(etag)
    expect((await t.request('/api/v1/articles/v-5/comments', { headers: { 'If-None-Match': etag } })).status).toBe(200)
    expect((await t.request('/api/v1/articles/v-5/comments', { headers: { 'If-None-Match': newTag } })).status).toBe(304)
    // The fragment shows the count (schema.org's upvoteCount) for search engines and readers without JavaScript.
    const fragment = await (await t.request('/api/v1/articles/v-5/comments.html')).text()
    expect(fragment).toContain('<div class="parley-votes" data-parley-votes="1">')
    expect(fragment).toContain('<span itemprop="upvoteCount">1</span>')
  })
})
