import { describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { byteLength } from '../src/comments/clean-text.js'
import { setupTestApp, ORIGIN } from './support/test-app.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { counts, fixture, importOk, postImport } from './support/imports.js'

const t = await setupTestApp()

const head =
  '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Limits</title>'
const item = (inside: string, id = '7') => `<item><title>Seven</title><wp:post_id>${id}</wp:post_id>${inside}</item>`
const comment = (id: number, content: string, extra = '') =>
  `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Author ${id}</wp:comment_author>` +
  `<wp:comment_author_email>a${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-01-01 10:00:0${id % 10}</wp:comment_date_gmt>` +
  `<wp:comment_content>${content}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>${extra}</wp:comment>`
const tail = '</channel></rss>'

/** A body sent as a stream of chunks made as they are read: the test never holds the file whole. */
function streamed(parts: () => Generator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const source = parts()
  return new ReadableStream({
    pull(controller) {
      const next = source.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value))
    },
  })
}

/** Imports a streamed body, sampling the heap meanwhile: the answer and how far the heap rose above where it started. */
async function importMeasured(admin: SignedIn, body: ReadableStream<Uint8Array>, type = 'application/xml') {
  const start = process.memoryUsage().heapUsed
  let peak = start
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2)
  try {
    const res = await t.request('/api/v1/admin/import', {
      method: 'POST',
      headers: { ...admin.headers, 'Content-Type': type, Origin: ORIGIN },
      body,
      duplex: 'half',
    } as RequestInit)
    return { res, rise: Math.max(peak, process.memoryUsage().heapUsed) - start }
  } finally {
    clearInterval(sampler)
  }
}

const MB = 1024 * 1024

describe('hostile files', () => {
  it('refuses a 240 KB file nested 20,000 deep at the 65th level, with its position, the heap untouched', async () => {
    const admin = await signIn(t, 'admin')
    const depth = 20_000
    const file = `${head}${item(`${'<div>'.repeat(depth)}${'</div>'.repeat(depth)}`)}${tail}`
    expect(file.length).toBeGreaterThan(220_000)
    const { res, rise } = await importMeasured(
      admin,
      streamed(function* () {
        for (let at = 0; at < file.length; at += 16_384) yield file.slice(at, at + 16_384)
      }),
    )
    expect(res.status).toBe(422)
    // rss, channel, item and 61 divs are 64 levels: the 62nd div is refused (saxes points past its name).
    const column =
      head.length - head.lastIndexOf('\n') - 1 + '<item><title>Seven</title><wp:post_id>7</wp:post_id>'.length + 62 * '<div>'.length
    expect((await res.json()).detail).toBe(
      `The file cannot be imported (nothing was): line 2, column ${column}: elements nested deeper than 64.`,
    )
    expect(rise).toBeLessThan(32 * MB)
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })

  it("imports a 20 MB comment cut to WordPress's 65,525 bytes, with a warning, the heap bounded", async () => {
    const admin = await signIn(t, 'admin')
    const words = 'All work and no play makes Jack a dull boy. '.repeat(1500)
    const size = 20 * MB
    const { res, rise } = await importMeasured(
      admin,
      streamed(function* () {
        yield (
          `${head}<item><title>Seven</title><wp:post_id>7</wp:post_id>${comment(1, 'Short one.')}<wp:comment><wp:comment_id>2</wp:comment_id>` +
          '<wp:comment_author>Jack</wp:comment_author><wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA['
        )
        for (let sent = 0; sent < size; sent += words.length) yield words
        yield `]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>${comment(3, 'After it.')}</item>${tail}`
      }),
    )
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({ comments: 3, errors: [] })
    expect(summary.warnings).toContainEqual({
      record: 'comment',
      id: '2',
      reason: "its text is longer than 65,525 bytes (WordPress's limit): cut to them",
    })
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((c) => byteLength(c.body))).toEqual([10, 65_525, 9])
    expect(rows[1]?.body.startsWith('All work and no play')).toBe(true)
    expect(rise).toBeLessThan(64 * MB)
  }, 120_000)

  it('imports a text of 21,000 unclosed tags at once, its markup shown as text (a submission would be refused)', async () => {
    const admin = await signIn(t, 'admin')
    const started = performance.now()
    const summary = await importOk(t, admin, `${head}${item(comment(1, '&lt;b&gt;'.repeat(21_000)))}${tail}`)
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(summary).toMatchObject({
      comments: 1,
      warnings: [{ record: 'comment', id: '1', reason: 'its text holds more than 500 tags: shown as text' }],
    })
    const [row] = await t.deps.db.select().from(comments)
    expect(row?.html.startsWith('<p>&lt;b&gt;&lt;b&gt;')).toBe(true)
  })

  it('skips a JSON element over 2 MiB as it streams, and imports the rest', async () => {
    const admin = await signIn(t, 'admin')
    const header =
      '{"parley":{"format":"parley-export","version":1,"exportedAt":"2026-11-26T20:00:00.000Z"},\n"articles":[\n{"key":"a","url":null,"title":null,"open":true,"createdAt":"2026-11-26T20:00:00.000Z"}\n],\n"comments":[\n'
    const entry = (id: number, body: string) =>
      JSON.stringify({
        id,
        article: 'a',
        parentId: null,
        status: 'approved',
        author: { name: 'N', url: null, email: null, moderator: null },
        ip: null,
        userAgent: null,
        body,
        html: '',
        checks: [],
        createdAt: '2026-11-26T20:00:00.000Z',
        editedAt: null,
        source: 'parley',
        sourceSite: 'elsewhere',
        sourceId: String(id),
      })
    const { res, rise } = await importMeasured(
      admin,
      streamed(function* () {
        yield `${header}${entry(1, 'one')},\n`
        const [before, after] = entry(2, 'BODY').split('BODY')
        yield before ?? ''
        const piece = 'x'.repeat(65_536)
        for (let sent = 0; sent < 20 * MB; sent += piece.length) yield piece
        yield after ?? ''
        yield `,\n${entry(3, 'three')}\n]}\n`
      }),
      'application/json',
    )
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({
      comments: 2,
      errors: [{ record: 'comment', id: 'at line 7', reason: 'it is larger than 2097152 characters: not read' }],
    })
    expect(rise).toBeLessThan(32 * MB)
  }, 120_000)

  it('refuses an element with hundreds of attributes, or a name of megabytes, with its position', async () => {
    const admin = await signIn(t, 'admin')
    const attributes = Array.from({ length: 1000 }, (_, i) => ` a${i}="x"`).join('')
    const many = await (await postImport(t, admin, `${head}<item${attributes}></item>${tail}`)).json()
    expect(many.detail).toMatch(
      /^The file cannot be imported \(nothing was\): line 2, column \d+: more than 256 attributes on one element\.$/,
    )
    // A name saxes would gather over many chunks (one within a chunk is as large as the chunk, no more).
    const { res } = await importMeasured(
      admin,
      streamed(function* () {
        yield `${head}<item`
        for (let i = 0; i < 32; i++) yield 'n'.repeat(65_536)
        yield `/>${tail}`
      }),
    )
    const long = await res.json()
    expect(long.detail).toMatch(/^The file cannot be imported \(nothing was\): line 2, column \d+: a name longer than 8192 characters\.$/)
  })
})

