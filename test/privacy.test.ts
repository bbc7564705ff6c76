import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { articles, comments, floodMarks, settings } from '../src/db/schema.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

const IP = '198.51.100.77'
const IPV6 = '2001:db8:5ec::7e57'
const USER_AGENT = 'ParleyPrivacyProbe/4.2 (X11; secret-agent-5150)'
const emails = {
  approved: 'secret.reader+1@example.org',
  reply: 'Secret.Reader+2@Example.ORG',
  withdrawn: 'secret.reader+3@example.org',
  spam: 'secret.reader+4@example.org',
  held: 'secret.reader+5@example.org',
  form: 'secret.reader+6@example.org',
  formHeld: 'secret.reader+7@example.org',
  invalid: 'secret.reader+8@@example.org',
}

const hex = (algorithm: string, value: string) => createHash(algorithm).update(value).digest('hex')

/** Everything that must never be published, and what it is. */
const needles: { what: string; value: string }[] = [
  { what: 'IP', value: IP },
  { what: 'IPv6', value: IPV6 },
  { what: 'user agent', value: USER_AGENT },
  { what: 'user agent token', value: 'secret-agent-5150' },
  ...Object.values(emails).flatMap((email) => {
    const normalized = email.trim().toLowerCase()
    return [
      { what: 'email', value: email },
      { what: 'local part', value: normalized.slice(0, normalized.lastIndexOf('@')) },
      { what: 'URL-encoded email', value: encodeURIComponent(email) },
      ...['md5', 'sha1', 'sha256'].flatMap((algorithm) => [
        { what: `${algorithm} of ${email}`, value: hex(algorithm, normalized) },
        { what: `${algorithm} of raw ${email}`, value: hex(algorithm, email) },
      ]),
    ]
  }),
]

/** Which needles `text` contains, in any case. */
const leaks = (text: string) => needles.filter((needle) => text.toLowerCase().includes(needle.value.toLowerCase())).map((n) => n.what)

interface Seen {
  where: string
  text: string
}

/** Every response a reader (or the author) can get: status, every header and the body. */
const seen: Seen[] = []
async function record(where: string, res: Response): Promise<Response> {
  const lines: string[] = []
  res.headers.forEach((value, name) => lines.push(`${name}: ${value}`))
  const headers = lines.join('\n')
  seen.push({ where, text: `${res.status}\n${headers}\n\n${await res.clone().text()}` })
  return res
}

const fromReader = { 'User-Agent': USER_AGENT }
const get = async (path: string, headers: Record<string, string> = {}) =>
  record(`GET ${path}`, await t.request(path, { headers: { ...fromReader, ...headers } }, IP))
const post = async (key: string, body: Record<string, unknown>, ip = IP) =>
  record(`POST ${key} ${JSON.stringify(body)}`, await t.postJson(`/api/v1/articles/${key}/comments`, body, fromReader, ip))
