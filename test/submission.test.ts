import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments, articles } from '../src/db/schema.js'
import { ORIGIN, setupTestApp, testTime } from './support/test-app.js'
import { signIn } from './support/moderators.js'

const t = await setupTestApp()

const ann = { name: 'Ann', email: 'ann@example.com' }
const post = (key: string, body: unknown, headers?: Record<string, string>, ip?: string) =>
  t.postJson(`/api/v1/articles/${key}/comments`, body, headers, ip)

async function storedStatus(id: number) {
  const [row] = await t.deps.db.select({ status: comments.status, checks: comments.checks }).from(comments).where(eq(comments.id, id))
  return row
}

describe('submission', () => {
  it("holds a first-time commenter's comment for moderation and returns its token", async () => {
    const res = await post('a1', { ...ann, body: 'Hello there' })
    expect(res.status).toBe(201)
    const json = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/comments/${json.comment.id}`)
    expect(json.comment).toMatchObject({
      parentId: null,
      depth: 0,
      status: 'pending',
      html: '<p>Hello there</p>',
      removed: false,
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

  it("approves a previously approved commenter only from their network or with their device's proof; a stranger using their name and email is held", async () => {
    await t.setSettings({ floodSeconds: 0 })
    const approve = (id: number) => t.deps.db.update(comments).set({ status: 'approved' }).where(eq(comments.id, id))
    const statusOf = async (res: Response) => (await res.json()).comment.status
    const first = await (await post('a1', { ...ann, body: 'First' })).json()
    await approve(first.comment.id)
    // Their own network: their IPv4 /24, as WordPress would.
    expect(await statusOf(await post('a1', { ...ann, body: 'From home' }, {}, '203.0.113.99'))).toBe('approved')
    // A stranger who knows (or guesses) the name and email, from elsewhere: held, with the reason for moderators.
    const stranger = await (await post('a1', { ...ann, body: 'Not Ann' }, {}, '192.0.2.66')).json()
    expect(stranger.comment.status).toBe('pending')
    expect((await storedStatus(stranger.comment.id))?.checks.find((c) => c.filter === 'previously-approved')).toEqual({
      filter: 'previously-approved',
      verdict: 'hold',
      reason: 'the name and email of an approved commenter, from a network and device not seen for them',
    })
    // An IPv6 reader's network is its /64.
    const six = await (await post('a1', { ...ann, body: 'Over six' }, {}, '2001:db8:9:9::1')).json()
    expect(six.comment.status).toBe('pending')
    await approve(six.comment.id)
    expect(await statusOf(await post('a1', { ...ann, body: 'Same six' }, {}, '2001:db8:9:9:ffff::2'))).toBe('approved')
    expect(await statusOf(await post('a1', { ...ann, body: 'Other six' }, {}, '2001:db8:9:a::1'))).toBe('pending')
    // On a network never seen for Ann (a phone), the widget's proof of her approved comment recognizes her;
    // a proof of a held comment, a wrong token or someone else's approved comment does not.
    const proof = { commentId: first.comment.id, token: first.token }
    const phone = await post('a1', { ...ann, body: 'From the phone', proof }, {}, '198.51.100.50')
    expect(await statusOf(phone)).toBe('approved')
    const bob = await (await post('a1', { name: 'Bob', email: 'bob@example.com', body: 'Bob' }, {}, '198.51.100.51')).json()
    await approve(bob.comment.id)
    for (const [what, wrong] of [
      ['a held comment', { commentId: stranger.comment.id, token: stranger.token }],
      ['a wrong token', { commentId: first.comment.id, token: `${first.token}x` }],
      ['another commenter', { commentId: bob.comment.id, token: bob.token }],
      ['no comment', { commentId: 2_147_483_647, token: first.token }],
    ] as const) {
      expect(await statusOf(await post('a1', { ...ann, body: `With ${what}`, proof: wrong }, {}, '192.0.2.70')), what).toBe('pending')
    }
    // Once IPs are forgotten (ipRetentionDays), only the proof recognizes her.
    await t.deps.db.update(comments).set({ ip: null })
    expect(await statusOf(await post('a1', { ...ann, body: 'Home, later' }, {}, '203.0.113.99'))).toBe('pending')
    expect(await statusOf(await post('a1', { ...ann, body: 'Home, with proof', proof }, {}, '203.0.113.99'))).toBe('approved')
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

  it("keeps a website as an RFC 3986 URI, as the document's `format: uri` says: what the URL parser leaves is escaped", async () => {
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

  it("refuses missing fields with WordPress's messages", async () => {
    const res = await post('a1', { body: '   ' })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = await res.json()
    expect(problem).toMatchObject({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      code: 'validation_failed',
      detail: 'Please fill the required fields.',
    })
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

  it("checks emails as WordPress's is_email() does", async () => {
    for (const email of ['a@b', 'no-at-sign.example', 'x@-bad.example', 'a b@example.com', 'a@exa..mple.com']) {
      const res = await post('a1', { name: 'Ann', email, body: `Body for ${email}` })
      expect(res.status, email).toBe(422)
      expect((await res.json()).errors).toContainEqual({
        field: 'email',
        code: 'invalid_email',
        message: 'Please enter a valid email address.',
      })
    }
    expect((await post('a1', { name: 'Ann', email: "o'neil+tag@sub.example.co.uk", body: 'ok' })).status).toBe(201)
  })

  it("applies WordPress's limits in bytes, not characters", async () => {
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
    const res = await post('names', {
      name: '\u202EnimdA\u202C Ann\u200B\u2066ie\u2069\uFEFF 👩\u200D💻 می\u200Cخواهم',
      email: 'ann@example.com',
      body: 'Hi',
    })
    expect(res.status).toBe(201)
    expect((await res.json()).comment.author.name).toBe('nimdA Annie 👩\u200D💻 می\u200Cخواهم')
  })

  it('takes every other invisible character out of a name, keeping those emoji, Indic scripts and CJK names show', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const invisible = [
      ['soft hyphen', 'An\u00ADn'],
      ['combining grapheme joiner', 'A\u034Fnn'],
      ['Hangul filler', '\u3164Ann'],
      ['Hangul choseong filler', 'Ann\u115F'],
      ['Hangul jungseong filler', 'A\u1160nn'],
      ['halfwidth Hangul filler', 'Ann\uFFA0'],
      ['tags', 'Ann\u{E0001}\u{E0041}\u{E007F}'],
      ['joiner between letters', 'A\u200Dnn'],
      ['joiner after an emoji', '\u{1F600}\u200DAnn'],
      ['invisible operators', 'A\u2061\u2062\u2063\u2064nn'],
      ['variation selectors after letters', 'A\uFE0Fn\u{E0100}n'],
      ['Khmer inherent vowel', '\u17B4Ann'],
    ]
    for (const [what, name] of invisible) {
      const res = await post('names', { name, email: 'ann@example.com', body: `Hi, ${what}` })
      expect(res.status, what).toBe(201)
      const shown = (await res.json()).comment.author.name
      expect(shown.replace('\u{1F600}', ''), what).toBe('Ann')
    }
    const lines = await post('names', { name: 'Ann\u2028Lee\u2029Jr', email: 'ann@example.com', body: 'Hi, separators' })
    expect((await lines.json()).comment.author.name).toBe('Ann Lee Jr')
    const shown =
      '👩🏽\u200D💻 🏳\uFE0F\u200D🌈 ❤\uFE0F 1\uFE0F\u20E3 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} ශ්\u200Dරී 葛\u{E0100}飾'
    const kept = await post('names', { name: shown, email: 'ann@example.com', body: 'Hi, shown' })
    expect((await kept.json()).comment.author.name).toBe(shown)
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
    expect(stored?.checks.find((c) => c.filter === 'moderation-keys')).toEqual({
      filter: 'moderation-keys',
      verdict: 'hold',
      reason: 'contains the moderation key "203.0.113."',
    })
  })

  it('holds a comment with maxLinks links, and everything when moderation is "all"', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    expect((await (await post('a1', { ...ann, body: 'one http://a.example' })).json()).comment.status).toBe('approved')
    expect(
      (await (await post('a1', { ...ann, body: 'http://a.example and <a href="https://b.example">b</a>' })).json()).comment.status,
    ).toBe('pending')
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
    expect(await dup.json()).toMatchObject({
      code: 'duplicate_comment',
      detail: 'Duplicate comment detected; it looks as though you\u2019ve already said that!',
    })
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
    expect(await storedStatus(a.comment.id)).toMatchObject({
      status: 'spam',
      checks: expect.arrayContaining([expect.objectContaining({ filter: 'duplicate', verdict: 'spam' })]),
    })
    expect((await storedStatus(b.comment.id))?.status).not.toBe('spam')
  })

  it('slows down a fast poster per IP and per email, with Retry-After', async () => {
    expect((await post('a1', { ...ann, body: 'One' })).status).toBe(201)
    t.advance(5)
    const fromIp = await post('a1', { name: 'Bob', email: 'bob@example.com', body: 'Two' })
    expect(fromIp.status).toBe(429)
    expect(fromIp.headers.get('retry-after')).toBe('10')
    expect(await fromIp.json()).toMatchObject({ code: 'too_fast', detail: 'You are posting comments too quickly. Slow down.' })
    // The same email from the same IPv6 /64 is the same poster: too fast.
    expect((await post('a2', { ...ann, body: 'Six one' }, {}, '2001:db8:5:5::1')).status).toBe(201)
    t.advance(5)
    const sameNetwork = await post('a2', { ...ann, body: 'Six two' }, {}, '2001:db8:5:5::2')
    expect(sameNetwork.status).toBe(429)
    expect(sameNetwork.headers.get('retry-after')).toBe('10')
    t.advance(10)
    expect((await post('a1', { ...ann, body: 'Four' })).status).toBe(201)
  })

  it('holds, rather than refuses, the same email from another network within the flood window', async () => {
    await t.setSettings({ previouslyApproved: false })
    const victim = { name: 'Vera', email: 'vera@example.com' }
    const mine = await post('a1', { ...victim, body: 'Mine' }, {}, '198.51.100.20')
    expect((await mine.json()).comment.status).toBe('approved')
    // A stranger posting under that email at once learns nothing from the answer: it is a held
    // comment's, the same as for an address that did not just comment.
    t.advance(2)
    const stranger = await post('a1', { name: 'Vera', email: 'vera@example.com', body: 'Not hers' }, {}, '192.0.2.66')
    // Any other held comment, for comparison.
    await t.setSettings({ moderationKeys: ['held for a key'] })
    const other = await post('a2', { name: 'Ned', email: 'ned@example.com', body: 'Held for a key' }, {}, '192.0.2.68')
    for (const res of [stranger, other]) {
      expect(res.status).toBe(201)
      expect(res.headers.get('retry-after')).toBeNull()
    }
    const [s, o] = [await stranger.json(), await other.json()]
    expect(s.comment.status).toBe('pending')
    expect(Object.keys(s).sort()).toEqual(Object.keys(o).sort())
    expect(Object.keys(s.comment).sort()).toEqual(Object.keys(o.comment).sort())
    expect(await storedStatus(s.comment.id)).toEqual({
      status: 'pending',
      checks: expect.arrayContaining([
        { filter: 'flood', verdict: 'hold', reason: 'the same email posted less than 15 s before, from another network' },
      ]),
    })
    // The stranger's own network is slowed down as any poster's is.
    const again = await post('a1', { name: 'Xi', email: 'xi@example.com', body: 'Again' }, {}, '192.0.2.66')
    expect(again.status).toBe(429)
    // The owner is not kept from commenting: from a third network their comment is held too, and
    // from their own, once their own wait is over, it goes through as before.
    const elsewhere = await post('a1', { ...victim, body: 'From my phone' }, {}, '203.0.113.99')
    expect((await elsewhere.json()).comment.status).toBe('pending')
    t.advance(13)
    const back = await post('a1', { ...victim, body: 'Mine again' }, {}, '198.51.100.20')
    expect(back.status).toBe(201)
    expect((await back.json()).comment.status).toBe('approved')
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
    // loopback at the port Parley listens on); otherwise the article registers without the URL.
    const urlOf = async (key: string) => (await t.deps.db.select({ url: articles.url }).from(articles).where(eq(articles.key, key)))[0]?.url
    expect(
      (await post('own-1', { name: 'Cy', email: 'cy@example.com', body: 'y', article: { url: `${ORIGIN}/demo` } }, {}, '198.51.100.1'))
        .status,
    ).toBe(201)
    expect(await urlOf('own-1')).toBeNull()
    // A Host the sender chose (or an absolute-form request line) is not Parley's origin either.
    const spoofed = await t.request(
      '/api/v1/articles/phish/comments',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Host: 'evil.example', Origin: 'http://evil.example' },
        body: JSON.stringify({ name: 'Ed', email: 'ed@example.com', body: 'y', article: { url: 'http://evil.example/login' } }),
      },
      '198.51.100.5',
    )
    expect(spoofed.status).toBe(201)
    expect(await urlOf('phish')).toBeNull()
    t.deps.config.publicUrl = ORIGIN
    try {
      expect(
        (await post('own-2', { name: 'Fi', email: 'fi@example.com', body: 'y', article: { url: `${ORIGIN}/demo` } }, {}, '198.51.100.3'))
          .status,
      ).toBe(201)
      expect(await urlOf('own-2')).toBe(`${ORIGIN}/demo`)
    } finally {
      t.deps.config.publicUrl = null
    }
    // On loopback, only the port Parley listens on is Parley: any other is another program's.
    const onLoopback = (port: number, key: string, remoteAddr: string) =>
      t.app.request(
        `http://localhost:${port}/api/v1/articles/${key}/comments`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            name: 'Di',
            email: `${key}@example.com`,
            body: `y ${key}`,
            article: { url: `http://localhost:${port}/demo` },
          }),
        },
        { deps: t.deps, remoteAddr },
      )
    t.deps.config.listenPort = 8787
    try {
      expect((await onLoopback(8787, 'demo-1', '127.0.0.1')).status).toBe(201)
      expect(await urlOf('demo-1')).toBe('http://localhost:8787/demo')
      for (const [port, key, ip] of [
        [9999, 'demo-2', '127.0.0.2'],
        [80, 'demo-3', '127.0.0.3'],
      ] as const) {
        expect((await onLoopback(port, key, ip)).status, key).toBe(201)
        expect(await urlOf(key), key).toBeNull()
      }
    } finally {
      delete t.deps.config.listenPort
    }
    // A process whose port is not known (a Worker) takes no loopback origin for its own.
    expect((await onLoopback(8787, 'demo-4', '127.0.0.4')).status).toBe(201)
    expect(await urlOf('demo-4')).toBeNull()

    await t.setSettings({ registerArticles: false })
    const refused = await post('new-2', { ...ann, body: 'z' }, {}, '198.51.100.2')
    expect(refused.status).toBe(404)
    expect((await refused.json()).code).toBe('article_not_found')
  })

  it("takes an article's URL and title from a later submission a browser on its origin vouches for, never from one it does not", async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0, allowedOrigins: ['https://news.example', 'https://other.example'] })
    let serial = 0
    const comment = (key: string, article: { url?: string; title?: string }, headers: Record<string, string> = {}) =>
      post(key, { name: 'Ann', email: `ann${++serial}@example.com`, body: `Comment ${serial}`, article }, headers, `198.51.100.${serial}`)
    const detailsOf = async (key: string) => (await (await t.request(`/api/v1/articles/${key}/comments`)).json()).article
    const browser = { Origin: 'https://news.example', Referer: 'https://news.example/' }
    // The first commenter is a script: no browser vouches for what it says.
    expect((await comment('story', { url: 'https://news.example/buy-pills', title: 'Buy pills' })).status).toBe(201)
    // Nor for these: no Origin, another origin than the URL's, a Referer from elsewhere.
    const unvouched: Record<string, string>[] = [
      {},
      { Origin: 'https://news.example', Referer: 'https://evil.example/' },
      { Origin: 'https://other.example' },
    ]
    for (const headers of unvouched) {
      expect((await comment('story', { url: 'https://news.example/2026/story', title: 'Not vouched for' }, headers)).status).toBe(201)
    }
    expect(await detailsOf('story')).toMatchObject({ url: 'https://news.example/buy-pills', title: 'Buy pills' })
    const before = (await t.request('/api/v1/articles/story/comments')).headers.get('etag')
    // A reader's browser on the article's page: its details replace those.
    expect((await comment('story', { url: 'https://news.example/2026/story', title: 'The real story' }, browser)).status).toBe(201)
    expect(await detailsOf('story')).toMatchObject({ url: 'https://news.example/2026/story', title: 'The real story' })
    expect((await t.request('/api/v1/articles/story/comments')).headers.get('etag')).not.toBe(before)
    // From then on they stay, whoever sends other ones.
    expect((await comment('story', { url: 'https://news.example/other', title: 'Another title' }, browser)).status).toBe(201)
    expect(await detailsOf('story')).toMatchObject({ url: 'https://news.example/2026/story', title: 'The real story' })

    // Vouched-for details only gain what they lack: the plain form gives a URL and no title.
    expect((await comment('quiet', { url: 'https://news.example/quiet' }, browser)).status).toBe(201)
    expect((await comment('quiet', { url: 'https://news.example/quiet', title: 'Not vouched for' })).status).toBe(201)
    expect(await detailsOf('quiet')).toMatchObject({ url: 'https://news.example/quiet', title: null })
    expect(
      (await comment('quiet', { url: 'https://news.example/quiet', title: 'Quiet news' }, { Origin: 'https://news.example' })).status,
    ).toBe(201)
    expect(await detailsOf('quiet')).toMatchObject({ url: 'https://news.example/quiet', title: 'Quiet news' })

    // A moderator's details are theirs.
    expect((await comment('edited', { url: 'https://news.example/x', title: 'Unvouched' })).status).toBe(201)
    const moderator = await signIn(t)
    expect((await moderator.send('PUT', '/api/v1/moderation/articles/edited', { title: 'Chosen by a moderator' })).status).toBe(200)
    expect((await comment('edited', { url: 'https://news.example/edited', title: "A reader's" }, browser)).status).toBe(201)
    expect(await detailsOf('edited')).toMatchObject({ url: 'https://news.example/x', title: 'Chosen by a moderator' })
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
    const bad = await t.request('/api/v1/articles/a1/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"body":',
    })
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
    expect(await missing.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
      detail: 'Nothing is here.',
    })
    const wrong = await t.request('/api/v1/counts?keys=a', { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    expect((await wrong.json()).code).toBe('method_not_allowed')
    // A path that differs by a trailing slash is another path: unknown, not a method refused.
    const slashed = await t.request('/api/v1/counts/?keys=a')
    expect(slashed.status).toBe(404)
  })

  it('answers another method than POST on the import path 405 with Allow: POST, whoever asks, before any JSON check', async () => {
    const put = { method: 'PUT', headers: { 'Content-Type': 'application/xml' }, body: '<x/>' }
    const admin = await signIn(t, 'admin')
    for (const headers of [put.headers, { ...put.headers, Authorization: `Bearer ${admin.token}` }]) {
      const refused = await t.request('/api/v1/admin/import', { ...put, headers })
      expect(refused.status).toBe(405)
      expect(refused.headers.get('allow')).toBe('POST')
    }
  })
})
