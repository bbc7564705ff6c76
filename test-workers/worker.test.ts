import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { nobleArgon2 } from '../src/auth/argon2-noble.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { comments } from '../src/db/schema.js'
import { createSecrets } from '../src/crypto/secrets.js'
import worker from '../src/runtime/worker.js'
import { ORIGIN, call, db, send } from './support/edge.js'

// Default settings throughout: a first-time commenter is held for moderation, flood control is on
// (so every post comes from its own address and email).
let serial = 0
async function post(key: string, body: string, ip: string) {
  serial++
  return send(
    'POST',
    `/api/v1/articles/${key}/comments`,
    { name: `Edge reader ${serial}`, email: `edge${serial}@example.com`, body },
    {},
    ip,
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A read straight through the Worker's fetch(), returning once its cache write (waitUntil) is done. */
async function read(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers: { 'CF-Connecting-IP': '203.0.113.60', ...headers } }), env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

async function signIn(role: 'admin' | 'moderator' = 'moderator'): Promise<Record<string, string>> {
  serial++
  const email = `edge-mod${serial}@news.example`
  const password = `correct horse ${serial}`
  // Made with the pure-JS hasher, as `wrangler` users would; the Worker verifies it the same way.
  await createModerator(db, nobleArgon2, { email, name: `Edge mod ${serial}`, role, password }, new Date())
  const res = await send('POST', '/api/v1/auth/login', { email, password }, {}, '198.18.0.7')
  expect(res.status).toBe(200)
  const { token } = await res.json<{ token: string }>()
  return { Authorization: `Bearer ${token}` }
}

describe('the Worker in workerd, on PostgreSQL through Hyperdrive', () => {
  it('takes a comment, keeps CF-Connecting-IP as its address, and shows it to its author by token', async () => {
    const res = await post('edge-submit', 'Hello from the edge', '203.0.113.41')
    expect(res.status).toBe(201)
    const { comment, token } = await res.json<{ comment: { id: number; status: string }; token: string }>()
    expect(comment.status).toBe('pending')
    const [row] = await db.select({ ip: comments.ip }).from(comments).where(eq(comments.id, comment.id))
    expect(row?.ip).toBe('203.0.113.41')

    expect((await call(`/api/v1/comments/${comment.id}`)).status).toBe(404)
    const own = await call(`/api/v1/comments/${comment.id}`, { headers: { Authorization: `Bearer ${token}` } })
    expect(own.status).toBe(200)
    expect(await own.json()).toMatchObject({ id: comment.id, status: 'pending', html: '<p>Hello from the edge</p>' })
  })

  it("takes a gzip-compressed submission through the runtime's DecompressionStream, and refuses br with 415", async () => {
    serial++
    const json = JSON.stringify({ name: `Edge reader ${serial}`, email: `edge${serial}@example.com`, body: 'Squeezed at the edge' })
    const gzipped = await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
    const headers = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Origin: ORIGIN }
    const res = await call('/api/v1/articles/edge-gzip/comments', { method: 'POST', headers, body: gzipped }, '203.0.113.142')
    expect(res.status).toBe(201)
    const { comment } = await res.json<{ comment: { id: number } }>()
    const [row] = await db.select({ body: comments.body }).from(comments).where(eq(comments.id, comment.id))
    expect(row?.body).toBe('Squeezed at the edge')

    const br = await call(
      '/api/v1/articles/edge-gzip/comments',
      { method: 'POST', headers: { ...headers, 'Content-Encoding': 'br' }, body: gzipped },
      '203.0.113.143',
    )
    expect(br.status).toBe(415)
    expect(await br.json()).toMatchObject({ code: 'unsupported_encoding' })
    expect(br.headers.get('Accept-Encoding')).toBe('gzip, deflate')
  })

  it('signs a moderator in whose password was hashed in pure JS, and publishes a held comment: the thread and its ETag follow', async () => {
    const held = await (await post('edge-thread', 'Waiting for a moderator', '203.0.113.42')).json<{ comment: { id: number } }>()
    const empty = await call('/api/v1/articles/edge-thread/comments')
    expect(empty.status).toBe(200)
    expect((await empty.json<{ comments: unknown[] }>()).comments).toEqual([])
    const etag = empty.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[^"]+"$/)
    expect((await call('/api/v1/articles/edge-thread/comments', { headers: { 'If-None-Match': etag } })).status).toBe(304)

    const moderator = await signIn()
    const queue = await call('/api/v1/moderation/comments', { headers: moderator })
    expect(queue.status).toBe(200)
    const { comments: queued } = await queue.json<{ comments: { id: number; ip: string | null }[] }>()
    expect(queued.find((c) => c.id === held.comment.id)?.ip).toBe('203.0.113.42')
    const approved = await send('PATCH', `/api/v1/moderation/comments/${held.comment.id}`, { status: 'approved' }, moderator)
    expect(approved.status).toBe(200)
    // The edge may serve its copy of the empty thread for the max-age it advertised (1 s here).
    await sleep(1000)

    const after = await call('/api/v1/articles/edge-thread/comments', { headers: { 'If-None-Match': etag } })
    expect(after.status).toBe(200)
    const thread = await after.json<{ article: { commentCount: number }; comments: { id: number }[] }>()
    expect(thread.comments.map((c) => c.id)).toEqual([held.comment.id])
    expect(thread.article.commentCount).toBe(1)
    const next = after.headers.get('etag') ?? ''
    expect(next).not.toBe(etag)
    expect((await call('/api/v1/articles/edge-thread/comments', { headers: { 'If-None-Match': next } })).status).toBe(304)
  })

  it('serves thread pages and counts from the edge cache, per origin, until their max-age; then the moderation change shows', async () => {
    const shown = await (await post('edge-cache', 'Soon removed', '203.0.113.45')).json<{ comment: { id: number } }>()
    const moderator = await signIn()
    expect((await send('PATCH', `/api/v1/moderation/comments/${shown.comment.id}`, { status: 'approved' }, moderator)).status).toBe(200)
    const thread = '/api/v1/articles/edge-cache/comments'
    const counts = '/api/v1/counts?keys=edge-cache'
    const ids = async (res: Response) => (await res.json<{ comments: { id: number }[] }>()).comments.map((c) => c.id)

    const first = await read(thread, { Origin: ORIGIN })
    const firstCounts = await read(counts, { Origin: ORIGIN })
    const readAt = Date.now()
    expect(first.status).toBe(200)
    expect(first.headers.get('age')).toBeNull()
    expect(first.headers.get('cache-control')).toBe('public, max-age=1')
    expect(await ids(first)).toEqual([shown.comment.id])
    expect(await firstCounts.json()).toEqual({ counts: { 'edge-cache': 1 } })
    const etag = first.headers.get('etag') ?? ''

    // From the cache: Age says so (and bounds how long a browser keeps it); the CORS headers are this origin's.
    const cached = await read(thread, { Origin: ORIGIN })
    expect(cached.headers.get('age')).toMatch(/^[01]$/)
    expect(cached.headers.get('etag')).toBe(etag)
    expect(cached.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(cached.headers.has('parley-stored-at')).toBe(false)
    expect(await ids(cached)).toEqual([shown.comment.id])
    const revalidated = await read(thread, { Origin: ORIGIN, 'If-None-Match': etag })
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('age')).toMatch(/^[01]$/)
    expect(revalidated.headers.get('etag')).toBe(etag)
    // Another origin has an entry of its own, never this origin's CORS headers.
    const elsewhere = await read(thread, { Origin: 'https://elsewhere.example' })
    expect(elsewhere.headers.get('age')).toBeNull()
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull()
    // A moderator's request is never answered from the cache.
    expect((await read(thread, { Origin: ORIGIN, ...moderator })).headers.get('age')).toBeNull()

    const removed = await send('PATCH', `/api/v1/moderation/comments/${shown.comment.id}`, { status: 'trash' }, moderator)
    expect(removed.status).toBe(200)
    const stale = await read(counts, { Origin: ORIGIN })
    // Within the max-age, the copy may still be served (this is what max-age=1 allowed).
    if (Date.now() - readAt < 900) expect(await stale.json()).toEqual({ counts: { 'edge-cache': 1 } })

    await sleep(Math.max(0, readAt + 1000 - Date.now()))
    const after = await read(thread, { Origin: ORIGIN, 'If-None-Match': etag })
    expect(after.status).toBe(200)
    expect(after.headers.get('age')).toBeNull()
    expect(await ids(after)).toEqual([])
    expect(await (await read(counts, { Origin: ORIGIN })).json()).toEqual({ counts: { 'edge-cache': 0 } })
  })

  it('serves the thread as WordPress-markup HTML from the edge cache, and the held comment to its holder alone, never cached', async () => {
    const shown = await (await post('edge-html', 'Rendered at the edge', '203.0.113.48')).json<{ comment: { id: number } }>()
    const held = await (await post('edge-html', 'Still held', '203.0.113.49')).json<{ comment: { id: number } }>()
    const moderator = await signIn()
    expect((await send('PATCH', `/api/v1/moderation/comments/${shown.comment.id}`, { status: 'approved' }, moderator)).status).toBe(200)
    const path = '/api/v1/articles/edge-html/comments.html'
    const first = await read(path, { Origin: ORIGIN })
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(first.headers.get('parley-comment-count')).toBe('1')
    const html = await first.text()
    expect(html).toContain(`<li id="comment-${shown.comment.id}" class="comment depth-1"`)
    expect(html).toContain('<div class="comment-content" itemprop="text"><p>Rendered at the edge</p></div>')
    expect(html).not.toContain('Still held')
    const cached = await read(path, { Origin: ORIGIN })
    expect(cached.headers.get('age')).toMatch(/^[01]$/)
    expect(cached.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await cached.text()).toBe(html)
    // WordPress's pair: the reader's own held comment, in an answer no cache keeps.
    const [row] = await db.select().from(comments).where(eq(comments.id, held.comment.id))
    const hash = await (await createSecrets(env.PARLEY_SECRET ?? '')).moderationHash(row ?? { id: 0, createdAt: new Date(0) })
    const own = await read(`${path}?unapproved=${held.comment.id}&moderation-hash=${hash}`, { Origin: ORIGIN })
    expect(own.headers.get('cache-control')).toBe('private, no-store')
    expect(await own.text()).toContain('Your comment is awaiting moderation.')
    const again = await read(`${path}?unapproved=${held.comment.id}&moderation-hash=${hash}`, { Origin: ORIGIN })
    expect(again.headers.get('age')).toBeNull()
    // In German and Spanish: their catalogs come from the static assets (/i18n/LANG.json), not the bundle.
    expect(await (await read(`${path}?lang=de`, { Origin: ORIGIN })).text()).toContain('<span class="says">sagt:</span>')
    expect(await (await read(`${path}?lang=es`, { Origin: ORIGIN })).text()).toContain('<span class="says">dice:</span>')
    // And the problem details the widget shows, in the page's language.
    const refused = await send(
      'POST',
      '/api/v1/articles/edge-html/comments',
      { body: 'Ohne Namen' },
      { 'Accept-Language': 'de' },
      '203.0.113.50',
    )
    expect(await refused.text()).toContain('Bitte fülle die erforderlichen Felder aus.')
  })

  it("verifies a signed-in reader's identity token inside workerd (jose on the Workers runtime) and refuses a forged one", async () => {
    const now = Math.floor(Date.now() / 1000)
    const sign = (secret: string) =>
      new SignJWT({ name: 'Edge Subscriber', email: 'edge-sub@example.com' })
        .setSubject('edge-account-1')
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(secret))
    const res = await send(
      'POST',
      '/api/v1/articles/edge-sso/comments',
      { body: 'Signed in at the edge', identityToken: await sign(String(env.PARLEY_SSO_SECRET)) },
      {},
      '203.0.113.70',
    )
    expect(res.status).toBe(201)
    const { comment } = await res.json<{ comment: { id: number; author: { name: string; verified: boolean } } }>()
    expect(comment.author).toMatchObject({ name: 'Edge Subscriber', verified: true })
    const [row] = await db.select({ subjectHash: comments.subjectHash }).from(comments).where(eq(comments.id, comment.id))
    expect(row?.subjectHash).toBe(await (await createSecrets(env.PARLEY_SECRET ?? '')).subjectHash('edge-account-1'))
    const forged = await send(
      'POST',
      '/api/v1/articles/edge-sso/comments',
      { body: 'Forged', identityToken: await sign('another-secret-of-enough-length-0123456789') },
      {},
      '203.0.113.71',
    )
    expect(forged.status).toBe(401)
    expect(forged.headers.get('www-authenticate')).toBe('Bearer realm="parley-identity", error="invalid_token"')
  })

  it('refuses a wrong password with the same 401 as an unknown account', async () => {
    const wrong = await send('POST', '/api/v1/auth/login', { email: 'nobody@news.example', password: 'not the password' }, {}, '198.18.0.8')
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ code: 'invalid_credentials' })
  })

  it('runs the jobs from the Cron Trigger: old spam is purged and old addresses forgotten', async () => {
    const spam = await (await post('edge-jobs', 'Old spam', '203.0.113.43')).json<{ comment: { id: number } }>()
    const kept = await (await post('edge-jobs', 'Old but kept', '203.0.113.44')).json<{ comment: { id: number } }>()
    const longAgo = sql`now() - interval '40 days'`
    // Spam for 40 days, an address held for 40 days: purges count from those, not from the comment's age.
    await db
      .update(comments)
      .set({ status: 'spam', createdAt: longAgo, statusChangedAt: longAgo, ipCollectedAt: longAgo })
      .where(eq(comments.id, spam.comment.id))
    await db.update(comments).set({ createdAt: longAgo, ipCollectedAt: longAgo }).where(eq(comments.id, kept.comment.id))

    // As the Cron Trigger calls it; the run goes on in waitUntil, which the test waits for.
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime: new Date() }), env, ctx)
    await waitOnExecutionContext(ctx)

    expect(await db.select({ id: comments.id }).from(comments).where(eq(comments.id, spam.comment.id))).toEqual([])
    const [row] = await db.select({ ip: comments.ip, userAgent: comments.userAgent }).from(comments).where(eq(comments.id, kept.comment.id))
    expect(row).toEqual({ ip: null, userAgent: null })
  })

  it('serves the prebuilt OpenAPI document from its static assets, and the docs page rendered from it', async () => {
    const doc = await call('/openapi.json')
    expect(doc.status).toBe(200)
    const body = await doc.json<{ openapi: string; paths: Record<string, unknown> }>()
    expect(body.openapi).toBe('3.1.0')
    expect(Object.keys(body.paths)).toContain('/api/v1/articles/{key}/comments')
    const docs = await call('/docs')
    expect(docs.status).toBe(200)
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await docs.text()).toContain('<code>GET /api/v1/articles/{key}/comments</code>')
  })

  it('renders bodies with the trimmed sanitizer exactly as Node does: markup kept, styles and scripts gone', async () => {
    const res = await post(
      'edge-render',
      '<b style="color:red" onclick="x()">bold</b> &amp; <script>alert(1)</script> https://example.com/a_(b)',
      '203.0.113.46',
    )
    expect(res.status).toBe(201)
    const { comment } = await res.json<{ comment: { html: string } }>()
    expect(comment.html).toBe(
      '<p><b>bold</b> &amp; &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://example.com/a_(b)" rel="nofollow ugc noopener">https://example.com/a_(b)</a></p>',
    )
  })

  it("serves the widget with its settings filled in, and the dashboard's files from the static assets", async () => {
    const widget = await call('/widget.js')
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    const script = await widget.text()
    expect(script).toContain('var TURNSTILE = null;')
    expect(script).toContain('var NOTIFY = false;')
    expect((await call('/widget.js', { headers: { 'If-None-Match': widget.headers.get('etag') ?? '' } })).status).toBe(304)
    // With an email API (Resend) the Worker has a mail transport: the form offers notifications, under a new ETag.
    const ctx = createExecutionContext()
    const mailEnv = {
      ...env,
      PARLEY_MAIL_API_KEY: 're_workers_test_key',
      PARLEY_MAIL_FROM: 'Parley <comments@example.test>',
      PARLEY_PUBLIC_URL: ORIGIN,
    }
    const withMail = await worker.fetch(new Request(`${ORIGIN}/widget.js`), mailEnv, ctx)
    await waitOnExecutionContext(ctx)
    expect(await withMail.text()).toBe(script.replace('var NOTIFY = false;', 'var NOTIFY = true;'))
    expect(withMail.headers.get('etag')).not.toBe(widget.headers.get('etag'))
    for (const [path, type] of [
      ['/admin/admin.js', 'text/javascript'],
      ['/admin/admin.css', 'text/css'],
    ] as const) {
      const res = await call(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain(type)
      expect((await res.text()).length).toBeGreaterThan(1000)
    }
  })

  it('points imports at the command line: the importer is not part of the Worker', async () => {
    const admin = await signIn('admin')
    const res = await call('/api/v1/admin/import', {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/xml' },
      body: '<rss/>',
    })
    expect(res.status).toBe(501)
    expect(await res.json()).toMatchObject({ code: 'not_implemented' })
  })
})
