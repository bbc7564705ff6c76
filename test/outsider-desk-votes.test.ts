import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { comments } from '../src/db/schema.js'
import { commentVotes } from '../src/db/desk-schema.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { VOTES_PER_MINUTE } from '../src/comments/comment-votes.js'
import { VOTES_FRESH_MS } from '../src/comments/read-thread.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'

// Outside tester: attacks on reader votes, order=top / order=featured paging and the thread's ETag.
const t = await setupTestApp({ readCache: true })
const SECRET = 'outsider-desk-shared-secret-for-votes-0123456789abcdef'
t.deps.identity = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
beforeEach(() => t.setSettings(openSettings))

const browser = (n: number) => `outsider-browser-${String(n).padStart(8, '0')}`
const vote = (id: number | string, body: unknown, ip = '198.51.100.20', headers: Record<string, string> = {}) =>
  t.postJson(`/api/v1/comments/${id}/vote`, body, headers, ip)

interface Node {
  id: number
  votes: number
  removed: boolean
  featured: boolean
  replies: Node[]
}
interface Page {
  article: { votes: boolean; featuredCount: number }
  comments: Node[]
  nextCursor: string | null
}
const thread = async (key: string, query = ''): Promise<Page> => {
  const res = await t.request(`/api/v1/articles/${key}/comments${query}`)
  expect(res.status).toBe(200)
  return res.json() as Promise<Page>
}

/** The comment's stored count and its stored vote rows. */
async function countAndRows(id: number): Promise<{ count: number; rows: number }> {
  const [row] = await t.deps.db.select({ votes: comments.votes }).from(comments).where(eq(comments.id, id))
  const rows = await t.deps.db.select().from(commentVotes).where(eq(commentVotes.commentId, id))
  return { count: row?.votes ?? -1, rows: rows.length }
}

/** Every top-level comment of `key` in order=top, page by page. */
async function allTopPages(key: string, limit: number): Promise<number[]> {
  const seen: number[] = []
  let cursor: string | null = null
  for (let guard = 0; guard < 50; guard++) {
    const page: Page = await thread(key, `?order=top&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    seen.push(...page.comments.map((c) => c.id))
    cursor = page.nextCursor
    if (!cursor) break
  }
  return seen
}

describe('outsider: order=top paging', () => {
  it('does not skip upvoted threads after a removed placeholder that had votes before it was trashed', async () => {
    const mod = await signIn(t)
    const a = (await postComment(t, 'od-top-1', { body: 'Popular, later trashed' })).comment.id
    t.advance(1)
    const b = (await postComment(t, 'od-top-1', { body: 'Second most popular' })).comment.id
    t.advance(1)
    const c = (await postComment(t, 'od-top-1', { body: 'No votes' })).comment.id
    t.advance(1)
    // An approved reply keeps A on the page as a placeholder once A is trashed.
    await postComment(t, 'od-top-1', { body: 'A reply that stays', parentId: a })
    for (let v = 0; v < 5; v++) expect((await vote(a, { voter: browser(v) }, `198.51.100.${v + 1}`)).status).toBe(200)
    for (let v = 0; v < 3; v++) expect((await vote(b, { voter: browser(v) }, `198.51.100.${v + 1}`)).status).toBe(200)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${a}`, { status: 'trash' })).status).toBe(200)
    t.advance(VOTES_FRESH_MS / 1000)

    // All on one page: A (placeholder), B, C are there.
    const whole = await thread('od-top-1', '?order=top&limit=10')
    expect(whole.comments.map((x) => x.id).sort()).toEqual([a, b, c].sort())
    // Page by page, one thread a page: every thread exactly once, B (3 votes) included.
    const paged = await allTopPages('od-top-1', 1)
    expect(paged.sort()).toEqual([a, b, c].sort())
  })

  it('answers 422, never 500, for tampered order=top and order=featured cursors, and 200 for odd but valid ones', async () => {
    await postComment(t, 'od-top-2')
    const bad = [
      'zzzzzzzzzzzz.1.1',
      '1.zzzzzzzz.1',
      '1.1.zzzzzzz',
      '1.1.zzzzzz',
      '-1.1.1',
      '1.1.1.1',
      '1..1',
      '1.1.',
      'A.1.1',
      '%00',
      '1.1.%00',
    ]
    for (const order of ['top', 'featured']) {
      for (const cursor of bad) {
        const res = await t.request(`/api/v1/articles/od-top-2/comments?order=${order}&cursor=${encodeURIComponent(cursor)}`)
        expect([cursor, res.status]).toEqual([cursor, 422])
        const html = await t.request(`/api/v1/articles/od-top-2/comments.html?order=${order}&cursor=${encodeURIComponent(cursor)}`)
        expect([cursor, html.status]).toEqual([cursor, 422])
      }
      // The largest values a cursor may carry, zero, and a top cursor without votes.
      for (const cursor of ['0.0', '0.0.0', '3w5e11264sgsf.1', 'zik0zj.zik0zj.zik0zj', '1.1']) {
        const res = await t.request(`/api/v1/articles/od-top-2/comments?order=${order}&cursor=${cursor}`)
        expect([cursor, res.status]).toEqual([cursor, res.status === 422 ? 422 : 200])
        expect(res.status).toBeLessThan(500)
      }
    }
    const arrays = await t.request('/api/v1/articles/od-top-2/comments?order=top&order=featured')
    expect(arrays.status).toBeLessThan(500)
    const unknown = await t.request('/api/v1/articles/od-top-2/comments?order=TOP')
    expect(unknown.status).toBe(422)
  })
})

