import { afterAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { sql } from 'drizzle-orm'
import { comments, floodMarks, webhookDeliveries, webhooks } from '../src/db/schema.js'
import { cleanBody, cleanLine } from '../src/comments/clean-text.js'
import { setupTestApp, ORIGIN } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { postComment } from './support/seed.js'

// An outsider with the source, against today's hot path: batched look-ups (flood control in
// waves), batched inserts as one JSON parameter, the Node body read from the socket, TrieRouter.
const t = await setupTestApp()
const server = await serveTestApp(t)
afterAll(() => server.close())

const path = (key: string) => `/api/v1/articles/${key}/comments`
let serial = 0
const fresh = (fields: Record<string, unknown> = {}) => {
  serial++
  return { name: `Burst ${serial}`, email: `burst${serial}@example.com`, body: `Burst comment ${serial}`, ...fields }
}
/** A request with no client address at all (as the embedded app gets one without remoteAddr). */
const postNoIp = (key: string, body: unknown) =>
  t.app.request(
    `${ORIGIN}${path(key)}`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    { deps: t.deps, remoteAddr: undefined },
  )

async function statuses(responses: Response[]) {
  return Promise.all(
    responses.map(async (res) => {
      const text = await res.text()
      const json = text ? (JSON.parse(text) as { comment?: { status: string }; code?: string }) : {}
      return { status: res.status, commentStatus: json.comment?.status, code: json.code }
    }),
  )
}

const count = <T>(list: T[], pred: (x: T) => boolean) => list.filter(pred).length

describe('flood control under concurrent bursts', () => {
  it('one IPv4 address, 12 concurrent posts with different emails: exactly one gets through', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'burst-v4', {}, '198.51.100.200')
    t.advance(60)
    const answers = await statuses(
      await Promise.all(Array.from({ length: 12 }, () => t.postJson(path('burst-v4'), fresh(), {}, '198.51.100.9'))),
    )
    expect(count(answers, (a) => a.status === 201)).toBe(1)
    expect(count(answers, (a) => a.status === 429)).toBe(11)
  })

  it('one IPv6 /64 with 12 different addresses (and an IPv4-mapped spelling of the v4 case): exactly one gets through', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'burst-v6', {}, '198.51.100.200')
    t.advance(60)
    const answers = await statuses(
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => t.postJson(path('burst-v6'), fresh(), {}, `2001:db8:1:2:${(i + 1).toString(16)}::${i + 7}`)),
      ),
    )
    expect(count(answers, (a) => a.status === 201)).toBe(1)
    const mapped = await statuses(
      await Promise.all([
        t.postJson(path('burst-v6'), fresh(), {}, '192.0.2.33'),
        t.postJson(path('burst-v6'), fresh(), {}, '::ffff:192.0.2.33'),
        t.postJson(path('burst-v6'), fresh(), {}, '::ffff:c000:221'),
      ]),
    )
    expect(count(mapped, (a) => a.status === 201)).toBe(1)
  })

  it('one email in different cases and spacing from many networks: one published, the rest held, none told 429', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'burst-mail', {}, '198.51.100.200')
    t.advance(60)
    const spellings = [
      'Victim@Example.com',
      'victim@example.com',
      'VICTIM@EXAMPLE.COM',
      ' victim@Example.Com ',
      'vIcTiM@eXaMpLe.CoM',
      'victim@example.COM',
    ]
    const answers = await statuses(
      await Promise.all(spellings.map((email, i) => t.postJson(path('burst-mail'), fresh({ email }), {}, `198.51.100.${10 + i}`))),
    )
    // The sequential rule: the first network posts, every other network's post is held (no 429 oracle).
    expect(answers.map((a) => a.status)).toEqual(spellings.map(() => 201))
    expect(count(answers, (a) => a.commentStatus === 'approved')).toBe(1)
    expect(count(answers, (a) => a.commentStatus === 'pending')).toBe(spellings.length - 1)
  })

  it('gmail dots and +tags are different addresses (as WordPress): documented, only the network binds them', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'burst-dots', {}, '198.51.100.200')
    t.advance(60)
    const emails = ['ann.smith@gmail.com', 'annsmith@gmail.com', 'annsmith+x@gmail.com']
    const sameNetwork = await statuses(
      await Promise.all(emails.map((email) => t.postJson(path('burst-dots'), fresh({ email }), {}, '198.51.100.50'))),
    )
    expect(count(sameNetwork, (a) => a.status === 201)).toBe(1)
  })

  it('requests with no client IP but one email: one gets through', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'burst-noip', {}, '198.51.100.200')
    t.advance(60)
    const answers = await statuses(
      await Promise.all(Array.from({ length: 8 }, () => postNoIp('burst-noip', fresh({ email: 'same@example.com' })))),
    )
    expect(count(answers, (a) => a.status === 201)).toBe(1)
  })

  it('requests with no client IP and no email (name and email not required): flood control still applies', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30, requireNameEmail: false })
    await postComment(t, 'burst-anon', {}, '198.51.100.200')
    t.advance(60)
    const answers = await statuses(
      await Promise.all(Array.from({ length: 8 }, (_, i) => postNoIp('burst-anon', { body: `Anonymous without an address ${i}` }))),
    )
    // WordPress compares comment_author_IP = '' then: a client without an address shares one.
    expect(count(answers, (a) => a.status === 201)).toBeLessThanOrEqual(1)
  })

  it('a burst mixing replies, missing parents, unknown articles and a closed article from one IP: refusals claim nothing, one post lands', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    const parent = await postComment(t, 'burst-mix', {}, '198.51.100.200')
    await postComment(t, 'burst-closed', {}, '198.51.100.201')
    await t.setSettings({ registerArticles: false })
    await t.deps.db.execute(sql`update articles set open = false where key = 'burst-closed'`)
    t.advance(60)
    const ip = '198.51.100.77'
    const refused = [
      t.postJson(path('burst-closed'), fresh(), {}, ip),
      t.postJson(path('no-such-article'), fresh(), {}, ip),
      t.postJson(path('burst-mix'), fresh({ parentId: 999_999 }), {}, ip),
      t.postJson(path('burst-closed'), fresh(), {}, ip),
      t.postJson(path('no-such-article-2'), fresh(), {}, ip),
    ]
    const refusals = await statuses(await Promise.all(refused))
    expect(refusals.map((a) => a.status)).toEqual([403, 404, 422, 403, 404])
    // Nothing was posted: the next burst (replies and top-level, mixed with refusals again) gets one through.
    const mixed = await statuses(
      await Promise.all([
        t.postJson(path('burst-closed'), fresh(), {}, ip),
        t.postJson(path('burst-mix'), fresh({ parentId: parent.comment.id }), {}, ip),
        t.postJson(path('no-such-article'), fresh(), {}, ip),
        t.postJson(path('burst-mix'), fresh(), {}, ip),
        t.postJson(path('burst-mix'), fresh({ parentId: parent.comment.id }), {}, ip),
      ]),
    )
    expect(count(mixed, (a) => a.status === 201)).toBe(1)
    expect(count(mixed, (a) => a.status === 429)).toBe(2)
    await t.setSettings({ registerArticles: true })
  })

  it('a comment refused as closed by age does not cost a concurrent post from the same network a 429', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30, closeAfterDays: 1 })
    await postComment(t, 'burst-old', {}, '198.51.100.200')
    t.advance(3 * 86400)
    await postComment(t, 'burst-new', {}, '198.51.100.201')
    t.advance(60)
    const ip = '198.51.100.78'
    const answers = await statuses(
      await Promise.all([
        t.postJson(path('burst-old'), fresh(), {}, ip),
        t.postJson(path('burst-old'), fresh(), {}, ip),
        t.postJson(path('burst-new'), fresh(), {}, ip),
      ]),
    )
    // Sequentially: 403, 403, 201. Nothing is posted by the first two, so the third must not wait.
    expect(answers.map((a) => a.status)).toEqual([403, 403, 201])
    await t.setSettings({ closeAfterDays: null })
  })

  it('floodSeconds changed while a burst is in flight: never two posts from one IP within the window in force', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 60 })
    await postComment(t, 'burst-window', {}, '198.51.100.200')
    t.advance(120)
    const ip = '198.51.100.79'
    const first = Array.from({ length: 6 }, () => t.postJson(path('burst-window'), fresh(), {}, ip))
    const change = t.setSettings({ floodSeconds: 20 })
    const second = Array.from({ length: 6 }, () => t.postJson(path('burst-window'), fresh(), {}, ip))
    await change
    const third = Array.from({ length: 6 }, () => t.postJson(path('burst-window'), fresh(), {}, ip))
    const answers = await statuses(await Promise.all([...first, ...second, ...third]))
    expect(count(answers, (a) => a.status === 201)).toBe(1)
    expect(count(answers, (a) => a.status === 500)).toBe(0)
  })

  it('duplicates in one burst (flood off): one stored from the network, the same network told 409, others spam', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    await postComment(t, 'burst-dup', {}, '198.51.100.200')
    const same = { name: 'Dup', email: 'dup@example.com', body: 'Exactly this text, twice at once.' }
    const answers = await statuses(
      await Promise.all(Array.from({ length: 6 }, () => t.postJson(path('burst-dup'), same, {}, '198.51.100.80'))),
    )
    expect(count(answers, (a) => a.status === 201)).toBe(1)
    expect(count(answers, (a) => a.status === 409)).toBe(5)
    const others = await statuses(
      await Promise.all(Array.from({ length: 4 }, (_, i) => t.postJson(path('burst-dup'), same, {}, `198.51.100.${90 + i}`))),
    )
    // Answered like any held comment (no oracle), stored as spam.
    expect(others.every((a) => a.status === 201 && a.commentStatus === 'pending')).toBe(true)
    const stored = await t.deps.db
      .select()
      .from(comments)
      .where(sql`body = ${same.body}`)
    expect(count(stored, (c) => c.status === 'approved')).toBe(1)
    expect(count(stored, (c) => c.status === 'spam')).toBe(4)
  })

  it('a parentId PostgreSQL cannot hold, in a wave with good posts: that one fails alone, and not with a 500', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 15 })
    await postComment(t, 'burst-bad', {}, '198.51.100.200')
    const answers = await statuses(
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => t.postJson(path('burst-bad'), fresh(), {}, `198.51.101.${i + 1}`)),
        t.postJson(path('burst-bad'), fresh({ parentId: 2 ** 31 }), {}, '198.51.101.50'),
        t.postJson(path('burst-bad'), fresh({ parentId: 2 ** 53 }), {}, '198.51.101.51'),
        t.postJson(path('burst-bad'), fresh({ parentId: -1 }), {}, '198.51.101.52'),
        t.postJson(path('burst-bad'), fresh({ parentId: 1.5 }), {}, '198.51.101.53'),
        ...Array.from({ length: 5 }, (_, i) => t.postJson(path('burst-bad'), fresh(), {}, `198.51.101.${i + 10}`)),
      ]),
    )
    expect(count(answers, (a) => a.status === 201)).toBe(10)
    expect(answers.slice(5, 9).every((a) => a.status === 422)).toBe(true)
  })
})