describe('repeated elements', () => {
  it('reads the first of two post ids, as WordPress does, never the two run together', async () => {
    const admin = await signIn(t, 'admin')
    // The importer's own test: <wp:post_id>1</wp:post_id> then <alt:post_id>999</alt:post_id>, alt being the WXR namespace too.
    await importOk(t, admin, fixture('wordpress/importer-tests/wpi-namespace-edge-cases.xml'))
    const keys = (await t.deps.db.select({ key: articles.key }).from(articles)).map((a) => a.key)
    expect(keys).toContain('1')
    expect(keys).not.toContain('1999')
  })

  it('reads the first of each repeated field of a comment, an item or a Disqus post', async () => {
    const admin = await signIn(t, 'admin')
    const twice = comment(
      1,
      'First text',
      '<wp:comment_content>Second text</wp:comment_content><wp:comment_parent>0</wp:comment_parent><wp:comment_parent>5</wp:comment_parent>',
    )
    await importOk(t, admin, `${head}${item(`<title>Second title</title><wp:post_id>8</wp:post_id>${twice}`)}${tail}`)
    const [article] = await t.deps.db.select().from(articles)
    expect(article).toMatchObject({ key: '7', title: 'Seven' })
    const [row] = await t.deps.db.select().from(comments)
    expect(row).toMatchObject({ id: 1, body: 'First text', parentId: null })

    const disqus = `<?xml version="1.0"?><disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><id>story</id><id>other</id></thread><thread dsq:id="2"><id>story-2</id></thread>
<post dsq:id="10"><message>One</message><message>Two</message><createdAt>2019-01-01T00:00:00Z</createdAt><thread dsq:id="1"/><thread dsq:id="2"/></post>
</disqus>`
    await importOk(t, admin, disqus)
    const posts = await t.deps.db
      .select({ body: comments.body, key: articles.key })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
    expect(posts).toContainEqual({ body: 'One', key: 'story' })
  })
})