describe('outsider: one vote per reader, 60 a minute per network', () => {
  it('ignores X-Forwarded-For and similar headers when no proxy is trusted', async () => {
    const c = (await postComment(t, 'od-v-1')).comment.id
    const statuses: number[] = []
    for (let i = 0; i < VOTES_PER_MINUTE + 5; i++) {
      const res = await vote(c, { voter: browser(i) }, '203.0.113.77', {
        'X-Forwarded-For': `10.0.${i}.1`,
        'CF-Connecting-IP': `10.1.${i}.1`,
        'X-Real-IP': `10.2.${i}.1`,
        Forwarded: `for=10.3.${i}.1`,
      })
      statuses.push(res.status)
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(VOTES_PER_MINUTE)
    expect(statuses.slice(VOTES_PER_MINUTE).every((s) => s === 429)).toBe(true)
    expect(await countAndRows(c)).toEqual({ count: VOTES_PER_MINUTE, rows: VOTES_PER_MINUTE })
  })

  it('bounds fresh cookies, omitted ids and addresses inside one IPv6 /64 by the network limit', async () => {
    const c = (await postComment(t, 'od-v-2')).comment.id
    // No id and no cookie: each answer sets a new cookie, which the script throws away.
    let accepted = 0
    for (let i = 0; i < VOTES_PER_MINUTE + 3; i++) if ((await vote(c, {}, '203.0.113.88')).status === 200) accepted++
    expect(accepted).toBe(VOTES_PER_MINUTE)

    // A /64 hands out 2^64 addresses: all one network.
    const d = (await postComment(t, 'od-v-2')).comment.id
    accepted = 0
    for (let i = 0; i < VOTES_PER_MINUTE + 3; i++) {
      const ip = `2001:db8:aa:bb:${(i + 1).toString(16)}::${(i * 7 + 1).toString(16)}`
      if ((await vote(d, { voter: browser(i) }, ip)).status === 200) accepted++
    }
    expect(accepted).toBe(VOTES_PER_MINUTE)

    // An IPv4 reader seen as an IPv4-mapped IPv6 address is the same network and the same reader.
    const e = (await postComment(t, 'od-v-2')).comment.id
    expect(await (await vote(e, { voter: browser(1) }, '192.0.2.33')).json()).toEqual({ votes: 1, voted: true })
    expect(await (await vote(e, { voter: browser(1) }, '::ffff:192.0.2.33')).json()).toEqual({ votes: 1, voted: true })
    expect(await (await vote(e, { voter: browser(1) }, '::ffff:c000:221')).json()).toEqual({ votes: 1, voted: true })
  })

  it('keeps the network limit under a burst of concurrent votes', async () => {
    const c = (await postComment(t, 'od-v-3')).comment.id
    const burst = VOTES_PER_MINUTE + 40
    const answers = await Promise.all(Array.from({ length: burst }, (_, i) => vote(c, { voter: browser(1000 + i) }, '203.0.113.99')))
    const ok = answers.filter((r) => r.status === 200).length
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true)
    const stored = await countAndRows(c)
    expect(stored.count).toBe(stored.rows)
    expect(stored.rows).toBe(ok)
    // At most VOTES_PER_MINUTE from one network in a minute, however fast they come.
    expect(ok).toBeLessThanOrEqual(VOTES_PER_MINUTE)
  })

  it('keeps the count equal to the stored votes, never negative, under concurrent ups and take-backs', async () => {
    const c = (await postComment(t, 'od-v-4')).comment.id
    const ip = (i: number) => `198.18.${10 + (i % 20)}.${1 + i}`
    // Readers who never voted take a vote back: nothing to take.
    await Promise.all(Array.from({ length: 10 }, (_, i) => vote(c, { voter: browser(i), up: false }, ip(i))))
    expect(await countAndRows(c)).toEqual({ count: 0, rows: 0 })
    // Each of 20 readers: up, up, down, up at once.
    const calls = []
    for (let i = 0; i < 20; i++) for (const up of [true, true, false, true]) calls.push(vote(c, { voter: browser(i), up }, ip(i)))
    const answers = await Promise.all(calls)
    expect(answers.every((r) => r.status === 200)).toBe(true)
    const mid = await countAndRows(c)
    expect(mid.count).toBe(mid.rows)
    expect(mid.rows).toBeLessThanOrEqual(20)
    // Every reader takes it back twice, at once.
    await Promise.all(Array.from({ length: 40 }, (_, i) => vote(c, { voter: browser(i % 20), up: false }, ip(i % 20))))
    expect(await countAndRows(c)).toEqual({ count: 0, rows: 0 })
  })

  it('refuses votes on held, spam, trashed and removed comments, and on ids that are no comment', async () => {
    const mod = await signIn(t)
    const parent = (await postComment(t, 'od-v-5')).comment.id
    await postComment(t, 'od-v-5', { parentId: parent })
    const others = [(await postComment(t, 'od-v-5')).comment.id, (await postComment(t, 'od-v-5')).comment.id]
    await mod.send('PATCH', `/api/v1/moderation/comments/${parent}`, { status: 'trash' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${others[0]}`, { status: 'spam' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${others[1]}`, { status: 'pending' })
    for (const id of [parent, ...others]) {
      const res = await vote(id, { voter: browser(1) })
      expect(res.status).toBe(404)
      expect(await countAndRows(id)).toEqual({ count: 0, rows: 0 })
    }
    // A removed placeholder shows no count.
    const page = await thread('od-v-5')
    expect(page.comments.find((x) => x.id === parent)).toMatchObject({ removed: true, votes: 0 })
    // A deleted comment's votes go with it.
    const gone = (await postComment(t, 'od-v-5')).comment.id
    await vote(gone, { voter: browser(2) })
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${gone}`)).status).toBe(204)
    expect((await vote(gone, { voter: browser(3) })).status).toBe(404)
    expect(await t.deps.db.select().from(commentVotes).where(eq(commentVotes.commentId, gone))).toEqual([])
  })

  it('answers malformed votes with 4xx, never 500', async () => {
    const c = (await postComment(t, 'od-v-6')).comment.id
    for (const id of ['0', '-1', '99999999999', '2147483648', '1e3', '0x10', '%00', '1%00', 'abc', '١٢']) {
      const res = await vote(id, { voter: browser(1) })
      expect([id, res.status]).toEqual([id, 404])
    }
    const bodies: unknown[] = [
      { up: 'true', voter: browser(1) },
      { up: 1, voter: browser(1) },
      { up: [true], voter: browser(1) },
      { up: null, voter: browser(1) },
      { voter: [browser(1)] },
      { voter: 1234567890123 },
      { voter: `${browser(1)}\u0000` },
      { voter: 'a'.repeat(65) },
      { voter: 'ä'.repeat(20) },
      { identityToken: '' },
      { identityToken: 'x'.repeat(8193) },
      { identityToken: ['a'] },
      [],
      null,
      'up',
      42,
    ]
    for (const body of bodies) {
      const res = await vote(c, body)
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([JSON.stringify(body).slice(0, 60), 422])
    }
    const notJson = await t.request(`/api/v1/comments/${c}/vote`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"up": tru',
    })
    expect(notJson.status).toBe(400)
    const form = await t.request(`/api/v1/comments/${c}/vote`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'up=true',
    })
    expect(form.status).toBe(415)
    // A token that is not one, and one signed with another key: 401, no vote.
    const forged = await new SignJWT({ name: 'Forger' })
      .setSubject('acct-1')
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
      .sign(new TextEncoder().encode('not-the-sites-secret-at-all-0123456789abcdef'))
    expect((await vote(c, { identityToken: forged })).status).toBe(401)
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'acct-1', exp: Math.floor(t.now().getTime() / 1000) + 3600 })}.`
    expect((await vote(c, { identityToken: none })).status).toBe(401)
    // A cookie that is not percent-decodable, or not an id: a fresh id, no 500.
    for (const cookie of ['parley_voter=%E0%A4%A', 'parley_voter=%', 'parley_voter="', `parley_voter=${'x'.repeat(5000)}`]) {
      const res = await vote(c, {}, '198.51.100.21', { Cookie: cookie })
      expect([cookie.slice(0, 30), res.status]).toEqual([cookie.slice(0, 30), 200])
    }
    expect(await countAndRows(c)).toEqual({ count: 4, rows: 4 })
  })

  it('keeps voters out of logs, answers and the thread, and counts a signed-in reader once with or without a browser id', async () => {
    const c = (await postComment(t, 'od-v-7')).comment.id
    const token = await new SignJWT({ name: 'Account Holder', email: 'holder@example.com' })
      .setSubject('acct-outsider-9')
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(t.now().getTime() / 1000) + 3600)
      .sign(new TextEncoder().encode(SECRET))
    expect(await (await vote(c, { identityToken: token, voter: browser(1) }, '192.0.2.61')).json()).toEqual({ votes: 1, voted: true })
    expect(await (await vote(c, { identityToken: token, voter: browser(2) }, '192.0.2.62')).json()).toEqual({ votes: 1, voted: true })
    await vote(c, { voter: browser(3) }, '2001:db8:77::5')
    t.advance(VOTES_FRESH_MS / 1000)
    const page = await (await t.request('/api/v1/articles/od-v-7/comments')).text()
    const fragment = await (await t.request('/api/v1/articles/od-v-7/comments.html')).text()
    for (const text of [page, fragment, t.logLines.join('\n')]) {
      expect(text).not.toMatch(/acct-outsider|outsider-browser|192\.0\.2\.6|2001:db8:77|holder@example/)
      expect(text).not.toContain(token)
    }
    const rows = await t.deps.db.select().from(commentVotes).where(eq(commentVotes.commentId, c))
    expect(JSON.stringify(rows)).not.toMatch(/acct-outsider|outsider-browser|192\.0\.2|2001:db8/)
  })
})