describe('unusual characters through the batched insert', () => {
  const values: [string, string][] = [
    ['lone high surrogate', 'a\uD800b'],
    ['lone low surrogate', 'a\uDC00b'],
    ['NUL', 'a\u0000b'],
    ['line separator', 'a\u2028b\u2029c'],
    ['emoji', '👩‍💻 🏳️‍🌈 😀'],
    ['RTL marks', 'abc\u202Edcba\u200F'],
    ['JSON-looking', '{"ord": 0, "body": "x", "status": "approved"}'],
    ['backslashes and quotes', '\\u0000 \\" \' "" \\\\ \\n'],
    ['escaped JSON', '"},{"ord":1,"status":"approved"'],
    ['noncharacters', 'x\uFFFEy\uFFFFz'],
    ['controls', 'x\u0001\u0008\u000B\u000C\u001F\u007Fy\r\nz'],
  ]

  it('bodies and names: 201, stored as cleaned, the webhook payload agrees', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    await t.deps.db
      .insert(webhooks)
      .values({ url: 'http://127.0.0.1:9/hook', events: ['comment.created'], secretSealed: 'x', createdAt: t.now() })
    const sent = values.map(([label, v], i) => ({ name: `N ${v} ${i}`, email: `chars${i}@example.com`, body: `${label}: ${v}` }))
    const answers = await Promise.all(
      sent.map((s, i) => t.postJson(path('chars'), s, { 'User-Agent': `UA/${i} "q" \\ {}` }, `198.51.103.${i + 1}`)),
    )
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { comment: { id: number; body?: string; authorName?: string } }[]
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 201))
    const rows = await t.deps.db
      .select()
      .from(comments)
      .where(sql`article_id = (select id from articles where key = 'chars')`)
    const deliveries = await t.deps.db.select().from(webhookDeliveries)
    for (const [i, s] of sent.entries()) {
      const id = bodies[i]?.comment.id
      const row = rows.find((r) => r.id === id)
      expect(row?.body, s.body).toBe(cleanBody(s.body))
      expect(row?.authorName).toBe(cleanLine(s.name))
      expect(row?.userAgent).toBe(`UA/${i} "q" \\ {}`)
      const event = deliveries.find((d) => (d.payload as { data: { comment: { id: number } } }).data.comment.id === id)
      const comment = (event?.payload as { data: { comment: { author: { name: string }; html: string; id: number } } }).data.comment
      expect(comment.author.name).toBe(cleanLine(s.name))
      expect(comment.html).toBe(row?.html)
    }
    expect(deliveries).toHaveLength(sent.length)
  })

  it('very long values at the limits, and one byte over', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const longBody = '😀'.repeat(16381) // 65524 bytes
    const ok = await Promise.all([
      t.postJson(path('long'), { name: 'é'.repeat(122), email: 'long@example.com', body: longBody + 'x' }, {}, '198.51.104.1'),
      t.postJson(path('long'), { name: 'L', email: 'long2@example.com', body: '\\'.repeat(65525) }, {}, '198.51.104.2'),
      t.postJson(
        path('long'),
        { name: 'L', email: 'long3@example.com', body: '"'.repeat(65525), url: `https://example.com/${'a'.repeat(180)}` },
        {},
        '198.51.104.3',
      ),
    ])
    expect(ok.map((r) => r.status)).toEqual([201, 201, 201])
    const over = await t.postJson(path('long'), { name: 'L', email: 'long4@example.com', body: longBody + 'xy' }, {}, '198.51.104.4')
    expect(over.status).toBe(422)
  })
})

