import { describe, expect, it } from 'vitest'
import { asc, eq, sql } from 'drizzle-orm'
import { articles, comments, moderationLog, webhookDeliveries } from '../src/db/schema.js'
import { renderBody } from '../src/comments/render-body.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { counts, fixture, importOk, postImport, tableSnapshot } from './support/imports.js'

const t = await setupTestApp()
const themeData = fixture('wordpress/themeunittestdata.wordpress.xml')

const themeSummary = {
  format: 'wxr',
  articles: 79,
  comments: 29,
  skipped: 4,
  errors: [],
  warnings: [],
  details: {
    existingArticles: 0,
    updatedArticles: 0,
    statuses: { approved: 26, pending: 3, spam: 0, trash: 0 },
    replies: 10,
    longestChain: 10,
    pings: 4,
    otherTypes: 0,
    alreadyImported: 0,
    removedBefore: 0,
    errorCount: 0,
    warningCount: 0,
  },
}

/** A WXR file of one item with the given comments (each a block of wp: fields). */
function wxr(
  comments: string[],
  item = '<wp:post_id>7</wp:post_id><wp:comment_status>open</wp:comment_status><title>Seven</title><link>https://news.example/7/</link>',
) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test</title>
<item>${item}
${comments.map((c) => `<wp:comment>${c}</wp:comment>`).join('\n')}
</item>
</channel>
</rss>`
}

const comment = (id: number, fields: Record<string, string> = {}) =>
  Object.entries({
    comment_id: String(id),
    comment_author: `Author ${id}`,
    comment_author_email: `author${id}@example.org`,
    comment_date_gmt: `2020-01-0${(id % 9) + 1} 10:00:00`,
    comment_content: `Comment ${id}`,
    comment_approved: '1',
    comment_type: 'comment',
    comment_parent: '0',
    ...fields,
  })
    .map(([name, value]) => `<wp:${name}><![CDATA[${value}]]></wp:${name}>`)
    .join('')

describe('importing a WordPress export (WXR)', () => {
  it("imports WordPress's theme test data: 79 articles, 29 comments (26 approved, 3 held), 10 replies in a chain 10 deep, 4 pings skipped", async () => {
    const admin = await signIn(t, 'admin')
    expect(await importOk(t, admin, themeData)).toEqual(themeSummary)
    expect(await counts(t)).toEqual({ articles: 79, comments: 29 })

    const byKey = async (key: string) => (await t.deps.db.select().from(articles).where(eq(articles.key, key)))[0]
    expect(await byKey('1148')).toMatchObject({
      url: 'https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/',
      title: 'Template: Comments',
      open: true,
      commentCount: 19,
    })
    // Comments closed in WordPress: closed here. Its 4 pings are skipped, its one comment kept.
    expect(await byKey('1149')).toMatchObject({ open: false, commentCount: 1 })
    expect(await byKey('155')).toMatchObject({ title: 'Page with comments', commentCount: 3 })
    const [closed] = await t.deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(articles)
      .where(eq(articles.open, false))
    expect(closed?.n).toBe(49)

    // WordPress's ids are kept; the 10-deep chain is stored as it was, however deep the display goes.
    const chain = await t.deps.db
      .select({ id: comments.id, parentId: comments.parentId, depth: comments.depth, rootId: comments.rootId })
      .from(comments)
      .where(eq(comments.rootId, 904))
      .orderBy(asc(comments.path))
    expect(chain.map((c) => [c.id, c.parentId, c.depth])).toEqual([
      [904, null, 0],
      [905, 904, 1],
      [906, 905, 2],
      [907, 906, 3],
      [910, 907, 4],
      [911, 910, 5],
      [912, 911, 6],
      [913, 912, 7],
      [914, 913, 8],
      [915, 914, 9],
    ])

    const page = await (await t.request('/api/v1/articles/1148/comments?limit=100')).json()
    expect(page.article).toMatchObject({ key: '1148', open: true, commentCount: 19 })
    expect(page.comments.map((c: { id: number }) => c.id)).toEqual([881, 899, 900, 901, 903, 904, 917, 918, 919, 920])
    const first = page.comments[0]
    expect(first.author).toMatchObject({ name: 'John Γιάννης Doe Κάποιος', url: 'http://example.org/', moderator: false })
    expect(first.createdAt).toBe('2012-09-03T17:18:04.000Z')
    // 7,012 characters of WordPress markup, rendered like any comment.
    const [long] = await t.deps.db.select().from(comments).where(eq(comments.id, 881))
    expect(long?.body.length).toBe(7012)
    expect(long?.html).toBe(renderBody(long?.body ?? ''))
  })

  it('changes nothing when the same file is imported again', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, themeData)).toEqual({
      ...themeSummary,
      articles: 0,
      comments: 0,
      skipped: 33,
      details: {
        ...themeSummary.details,
        existingArticles: 79,
        statuses: { approved: 0, pending: 0, spam: 0, trash: 0 },
        replies: 0,
        longestChain: 0,
        alreadyImported: 29,
      },
    })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it('imports pingbacks and trackbacks when asked to', async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(t, admin, themeData, 'application/xml', '?pings=true')
    expect(summary).toMatchObject({ comments: 33, skipped: 0, details: { pings: 0, statuses: { approved: 30, pending: 3 } } })
    const [ping] = await t.deps.db.select().from(comments).where(eq(comments.id, 923))
    expect(ping).toMatchObject({ authorName: 'Ping 4 &laquo; What&#8217;s a tellyworth?', emailEncrypted: null, status: 'approved' })
  })

  it("reads WordPress's own http:// namespace as well as the test data's https://", async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(t, admin, themeData.replaceAll('https://wordpress.org/export/1.2/', 'http://wordpress.org/export/1.2/'))
    expect(summary).toEqual(themeSummary)
  })

  it('completes an article a reader registered first, and adds to its count', async () => {
    const admin = await signIn(t, 'admin')
    await t.setSettings(openSettings)
    await postComment(t, '1148', { body: 'Posted before the import' })
    const [before] = await t.deps.db.select().from(articles).where(eq(articles.key, '1148'))
    const summary = await importOk(t, admin, themeData)
    expect(summary).toMatchObject({ articles: 78, details: { existingArticles: 1, updatedArticles: 1 } })
    const [after] = await t.deps.db.select().from(articles).where(eq(articles.key, '1148'))
    expect(after).toMatchObject({ id: before?.id, title: 'Template: Comments', commentCount: 20, createdAt: before?.createdAt })
    expect(after?.version).toBeGreaterThan(before?.version ?? 0)
  })

  it('imports into a later export only what is new, linking new replies to comments imported before', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, wxr([comment(1), comment(2)]))
    const summary = await importOk(t, admin, wxr([comment(1), comment(2), comment(3, { comment_parent: '2' })]))
    expect(summary).toMatchObject({ comments: 1, skipped: 2, details: { replies: 1, longestChain: 2, alreadyImported: 2 } })
    const [reply] = await t.deps.db.select().from(comments).where(eq(comments.id, 3))
    expect(reply).toMatchObject({ parentId: 2, rootId: 2, depth: 1 })
    expect((await t.deps.db.select().from(articles))[0]?.commentCount).toBe(3)
  })

  it('reports problems in single comments and imports the rest', async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(
      t,
      admin,
      wxr([
        comment(1),
        comment(2, { comment_author_email: '' }),
        comment(3, { comment_date_gmt: '0000-00-00 00:00:00', comment_date: 'yesterday' }),
        comment(4, { comment_parent: '99' }),
        comment(5, { comment_approved: 'maybe' }),
        comment(6, { comment_author_url: 'javascript:alert(1)' }),
        comment(7, { comment_type: 'order_note' }),
        comment(1, { comment_content: 'A second copy' }),
      ]),
    )
    expect(summary).toMatchObject({
      articles: 1,
      comments: 6,
      skipped: 1,
      details: { otherTypes: 1, statuses: { approved: 5, pending: 1 } },
    })
    expect(summary.errors).toEqual([{ record: 'comment', id: '1', reason: 'it appears twice in the file: the first is imported' }])
    expect(summary.warnings).toEqual([
      { record: 'comment', id: '2', reason: 'it has no email address: imported without one' },
      { record: 'comment', id: '3', reason: 'it has no valid date: dated at the import, as WordPress does' },
      { record: 'comment', id: '5', reason: 'unknown status "maybe": imported as pending' },
      { record: 'comment', id: '6', reason: 'its author URL is not an http(s) URL: dropped' },
      { record: 'comment', id: '4', reason: "its parent is not among its article's comments: imported as a top-level comment" },
    ])
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((r) => [r.id, r.parentId, r.status, r.authorUrl, r.emailEncrypted === null])).toEqual([
      [1, null, 'approved', null, false],
      [2, null, 'approved', null, true],
      [3, null, 'approved', null, false],
      [4, null, 'approved', null, false],
      [5, null, 'pending', null, false],
      [6, null, 'approved', null, false],
    ])
    expect(rows[0]?.body).toBe('Comment 1')
    expect(rows[2]?.createdAt).toEqual(t.now())
  })

  it('imports the comments of items without wp:post_id under the ?p= of their link, else their guid (theme-preview.xml), with a warning', async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(t, admin, fixture('wordpress/theme-preview.xml'))
    expect(summary).toMatchObject({ articles: 7, comments: 2, errors: [] })
    expect(summary.warnings).toEqual([
      { record: 'item', id: '8', reason: 'it has no wp:post_id: its post id 8 is read from its link' },
      { record: 'item', id: '1', reason: 'it has no wp:post_id: its post id 1 is read from its link' },
    ])
    const withComments = await t.deps.db
      .select({ key: articles.key, count: articles.commentCount, url: articles.url })
      .from(articles)
      .where(sql`${articles.commentCount} > 0`)
      .orderBy(asc(articles.key))
    expect(withComments).toEqual([
      { key: '1', count: 1, url: 'https://wp-themes.com/?p=1' },
      { key: '8', count: 1, url: 'https://wp-themes.com/?p=8' },
    ])
    const guidOnly = wxr([comment(1)], '<title>Guid only</title><guid isPermaLink="false">http://example.org/?p=42&amp;preview=true</guid>')
    expect(await importOk(t, admin, guidOnly)).toMatchObject({
      comments: 1,
      warnings: [{ record: 'item', id: '42', reason: 'it has no wp:post_id: its post id 42 is read from its guid' }],
    })
    const nothing = await importOk(t, admin, wxr([comment(5)], '<title>Nowhere</title><link>https://example.org/nowhere/</link>'))
    expect(nothing.errors).toEqual([{ record: 'comment', id: '5', reason: 'its item has no wp:post_id, nor a ?p= in its link or guid' }])
  })

  it('says what it changed or joined: a post id twice, a name or text cut, a URL or IP dropped', async () => {
    const admin = await signIn(t, 'admin')
    const longName = 'Ω'.repeat(200)
    const longUrl = `https://example.org/${'a'.repeat(250)}`
    const longText = 'x'.repeat(70_000)
    const file = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Test</title>
