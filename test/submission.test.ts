import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments, articles } from '../src/db/schema.js'
import { ORIGIN, setupTestApp, testTime } from './support/test-app.js'

const t = await setupTestApp()

const ann = { name: 'Ann', email: 'ann@example.com' }
const post = (key: string, body: unknown, headers?: Record<string, string>, ip?: string) =>
  t.postJson(`/api/v1/articles/${key}/comments`, body, headers, ip)

async function storedStatus(id: number) {
  const [row] = await t.deps.db.select({ status: comments.status, checks: comments.checks }).from(comments).where(eq(comments.id, id))
  return row
}

describe('submission', () => {
  it('holds a first-time commenter\'s comment for moderation and returns its token', async () => {
    const res = await post('a1', { ...ann, body: 'Hello there' })
    expect(res.status).toBe(201)
    const json = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/comments/${json.comment.id}`)
    expect(json.comment).toMatchObject({
      parentId: null, depth: 0, status: 'pending', html: '<p>Hello there</p>', removed: false,
      author: { name: 'Ann', url: null, moderator: false },
    })
    expect(json.comment.author.avatar).toBe(await t.deps.secrets.avatar('ann@example.com'))
    expect(json.token.length).toBeGreaterThanOrEqual(22)
    expect(json.comment.editableUntil).toBe(testTime(15 * 60))
    expect((await storedStatus(json.comment.id))?.checks.find((c) => c.filter === 'previously-approved')?.verdict).toBe('hold')
  })

  it('approves a commenter with a previously approved comment', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const first = await (await post('a1', { ...ann, body: 'First' })).json()
    await t.deps.db.update(comments).set({ status: 'approved' }).where(eq(comments.id, first.comment.id))
    const res = await post('a1', { ...ann, body: 'Second' })
    expect((await res.json()).comment.status).toBe('approved')
  })

  it('publishes at once when previously-approved is off, and counts it', async () => {
    await t.setSettings({ previouslyApproved: false })
    const res = await post('a1', { ...ann, body: 'Published', url: 'example.com/me' })
    const json = await res.json()
    expect(json.comment.status).toBe('approved')
    expect(json.comment.author.url).toBe('http://example.com/me')
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, 'a1'))
    expect(article?.commentCount).toBe(1)
  })

  it('keeps a website as an RFC 3986 URI, as the document\'s `format: uri` says: what the URL parser leaves is escaped', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const cases = [
      ['https://example.com/a|b?x=^&y=[1]', 'https://example.com/a%7Cb?x=%5E&y=%5B1%5D'],
      ['http://example.com/100%/x#top#more', 'http://example.com/100%25/x#top%23more'],
      ['https://[2001:db8::1]:8443/p%20q', 'https://[2001:db8::1]:8443/p%20q'],
    ]
    for (const [i, [url, uri]] of cases.entries()) {
      const res = await post('uri', { ...ann, email: `uri${i}@example.com`, body: `Site ${i}`, url })
      expect((await res.json()).comment.author.url, url).toBe(uri)
    }
  })

  it('refuses missing fields with WordPress\'s messages', async () => {
    const res = await post('a1', { body: '   ' })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = await res.json()
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Unprocessable Content', status: 422, code: 'validation_failed', detail: 'Please fill the required fields.' })
    expect(problem.errors).toEqual([
      { field: 'name', code: 'required', message: 'Please fill the required fields.' },
      { field: 'email', code: 'required', message: 'Please fill the required fields.' },
      { field: 'body', code: 'required', message: 'Please type your comment text.' },
    ])
    expect(await t.deps.db.select().from(articles)).toEqual([])
  })

  it('accepts a missing name and email when the site does not require them', async () => {
    await t.setSettings({ requireNameEmail: false, previouslyApproved: false })
    const json = await (await post('a1', { body: 'Anonymous words' })).json()
    expect(json.comment).toMatchObject({ status: 'approved', author: { name: 'Anonymous', avatar: null } })
  })

  it('checks emails as WordPress\'s is_email() does', async () => {
    for (const email of ['a@b', 'no-at-sign.example', 'x@-bad.example', 'a b@example.com', 'a@exa..mple.com']) {
      const res = await post('a1', { name: 'Ann', email, body: `Body for ${email}` })
      expect(res.status, email).toBe(422)
      expect((await res.json()).errors).toContainEqual({ field: 'email', code: 'invalid_email', message: 'Please enter a valid email address.' })
    }
    expect((await post('a1', { name: 'Ann', email: "o'neil+tag@sub.example.co.uk", body: 'ok' })).status).toBe(201)
  })

  it('applies WordPress\'s limits in bytes, not characters', async () => {
    const cases = [
      { field: 'name', value: { name: 'é'.repeat(123) }, message: 'Your name is too long.' },
      { field: 'email', value: { email: `${'a'.repeat(90)}@example.com` }, message: 'Your email address is too long.' },
      { field: 'url', value: { url: `http://example.com/${'a'.repeat(182)}` }, message: 'Your URL is too long.' },
      { field: 'body', value: { body: '€'.repeat(21842) }, message: 'Your comment is too long.' },
    ]
    for (const c of cases) {
      const res = await post('a1', { ...ann, body: 'x', ...c.value })
      expect(res.status, c.field).toBe(422)
      expect((await res.json()).errors).toEqual([{ field: c.field, code: 'too_long', message: c.message }])
    }
    expect((await post('a1', { ...ann, name: 'é'.repeat(122), body: '€'.repeat(21841) })).status).toBe(201)
  })

  it('takes invisible direction and zero-width characters out of a name, keeping the joiners emoji and scripts need', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const res = await post('names', { name: '\u202EnimdA\u202C Ann\u200B\u2066ie\u2069\uFEFF 👩\u200D💻 می\u200Cخواهم', email: 'ann@example.com', body: 'Hi' })
    expect(res.status).toBe(201)
    expect((await res.json()).comment.author.name).toBe('nimdA Annie 👩\u200D💻 می\u200Cخواهم')
  })

  it('refuses a website that is not http or https', async () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.com']) {
      const res = await post('a1', { ...ann, body: 'x', url })
      expect((await res.json()).errors?.[0]?.code, url).toBe('invalid_url')
    }
  })

  it('answers a filled honeypot exactly like a held comment and stores it as spam', async () => {
    const res = await post('a1', { ...ann, body: 'Buy now', hp: 'filled' })
    expect(res.status).toBe(201)
    const json = await res.json()
    expect(json.comment.status).toBe('pending')
    expect((await storedStatus(json.comment.id))?.status).toBe('spam')
  })

  it('marks disallowed keys as spam and holds moderation keys, matching any field case-insensitively', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0, disallowedKeys: ['casino'], moderationKeys: ['203.0.113.'] })
    const spam = await (await post('a1', { ...ann, body: 'Visit my CASINO' })).json()
    expect((await storedStatus(spam.comment.id))?.status).toBe('spam')
    const held = await (await post('a1', { ...ann, body: 'An honest remark' })).json()
    const stored = await storedStatus(held.comment.id)
    expect(stored?.status).toBe('pending')
    expect(stored?.checks.find((c) => c.filter === 'moderation-keys')).toEqual({ filter: 'moderation-keys', verdict: 'hold', reason: 'contains the moderation key "203.0.113."' })
  })

  it('holds a comment with maxLinks links, and everything when moderation is "all"', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    expect((await (await post('a1', { ...ann, body: 'one http://a.example' })).json()).comment.status).toBe('approved')
    expect((await (await post('a1', { ...ann, body: 'http://a.example and <a href="https://b.example">b</a>' })).json()).comment.status).toBe('pending')
    await t.setSettings({ moderation: 'all' })
    expect((await (await post('a1', { ...ann, body: 'plain' })).json()).comment.status).toBe('pending')
  })

  it('answers a duplicate 409 to the network that posted it, after flood control', async () => {
    expect((await post('a1', { ...ann, body: 'Same words' })).status).toBe(201)
    // Within the flood window even a duplicate is only "too fast": the duplicate check comes after.
    expect((await post('a1', { ...ann, body: 'Same words' })).status).toBe(429)
    t.advance(16)
    const dup = await post('a1', { ...ann, body: 'Same words' })
    expect(dup.status).toBe(409)
    expect(await dup.json()).toMatchObject({ code: 'duplicate_comment', detail: 'Duplicate comment detected; it looks as though you\u2019ve already said that!' })
    // An IPv6 reader is one client across its /64.
    t.advance(16)
    expect((await post('a1', { ...ann, body: 'From six' }, {}, '2001:db8:1:2::10')).status).toBe(201)
    t.advance(16)
    expect((await post('a1', { ...ann, body: 'From six' }, {}, '2001:db8:1:2:ffff::99')).status).toBe(409)
  })

  it('tells no one else that a text is a duplicate: from another network it is answered as held and kept as spam', async () => {
    const victim = { name: 'Vera', email: 'vera@example.com', body: 'My words' }
    expect((await post('a1', victim, {}, '198.51.100.20')).status).toBe(201)
    // The attacker knows the text and guesses the email; one throwaway post sets their flood mark.
    const attacker = '192.0.2.66'
    expect((await post('a1', { name: 'X', email: 'x@example.com', body: 'throwaway' }, {}, attacker)).status).toBe(201)
    const right = await post('a1', { ...victim, name: 'Someone' }, {}, attacker)
    const wrong = await post('a1', { ...victim, name: 'Someone', email: 'nobody@example.com' }, {}, attacker)
    expect([right.status, wrong.status]).toEqual([429, 429])
    t.advance(16)
    const guessRight = await post('a1', { ...victim, name: 'Someone' }, {}, attacker)
    t.advance(16)
    const guessWrong = await post('a1', { ...victim, name: 'Someone else', email: 'nobody@example.com' }, {}, attacker)
    expect([guessRight.status, guessWrong.status]).toEqual([201, 201])
    const [a, b] = [await guessRight.json(), await guessWrong.json()]
    expect(a.comment.status).toBe('pending')
    expect(b.comment.status).toBe('pending')
    expect(Object.keys(a.comment).sort()).toEqual(Object.keys(b.comment).sort())
    expect((await storedStatus(a.comment.id))).toMatchObject({ status: 'spam', checks: expect.arrayContaining([expect.objectContaining({ filter: 'duplicate', verdict: 'spam' })]) })
    expect((await storedStatus(b.comment.id))?.status).not.toBe('spam')
  })

  it('slows down a fast poster per IP and per email, with Retry-After', async () => {
    expect((await post('a1', { ...ann, body: 'One' })).status).toBe(201)
    t.advance(5)
    const fromIp = await post('a1', { name: 'Bob', email: 'bob@example.com', body: 'Two' })
    expect(fromIp.status).toBe(429)
    expect(fromIp.headers.get('retry-after')).toBe('10')
    expect(await fromIp.json()).toMatchObject({ code: 'too_fast', detail: 'You are posting comments too quickly. Slow down.' })
    const fromEmail = await post('a1', { ...ann, body: 'Three' }, {}, '198.51.100.9')
    expect(fromEmail.status).toBe(429)
    t.advance(10)
    expect((await post('a1', { ...ann, body: 'Four' })).status).toBe(201)
  })

  it('lets only one of two simultaneous posts from one IP through', async () => {
    const results = await Promise.all([
      post('a1', { name: 'Ann', email: 'ann@example.com', body: 'Race one' }),
      post('a1', { name: 'Bob', email: 'bob@example.com', body: 'Race two' }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([201, 429])
  })

  it('refuses comments on a closed article, and on an old one under closeAfterDays', async () => {
    await post('a1', { ...ann, body: 'Opening' })
    await t.deps.db.update(articles).set({ open: false }).where(eq(articles.key, 'a1'))
    t.advance(60)
    const closed = await post('a1', { ...ann, body: 'Late' })
    expect(closed.status).toBe(403)
    expect(await closed.json()).toMatchObject({ code: 'comments_closed', detail: 'Sorry, comments are closed for this item.' })

    await post('a2', { ...ann, body: 'Fresh' })
    await t.setSettings({ closeAfterDays: 14 })
    t.advance(15 * 86_400)
    expect((await post('a2', { ...ann, body: 'Too old' })).status).toBe(403)
  })

  it('registers an unknown article only on an allowed origin, and not at all when registration is off', async () => {
    const foreign = await post('new-1', { ...ann, body: 'x', article: { url: 'https://evil.example/post' } })
    expect(foreign.status).toBe(422)
    expect((await foreign.json()).errors[0]).toMatchObject({ field: 'article.url', code: 'origin_not_allowed' })
    await t.setSettings({ allowedOrigins: ['https://news.example'] })
    expect((await post('new-1', { ...ann, body: 'x', article: { url: 'https://news.example/post', title: 'Post' } })).status).toBe(201)
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, 'new-1'))
    expect(article).toMatchObject({ url: 'https://news.example/post', title: 'Post', open: true })
    // Parley's own origin vouches for an article URL only where it is known (PARLEY_PUBLIC_URL, or
    // loopback); otherwise the article registers without the URL.
    const urlOf = async (key: string) => (await t.deps.db.select({ url: articles.url }).from(articles).where(eq(articles.key, key)))[0]?.url
    expect((await post('own-1', { name: 'Cy', email: 'cy@example.com', body: 'y', article: { url: `${ORIGIN}/demo` } }, {}, '198.51.100.1')).status).toBe(201)
    expect(await urlOf('own-1')).toBeNull()
    // A Host the sender chose (or an absolute-form request line) is not Parley's origin either.
    const spoofed = await t.request('/api/v1/articles/phish/comments', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Host: 'evil.example', Origin: 'http://evil.example' },
      body: JSON.stringify({ name: 'Ed', email: 'ed@example.com', body: 'y', article: { url: 'http://evil.example/login' } }),
    }, '198.51.100.5')
    expect(spoofed.status).toBe(201)
    expect(await urlOf('phish')).toBeNull()
    t.deps.config.publicUrl = ORIGIN
    try {
      expect((await post('own-2', { name: 'Fi', email: 'fi@example.com', body: 'y', article: { url: `${ORIGIN}/demo` } }, {}, '198.51.100.3')).status).toBe(201)
      expect(await urlOf('own-2')).toBe(`${ORIGIN}/demo`)
    } finally {
      t.deps.config.publicUrl = null
    }
    const onLoopback = await t.app.request('http://localhost:8787/api/v1/articles/demo-1/comments', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Di', email: 'di@example.com', body: 'y', article: { url: 'http://localhost:8787/demo' } }),
    }, { deps: t.deps, remoteAddr: '127.0.0.1' })
    expect(onLoopback.status).toBe(201)
    expect(await urlOf('demo-1')).toBe('http://localhost:8787/demo')

    await t.setSettings({ registerArticles: false })
    const refused = await post('new-2', { ...ann, body: 'z' }, {}, '198.51.100.2')
    expect(refused.status).toBe(404)
    expect((await refused.json()).code).toBe('article_not_found')
  })

  it('accepts replies only to approved comments of the same article', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const parent = (await (await post('a1', { ...ann, body: 'Parent' })).json()).comment
    await post('a2', { ...ann, body: 'Elsewhere' })
    const reply = await post('a1', { ...ann, body: 'Reply', parentId: parent.id })
    expect((await reply.json()).comment).toMatchObject({ parentId: parent.id, depth: 1 })
    for (const parentId of [999999, 99999999999, -1]) {
      const res = await post('a1', { ...ann, body: `Orphan ${parentId}`, parentId })
      expect(res.status, String(parentId)).toBe(422)
      expect((await res.json()).code).toBe('parent_not_found')
    }
    expect((await post('a2', { ...ann, body: 'Cross', parentId: parent.id })).status).toBe(422)
    await t.setSettings({ moderation: 'all' })
    const held = (await (await post('a1', { ...ann, body: 'Held parent' })).json()).comment
    expect((await post('a1', { ...ann, body: 'Reply to held', parentId: held.id })).status).toBe(422)
  })

  it('refuses a post from a page of a foreign origin', async () => {
    const res = await post('a1', { ...ann, body: 'x' }, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('forbidden')
    expect((await post('a1', { ...ann, body: 'x' }, { Origin: ORIGIN })).status).toBe(201)
  })

  it('ignores unknown fields and reports wrongly typed ones', async () => {
    expect((await post('a1', { ...ann, body: 'x', status: 'approved', id: 5 })).status).toBe(201)
    const res = await post('a1', { ...ann, body: 42 })
    expect(res.status).toBe(422)
    expect((await res.json()).errors[0]).toMatchObject({ field: 'body', code: 'invalid_type' })
  })
})

describe('malformed requests', () => {
  it('answers 400 to malformed JSON, 415 to other types, 413 over 1 MiB', async () => {
    const bad = await t.request('/api/v1/articles/a1/comments', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"body":' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).code).toBe('malformed_json')
    const text = await t.request('/api/v1/articles/a1/comments', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' })
    expect(text.status).toBe(415)
    expect((await text.json()).code).toBe('unsupported_media_type')
    const big = await t.request('/api/v1/articles/a1/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...ann, body: 'x'.repeat(1024 * 1024) }),
    })
    expect(big.status).toBe(413)
    expect((await big.json()).code).toBe('payload_too_large')
    const array = await t.postJson('/api/v1/articles/a1/comments', [1, 2])
    expect(array.status).toBe(422)
  })

  it('answers unknown routes with 404 and wrong methods with 405, as problems', async () => {
    const missing = await t.request('/api/v1/nothing')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'Nothing is here.' })
    const wrong = await t.request('/api/v1/counts?keys=a', { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    expect((await wrong.json()).code).toBe('method_not_allowed')
  })
})