// ---------------------------------------------------------------------------------------------
// The Node server, over raw sockets.

interface RawAnswer {
  raw: string
  statuses: number[]
  closed: boolean
}

/** Writes `parts` (with `gapMs` between them) and collects what comes back until close or `waitMs` of silence. */
function raw(parts: (string | Buffer)[], { gapMs = 0, waitMs = 1500, endAfter = false } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    const chunks: Buffer[] = []
    let closed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = () => {
      if (timer) clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('latin1')
      socket.destroy()
      resolve({ raw: text, statuses: [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])), closed })
    }
    const arm = () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(finish, waitMs)
    }
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      arm()
    })
    socket.on('close', () => {
      closed = true
      finish()
    })
    socket.on('error', (error) => (chunks.length ? undefined : reject(error)))
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part)
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs))
      }
      if (endAfter) socket.end()
      arm()
    })
  })
}

let rawSerial = 0
const commentJson = () => {
  rawSerial++
  return JSON.stringify({ name: 'Raw', email: `raw${rawSerial}@example.com`, body: `Raw socket comment ${rawSerial}` })
}
const head = (lines: string[], keepAlive = true) =>
  `POST /api/v1/articles/raw/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n${keepAlive ? '' : 'Connection: close\r\n'}${lines.map((l) => `${l}\r\n`).join('')}\r\n`