describe('outsider: kept pages and ETags while readers vote', () => {
  it('does not answer 304 or serve the kept fragment with stale counts after VOTES_FRESH_MS', async () => {
    const c = (await postComment(t, 'od-e-1')).comment.id
    const first = await t.request('/api/v1/articles/od-e-1/comments.html')
    const etag = first.headers.get('etag') ?? ''
    expect((await t.request('/api/v1/articles/od-e-1/comments.html', { headers: { 'If-None-Match': etag } })).status).toBe(304)
    await vote(c, { voter: browser(1) })
    t.advance(VOTES_FRESH_MS / 1000)
    const again = await t.request('/api/v1/articles/od-e-1/comments.html', { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('data-parley-votes="1"')
    // Gzip variants too.
    const gz = await t.request('/api/v1/articles/od-e-1/comments?order=top', { headers: { 'Accept-Encoding': 'gzip' } })
    const gzTag = gz.headers.get('etag') ?? ''
    await vote(c, { voter: browser(2) })
    t.advance(VOTES_FRESH_MS / 1000)
    const gzAgain = await t.request('/api/v1/articles/od-e-1/comments?order=top', {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gzTag },
    })
    expect(gzAgain.status).toBe(200)
  })

  it('changes the order=top ETag when votes move a thread across pages, and keeps pages of two orders apart', async () => {
    const a = (await postComment(t, 'od-e-2')).comment.id
    t.advance(1)
    const b = (await postComment(t, 'od-e-2')).comment.id
    const top1 = await t.request('/api/v1/articles/od-e-2/comments?order=top&limit=1')
    const tag = top1.headers.get('etag') ?? ''
    expect(((await top1.json()) as Page).comments[0]?.id).toBe(a)
    await vote(b, { voter: browser(1) })
    t.advance(VOTES_FRESH_MS / 1000)
    const moved = await t.request('/api/v1/articles/od-e-2/comments?order=top&limit=1', { headers: { 'If-None-Match': tag } })
    expect(moved.status).toBe(200)
    expect(((await moved.json()) as Page).comments[0]?.id).toBe(b)
    const oldest = await thread('od-e-2', '?limit=1')
    expect(oldest.comments[0]?.id).toBe(a)
  })

  it('refreshes a kept page that was read while votes were off once votes are turned on', async () => {
    await t.setSettings({ ...openSettings, votes: false })
    const c = (await postComment(t, 'od-e-3')).comment.id
    expect((await thread('od-e-3')).article.votes).toBe(false)
    await t.setSettings({ ...openSettings, votes: true })
    expect((await thread('od-e-3')).article.votes).toBe(true)
    await vote(c, { voter: browser(1) })
    t.advance(VOTES_FRESH_MS / 1000)
    expect((await thread('od-e-3')).comments[0]?.votes).toBe(1)
  })
})

describe("outsider: editor's picks as readers see them", () => {
  it('never lists a pick that is no longer approved, nor its text, in order=featured, the count or the fragment', async () => {
    const mod = await signIn(t)
    const c = (await postComment(t, 'od-f-1', { body: 'Secret words once picked' })).comment.id
    await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { featured: true })
    await postComment(t, 'od-f-1', { body: 'A reply keeps the placeholder', parentId: c })
    for (const status of ['pending', 'spam', 'trash']) {
      expect((await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { status })).status).toBe(200)
      const picks = await thread('od-f-1', '?order=featured')
      expect(picks.comments).toEqual([])
      expect(picks.article.featuredCount).toBe(0)
      const main = await (await t.request('/api/v1/articles/od-f-1/comments')).text()
      const html = await (await t.request('/api/v1/articles/od-f-1/comments.html?order=featured')).text()
      const top = await (await t.request('/api/v1/articles/od-f-1/comments?order=top')).text()
      for (const text of [main, html, top]) expect(text).not.toContain('Secret words')
      expect(JSON.parse(main).comments[0]).toMatchObject({ removed: true, featured: false })
    }
    // A held comment cannot be picked, by PATCH nor by "pending and featured" at once.
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { featured: false })).status).toBe(200)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { featured: true })).status).toBe(422)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'spam', featured: true })).status).toBe(422)
    const [row] = await t.deps.db
      .select({ status: comments.status, featuredAt: comments.featuredAt })
      .from(comments)
      .where(eq(comments.id, c))
    expect(row).toEqual({ status: 'trash', featuredAt: null })
    for (const featured of ['true', 1, null, [true]]) {
      expect((await mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { featured })).status).toBe(422)
    }
    expect((await mod.send('PATCH', '/api/v1/moderation/comments/99999999999', { featured: true })).status).toBe(404)
  })

  it('does not count a vote that lands while the comment is being trashed (count stays equal to the rows)', async () => {
    const c = (await postComment(t, 'od-f-2')).comment.id
    const mod = await signIn(t)
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => vote(c, { voter: browser(i) }, `198.51.100.${100 + i}`)),
      mod.send('PATCH', `/api/v1/moderation/comments/${c}`, { status: 'trash' }),
    ])
    const stored = await countAndRows(c)
    expect(stored.count).toBe(stored.rows)
  })
})