const postForm = async (fields: Record<string, string>, ip = IP) =>
  record(
    `POST /comment-form ${JSON.stringify(fields)}`,
    await t.request(
      '/comment-form',
      {
        method: 'POST',
        headers: { ...fromReader, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      },
      ip,
    ),
  )

interface Created {
  id: number
  token: string | null
}

/** Comments of every status, replies, a placeholder, the plain form and a few refusals, all from the reader's IP and browser. */
async function submitEverything(): Promise<Created[]> {
  await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
  const created: Created[] = []
  const submit = async (key: string, body: Record<string, unknown>, ip = IP) => {
    const res = await post(key, body, ip)
    expect(res.status, JSON.stringify(body)).toBe(201)
    const json = (await res.json()) as { comment: { id: number }; token: string }
    created.push({ id: json.comment.id, token: json.token })
    return json
  }
  const top = await submit('p1', { name: 'Reader One', email: emails.approved, body: 'A first, approved comment.' })
  const reply = await submit('p1', { name: 'Reader Two', email: emails.reply, body: 'A reply.', parentId: top.comment.id }, IPV6)
  await submit('p1', { name: 'Reader One', email: emails.approved, body: 'A reply to the reply.', parentId: reply.comment.id })
  const withdrawn = await submit('p1', { name: 'Reader Three', email: emails.withdrawn, body: 'Soon withdrawn.', parentId: top.comment.id })
  await submit('p1', { name: 'Reader Four', email: emails.spam, body: 'Cheap pills', hp: 'filled' })
  await submit('p1', { name: 'Reader Five', email: emails.held, body: 'Links: http://a.example and http://b.example' })

  const edited = await record(
    'PATCH',
    await t.request(
      `/api/v1/comments/${top.comment.id}`,
      {
        method: 'PATCH',
        headers: { ...fromReader, 'Content-Type': 'application/json', Authorization: `Bearer ${top.token}` },
        body: JSON.stringify({ body: 'A first, edited comment.' }),
      },
      IP,
    ),
  )
  expect(edited.status).toBe(200)
  for (const { comment, token } of [withdrawn, reply]) {
    const res = await record(
      'DELETE',
      await t.request(
        `/api/v1/comments/${comment.id}`,
        { method: 'DELETE', headers: { ...fromReader, Authorization: `Bearer ${token}` } },
        IP,
      ),
    )
    expect(res.status).toBe(204)
  }

  for (const [email, body] of [
    [emails.form, 'From the plain form.'],
    [emails.formHeld, 'Held: http://a.example http://b.example'],
  ] as const) {
    const res = await postForm(
      {
        comment: body,
        author: 'Form Reader',
        email,
        url: '',
        comment_post_ID: 'p2',
        comment_parent: '0',
        redirect_to: `${ORIGIN}/posts/p2`,
      },
      IPV6,
    )
    expect(res.status).toBe(303)
    const id = Number(/#comment-(\d+)$/.exec(res.headers.get('location') ?? '')?.[1])
    expect(id).toBeGreaterThan(0)
    created.push({ id, token: null })
  }

  // Refusals: they must not echo what they refuse.
  await submit('p1', { name: 'Reader One', email: emails.approved, body: 'Said twice.' })
  expect((await post('p1', { name: 'Reader One', email: emails.approved, body: 'Said twice.' })).status).toBe(409)
  expect((await post('p1', { name: 'Reader Eight', email: emails.invalid, body: 'Bad address' })).status).toBe(422)
  expect((await postForm({ comment: 'Bad address', author: 'Form Reader', email: emails.invalid, comment_post_ID: 'p2' })).status).toBe(422)
  await t.setSettings({ floodSeconds: 60 })
  await submit('p1', { name: 'Reader One', email: emails.approved, body: 'Slowly now.' })
  expect((await post('p1', { name: 'Reader One', email: emails.approved, body: 'Too soon.' })).status).toBe(429)
  return created
}

/** Every page of a thread, both orders, one thread and all threads a page; and the 304 of its ETag. */
async function walkThreads(keys: string[]): Promise<void> {
  for (const key of keys) {
    for (const order of ['oldest', 'newest']) {
      for (const limit of [1, 20]) {
        let cursor: string | null = null
        do {
          const res = await get(`/api/v1/articles/${key}/comments?order=${order}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
          expect(res.status).toBe(200)
          cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor
        } while (cursor)
      }
    }
    const first = await get(`/api/v1/articles/${key}/comments`)
    expect((await get(`/api/v1/articles/${key}/comments`, { 'If-None-Match': first.headers.get('etag') ?? '' })).status).toBe(304)
  }
}

describe('privacy', () => {
  it('publishes no email address, IP or user agent in any response, header or log line', async () => {
    seen.length = 0
    const created = await submitEverything()
    await walkThreads(['p1', 'p2', 'unknown'])
    const lastId = Math.max(...created.map((c) => c.id))
    for (let id = 1; id <= lastId + 1; id++) {
      await get(`/api/v1/comments/${id}`)
      await get(`/api/v1/comments/${id}`, { Authorization: 'Bearer not-the-token' })
    }
    for (const { id, token } of created) if (token) await get(`/api/v1/comments/${id}`, { Authorization: `Bearer ${token}` })
    const counts = await get('/api/v1/counts?keys=p1,p2,unknown')
    expect((await get('/api/v1/counts?keys=p1,p2,unknown', { 'If-None-Match': counts.headers.get('etag') ?? '' })).status).toBe(304)
    for (const path of ['/openapi.json', '/docs', '/healthz', '/readyz', '/api/v1/nothing']) await get(path)
    await record(
      'OPTIONS',
      await t.request(
        '/api/v1/articles/p1/comments',
        {
          method: 'OPTIONS',
          headers: { ...fromReader, Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
        },
        IP,
      ),
    )

    // The reader's details did reach Parley: the moderators' columns hold them.
    const rows = await t.deps.db.select({ ip: comments.ip, userAgent: comments.userAgent }).from(comments)
    expect(new Set(rows.map((row) => row.ip))).toEqual(new Set([IP, IPV6]))
    expect(new Set(rows.map((row) => row.userAgent))).toEqual(new Set([USER_AGENT]))

    // The search finds what it looks for, in any case and however the address was typed.
    expect(leaks(`{"e":"${emails.reply.toUpperCase()}"}`)).toContain('email')
    expect(seen.length).toBeGreaterThan(60)
    expect(seen.map((s) => ({ where: s.where, leaks: leaks(s.text) })).filter((s) => s.leaks.length > 0)).toEqual([])
    expect(t.logLines.length).toBeGreaterThan(60)
    expect(t.logLines.map((line) => ({ line, leaks: leaks(line) })).filter((l) => l.leaks.length > 0)).toEqual([])
  })

  it('publishes only an avatar colour, stable per commenter, that confirms no guessed email', async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const avatar = async (email: string, body: string) =>
      ((await (await post('p1', { name: 'Reader', email, body })).json()) as { comment: { author: { avatar: unknown } } }).comment.author
        .avatar
    const first = await avatar(emails.approved, 'One')
    expect(Number.isInteger(first) && (first as number) >= 0 && (first as number) < 8).toBe(true)
    expect(await avatar(`  ${emails.approved.toUpperCase()} `, 'Two')).toBe(first)
    // An attacker who posts with guessed addresses sees one colour in eight: many addresses share the victim's.
    const guesses = await Promise.all(Array.from({ length: 200 }, (_, i) => t.deps.secrets.avatar(`guess${i}@example.com`)))
    expect(new Set(guesses).size).toBe(8)
    expect(guesses.filter((colour) => colour === first).length).toBeGreaterThan(10)
  })

  it('stores email addresses only encrypted, and no IP where moderators do not need it', async () => {
    await submitEverything()
    const tables = {
      comments: await t.deps.db.select().from(comments),
      articles: await t.deps.db.select().from(articles),
      flood_marks: await t.deps.db.select().from(floodMarks),
      settings: await t.deps.db.select().from(settings),
    }
    expect(tables.flood_marks.length).toBeGreaterThan(0)
    const emailNeedles = new Set(
      needles.filter((n) => !['IP', 'IPv6', 'user agent', 'user agent token'].includes(n.what)).map((n) => n.what),
    )
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        const found = leaks(JSON.stringify(row)).filter((what) => emailNeedles.has(what) || table !== 'comments')
        expect(found, `${table} ${JSON.stringify(row)}`).toEqual([])
      }
    }
    const sealed = tables.comments.map((row) => row.emailEncrypted).filter((value): value is string => value !== null)
    const opened = await Promise.all(sealed.map((value) => t.deps.secrets.decryptEmail(value)))
    expect(new Set(opened)).toEqual(new Set(Object.values(emails).filter((email) => email !== emails.invalid)))
  })
})