describe('the JSON body read from the socket', () => {
  const setup = async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
  }

  it('an exact body, then a pipelined second request on the same keep-alive connection', async () => {
    await setup()
    const a = commentJson()
    const b = commentJson()
    const answer = await raw([
      head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a)}`]) +
        a +
        head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(b)}`]) +
        b,
    ])
    expect(answer.statuses).toEqual([201, 201])
  })

  it('Content-Length smaller than the body: the rest is the next request (400 for garbage), never a 500', async () => {
    await setup()
    const a = commentJson()
    const answer = await raw([head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a) - 5}`]) + a])
    expect(answer.statuses[0]).toBe(400)
    expect(answer.statuses).not.toContain(500)
    expect(answer.raw).toContain('application/problem+json')
  })

  it('Content-Length larger than the body (client goes quiet, then ends): no answer but no crash; the server still serves', async () => {
    await setup()
    const a = commentJson()
    const answer = await raw([head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a) + 50}`]) + a], {
      waitMs: 800,
      endAfter: true,
    })
    expect(answer.statuses).not.toContain(500)
    const after = await t.postJson(path('raw'), JSON.parse(commentJson()) as object, {}, '198.51.105.1')
    expect(after.status).toBe(201)
  })

  it('a client that disconnects midway: no 500 logged, and the server stays up', async () => {
    await setup()
    const a = commentJson()
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a) + 100}`]) + a.slice(0, 10))
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 100)
      })
    })
    await new Promise((r) => setTimeout(r, 200))
    const res = await fetch(`${server.url}${path('raw')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: commentJson(),
    })
    expect(res.status).toBe(201)
    expect(t.logLines.filter((l) => /"status":500|uncaught|unhandled/i.test(l))).toEqual([])
  })

  it('Content-Length 0 with a JSON content type: 400 problem details, connection reusable', async () => {
    await setup()
    const b = commentJson()
    const answer = await raw([
      head(['Content-Type: application/json', 'Content-Length: 0']) +
        head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(b)}`]) +
        b,
    ])
    expect(answer.statuses).toEqual([400, 201])
  })

  it('two Content-Length headers, and Content-Length with Transfer-Encoding: refused 400, never a 500 or a smuggled request', async () => {
    await setup()
    const a = commentJson()
    const two = await raw([
      head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a)}`, `Content-Length: ${Buffer.byteLength(a)}`]) + a,
    ])
    expect(two.statuses).toEqual([400])
    const chunk = `${Buffer.byteLength(a).toString(16)}\r\n${a}\r\n0\r\n\r\n`
    const both = await raw([head(['Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked']) + chunk])
    expect(both.statuses).not.toContain(500)
    expect(both.statuses.length).toBeLessThanOrEqual(1)
  })

  it('Expect: 100-continue with a declared length: 100 then 201', async () => {
    await setup()
    const a = commentJson()
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(a)}`, 'Expect: 100-continue'], false))
      })
      let text = ''
      socket.on('data', (d) => {
        text += d.toString('latin1')
        if (text.startsWith('HTTP/1.1 100') && !text.includes('\r\n\r\nHTTP') && text.endsWith('\r\n\r\n')) socket.write(a)
      })
      socket.on('close', () => resolve(text))
    })
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue/)
    expect(answer).toContain('HTTP/1.1 201')
  })

  it('gzip Content-Encoding with a length: decompressed and stored; a bad gzip is 400', async () => {
    await setup()
    const zipped = gzipSync(commentJson())
    const answer = await raw([
      Buffer.concat([
        Buffer.from(head(['Content-Type: application/json', 'Content-Encoding: gzip', `Content-Length: ${zipped.length}`])),
        zipped,
      ]),
    ])
    expect(answer.statuses).toEqual([201])
    const bad = Buffer.from('not gzip at all')
    const refused = await raw([
      Buffer.concat([
        Buffer.from(head(['Content-Type: application/json', 'Content-Encoding: gzip', `Content-Length: ${bad.length}`])),
        bad,
      ]),
    ])
    expect(refused.statuses).toEqual([400])
  })

  it('a body trickled a few bytes at a time', { timeout: 15_000 }, async () => {
    await setup()
    const a = Buffer.from(commentJson())
    const parts: (string | Buffer)[] = [head(['Content-Type: application/json', `Content-Length: ${a.length}`])]
    for (let i = 0; i < a.length; i += 7) parts.push(a.subarray(i, i + 7))
    const answer = await raw(parts, { gapMs: 20 })
    expect(answer.statuses).toEqual([201])
  })

  it('a body of exactly 1 MiB is read (422 as a comment too long), one byte over is 413 problem details', async () => {
    await setup()
    const MiB = 1024 * 1024
    const json = (size: number) => {
      const base = JSON.stringify({ name: 'Big', email: 'big@example.com', body: '' })
      return base.replace('"body":""', `"body":"${'a'.repeat(size - base.length)}"`)
    }
    const exact = json(MiB)
    expect(Buffer.byteLength(exact)).toBe(MiB)
    const first = await raw([head(['Content-Type: application/json', `Content-Length: ${MiB}`]) + exact])
    expect(first.statuses).toEqual([422])
    const over = json(MiB + 1)
    const second = await raw([head(['Content-Type: application/json', `Content-Length: ${MiB + 1}`]) + over])
    expect(second.statuses).toEqual([413])
    expect(second.raw).toContain('application/problem+json')
  })

  it('invalid UTF-8 in the body: replaced, stored, no 500; a UTF-8 BOM is accepted', async () => {
    await setup()
    const text = Buffer.concat([
      Buffer.from('{"name":"Bad","email":"badutf@example.com","body":"a'),
      Buffer.from([0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80]),
      Buffer.from('z"}'),
    ])
    const answer = await raw([
      Buffer.concat([Buffer.from(head(['Content-Type: application/json', `Content-Length: ${text.length}`])), text]),
    ])
    expect(answer.statuses).toEqual([201])
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(commentJson())])
    const withBom = await raw([
      Buffer.concat([Buffer.from(head(['Content-Type: application/json', `Content-Length: ${bom.length}`])), bom]),
    ])
    expect(withBom.statuses).toEqual([201])
    const rows = await t.deps.db
      .select()
      .from(comments)
      .where(sql`author_name = 'Bad'`)
    expect(rows[0]?.body).toBe('a\uFFFD(\uFFFD\uFFFD\uFFFD\uFFFDz')
  })

  it('JSON that parses but a non-object (array, number, null, string): 422/400, never 500', async () => {
    await setup()
    const parts = [
      '[]',
      '1',
      'null',
      '"x"',
      '{"body": {"$gt": 1}}',
      '{"__proto__": {"polluted": 1}, "name": "P", "email": "p@example.com", "body": "proto"}',
    ]
    const answer = await raw(parts.map((p) => head(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(p)}`]) + p))
    expect(answer.statuses).toHaveLength(parts.length)
    expect(answer.statuses).not.toContain(500)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('client address lost on Node', () => {
  it('pipelined posts on a socket the client destroys right after sending: every stored comment has its IP, flood control holds', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 30 })
    await postComment(t, 'vanish', {}, '198.51.100.200')
    t.advance(60)
    const requests = Array.from({ length: 6 }, (_, i) => {
      const body = JSON.stringify({ name: 'Vanish', email: `vanish${i}@example.com`, body: `Vanishing comment ${i}` })
      return `POST /api/v1/articles/vanish/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    })
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(requests.join(''), () => {
          socket.destroy()
          resolve()
        })
      })
    })
    await new Promise((r) => setTimeout(r, 1500))
    const stored = await t.deps.db
      .select()
      .from(comments)
      .where(sql`author_name = 'Vanish'`)
    expect(stored.map((c) => c.ip)).toEqual(stored.map(() => '127.0.0.1'))
    expect(stored.length).toBeLessThanOrEqual(1)
  })
})

describe('routing on the TrieRouter', () => {
  const problem = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), allow: res.headers.get('allow') })

  it('unknown paths are 404 problem details; known ones with another method 405 with Allow', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    await postComment(t, 'route', {}, '198.51.100.200')
    const cases: [string, string, number][] = [
      ['GET', '/api/v1/articles/route/comments', 200],
      ['HEAD', '/api/v1/articles/route/comments', 200],
      ['GET', '/api/v1/articles/route/comments/', 404],
      ['GET', '/api/v1//articles/route/comments', 404],
      ['GET', '//api/v1/articles/route/comments', 404],
      ['GET', '/api/v1/articles/ro%75te/comments', 200],
      ['GET', '/api/v1/articles/route%2Fx/comments', 422],
      ['GET', '/api/v1/nothing', 404],
      ['GET', '/nothing/here', 404],
      ['DELETE', '/api/v1/articles/route/comments', 405],
      ['PUT', '/api/v1/articles/route/comments', 405],
      ['PROPFIND', '/api/v1/articles/route/comments', 405],
    ]
    const got = []
    for (const [method, p] of cases) {
      const res = await t.request(p, {
        method,
        ...(method === 'PUT' ? { headers: { 'Content-Type': 'application/json' }, body: '{}' } : {}),
      })
      got.push({ method, p, ...(await problem(res)) })
    }
    expect(got.map((g) => g.status)).toEqual(cases.map((c) => c[2]))
    for (const g of got.filter((x) => x.status === 404 || x.status === 405))
      expect(g.type, `${g.method} ${g.p}`).toMatch(/application\/problem\+json/)
    for (const g of got.filter((x) => x.status === 405)) expect(g.allow, `${g.method} ${g.p}`).toMatch(/GET/)
  })

  it('OPTIONS preflight for an allowed origin answers the CORS headers; a stray OPTIONS path is not a 500', async () => {
    await t.setSettings({ allowedOrigins: ['https://blog.example'] } as never)
    const res = await t.request('/api/v1/articles/route/comments', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://blog.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://blog.example')
    const stray = await t.request('/api/v1/nothing/here', { method: 'OPTIONS', headers: { Origin: 'https://blog.example' } })
    expect(stray.status).toBeLessThan(500)
  })

  it('the raw server: HEAD with no body, an unknown method token, an absolute-form and an asterisk request', async () => {
    const answer = await raw([
      'HEAD /api/v1/articles/route/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
        'BREW /api/v1/articles/route/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
        'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    ])
    expect(answer.statuses).not.toContain(500)
  })
})

it('flood marks table is consistent after everything (no duplicate keys)', async () => {
  const rows = await t.deps.db.select({ n: sql<number>`count(*)::int`, d: sql<number>`count(distinct key)::int` }).from(floodMarks)
  expect(rows[0]?.n).toBe(rows[0]?.d)
})