<item><title>First</title><wp:post_id>7</wp:post_id>${`<wp:comment>${comment(1, { comment_author: longName, comment_author_url: longUrl })}</wp:comment>`}</item>
<item><title>Again</title><wp:post_id>7</wp:post_id>${`<wp:comment>${comment(2, { comment_content: longText, comment_author_IP: 'not an address' })}</wp:comment>`}</item>
</channel></rss>`
    const summary = await importOk(t, admin, file)
    expect(summary).toMatchObject({ articles: 1, comments: 2, errors: [] })
    expect(summary.warnings).toEqual([
      {
        record: 'item',
        id: '7',
        reason: "it appears twice in the file: the comments of both join one article, with the first one's link and title",
      },
      { record: 'comment', id: '1', reason: 'its author name is longer than 245 bytes: cut to them' },
      { record: 'comment', id: '1', reason: 'its author URL is longer than 200 bytes: dropped' },
      { record: 'comment', id: '2', reason: "its text is longer than 65,525 bytes (WordPress's limit): cut to them" },
      { record: 'comment', id: '2', reason: 'its IP address is not one: dropped' },
    ])
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((r) => [r.authorName.length, r.authorUrl, r.body.length, r.ip])).toEqual([
      [122, null, 9, null],
      [8, null, 65_525, null],
    ])
    expect((await t.deps.db.select().from(articles))[0]).toMatchObject({ key: '7', title: 'First', commentCount: 2 })
  })

  it("shows tags beyond WordPress's comment tags as the commenter wrote them, attributes included (theme test comment 917)", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, 917))
    expect(row?.html).toBe(
      '<p>Image comment.<br />\n\t&lt;img src="https://wpthemetestdata.files.wordpress.com/2008/06/dsc20050102_192118_51.jpg?w=171&amp;h=128" ' +
        'alt="Albany wind-farm against the sunset, Western Australia" /&gt;<br />\n\tIf the image imports...</p>',
    )
  })

  it("sanitizes imported content exactly as a submitted comment's", async () => {
    const admin = await signIn(t, 'admin')
    const attack =
      '<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)" onclick="x()">click</a> <b>bold</b> https://example.org/'
    await importOk(t, admin, wxr([comment(1, { comment_content: attack, comment_author: '<img src=x onerror=alert(4)>' })]))
    const [row] = await t.deps.db.select().from(comments)
    expect(row?.html).toBe(renderBody(attack))
    // Tags beyond WordPress's comment tags are text, as written; a link keeps no script.
    expect(row?.html).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; <a rel="nofollow ugc noopener">click</a> ' +
        '<b>bold</b> <a href="https://example.org/" rel="nofollow ugc noopener">https://example.org/</a></p>',
    )
    const page = await (await t.request('/api/v1/articles/7/comments')).json()
    expect(page.comments[0].html).toBe(renderBody(attack))
    expect(page.comments[0].author.name).toBe('<img src=x onerror=alert(4)>')
  })

  it('stores emails encrypted, with the same keyed hash and avatar a submission gets', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, wxr([comment(1, { comment_author_email: 'Secret.Person@Example.org', comment_author_IP: '198.51.100.23' })]))
    const [row] = await t.deps.db.select().from(comments)
    const dump = JSON.stringify(await t.deps.db.execute(sql`select * from comments`)).toLowerCase()
    expect(dump).not.toContain('secret.person')
    expect(await t.deps.secrets.decryptEmail(row?.emailEncrypted ?? '')).toBe('Secret.Person@Example.org')
    expect(row?.emailHash).toBe(await t.deps.secrets.emailHash('secret.person@example.org'))
    expect(row?.avatar).toBe(await t.deps.secrets.avatar('secret.person@example.org'))
    expect(row?.ip).toBe('198.51.100.23')
    const queue = await (await admin.get('/api/v1/moderation/comments?status=approved')).json()
    expect(queue.comments[0]).toMatchObject({ email: 'Secret.Person@Example.org', ip: '198.51.100.23', article: { key: '7' } })
  })

  it('queues no comment.created webhook for history, and logs the import without addresses', async () => {
    const admin = await signIn(t, 'admin')
    const hook = await admin.send('POST', '/api/v1/admin/webhooks', { url: 'https://hooks.example/parley', events: ['comment.created'] })
    expect(hook.status).toBe(201)
    await importOk(t, admin, themeData)
    expect(await t.deps.db.select().from(webhookDeliveries)).toEqual([])
    const [entry] = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'import'))
    expect(entry).toMatchObject({ moderatorId: admin.id, detail: { format: 'wxr', articles: 79, comments: 29, skipped: 4, errors: 0 } })
  })
})

describe('refusing a file', () => {
  it('refuses a file that is not well-formed with the line and column, importing nothing', async () => {
    const admin = await signIn(t, 'admin')
    // Cut off mid-element: the end of the file is where that shows.
    const truncated = themeData.slice(0, 300_000)
    const res = await postImport(t, admin, truncated)
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const message = 'The file cannot be imported (nothing was): line 7432, column 16: unclosed tag: wp:post_name.'
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      code: 'validation_failed',
      detail: message,
      errors: [{ field: 'body', code: 'not_well_formed', message }],
    })
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })

    const broken = wxr([comment(1), comment(2)]).replace(
      '<wp:comment_id><![CDATA[2]]></wp:comment_id>',
      '<wp:comment_id>2</wp:comment_idx>',
    )
    const problem = await (await postImport(t, admin, broken)).json()
    expect(problem.detail).toBe('The file cannot be imported (nothing was): line 6, column 45: unexpected close tag.')
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })

  it('refuses what is not an export, an empty body, and other content types', async () => {
    const admin = await signIn(t, 'admin')
    const html = await (await postImport(t, admin, '<html><body>hi</body></html>')).json()
    expect(html).toMatchObject({
      status: 422,
      detail:
        'The file cannot be imported (nothing was): line 1, column 6: not a WordPress (WXR), Disqus or Parley export: the root element is <html>.',
    })
    expect((await (await postImport(t, admin, '  ')).json()).detail).toBe('The file cannot be imported (nothing was): the file is empty.')
    const text = await postImport(t, admin, themeData, 'text/plain')
    expect(text.status).toBe(415)
    expect((await text.json()).code).toBe('unsupported_media_type')
  })

  it('refuses a file over PARLEY_IMPORT_MAX_MB, by its declared length or as it streams', async () => {
    const admin = await signIn(t, 'admin')
    t.deps.config.importMaxBytes = 100_000
    try {
      const declared = await postImport(t, admin, themeData)
      expect(declared.status).toBe(413)
      expect(await declared.json()).toMatchObject({
        code: 'payload_too_large',
        detail: 'The file is larger than 0 MiB (PARLEY_IMPORT_MAX_MB).',
      })
      const bytes = new TextEncoder().encode(themeData)
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.slice(at, at + 65_536))
          controller.close()
        },
      })
      const res = await t.request('/api/v1/admin/import', {
        method: 'POST',
        headers: { ...admin.headers, 'Content-Type': 'application/xml' },
        body: streamed,
        duplex: 'half',
      } as RequestInit)
      expect(res.status).toBe(413)
      expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
    } finally {
      delete t.deps.config.importMaxBytes
    }
  })

  it('is for admins: 401 without a session, 403 for a moderator', async () => {
    const moderator = await signIn(t, 'moderator')
    expect(
      (await t.request('/api/v1/admin/import', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: themeData })).status,
    ).toBe(401)
    const res = await postImport(t, moderator, themeData)
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('forbidden')
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })
})
