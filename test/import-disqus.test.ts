import { describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { disqusBody } from '../src/importers/disqus-reader.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { counts, fixture, importOk, postImport, tableSnapshot } from './support/imports.js'

const t = await setupTestApp()
const sample = fixture('disqus/export-sample.xml')

const sampleSummary = {
  format: 'disqus',
  articles: 4,
  comments: 6,
  skipped: 0,
  errors: [],
  warnings: [
    { record: 'thread', id: '3', reason: 'it has no identifier: imported under key 3' },
    { record: 'thread', id: '7', reason: 'it has no identifier: imported under key 7' },
    { record: 'thread', id: '1337', reason: 'it is not in the file, but 1 post names it: imported under key 1337' },
  ],
  details: {
    existingArticles: 0,
    updatedArticles: 0,
    statuses: { approved: 5, pending: 0, spam: 0, trash: 1 },
    replies: 2,
    longestChain: 2,
    pings: 0,
    otherTypes: 0,
    alreadyImported: 0,
    removedBefore: 0,
    errorCount: 0,
    warningCount: 3,
  },
}

/** A Disqus export of the given top-level elements. */
const disqus = (...elements: string[]) => `<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
${elements.join('\n')}
</disqus>`

const thread = (id: number, fields = '') =>
  `<thread dsq:id="${id}"><id>story-${id}</id><link>https://news.example/${id}/</link><title>Story ${id}</title><createdAt>2019-01-01T00:00:00Z</createdAt>${fields}</thread>`
const post = (id: number, threadId: number, fields = '') =>
  `<post dsq:id="${id}"><message><![CDATA[<p>Post ${id}</p>]]></message>` +
  `<createdAt>2019-02-0${(id % 9) + 1}T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>` +
  `<author><email>p${id}@example.org</email><name>Poster ${id}</name></author><ipAddress>192.0.2.${id}</ipAddress><thread dsq:id="${threadId}"/>${fields}</post>`

describe('importing a Disqus export', () => {
  it("imports the sample: 3 threads, 6 posts (1 deleted, to the trash), 2 replies; the post whose thread is missing under that thread's id, with warnings", async () => {
    const admin = await signIn(t, 'admin')
    expect(await importOk(t, admin, sample)).toEqual(sampleSummary)
    const rows = await t.deps.db.select().from(articles).orderBy(asc(articles.key))
    // A thread's key is its identifier, or its dsq:id when it has none (or is not in the file).
    expect(rows.map((a) => [a.key, a.url, a.title, a.open, a.commentCount])).toEqual([
      ['1337', null, null, true, 1],
      ['3', null, null, true, 0],
      ['7', 'http://localhost:4000/blog/2013/02/12/redacted/index.html', null, true, 1],
      ['some-id', 'http://example.org/', 'Hello, World!', true, 3],
    ])
    const stored = await t.deps.db.select().from(comments).orderBy(asc(comments.createdAt), asc(comments.sourceId))
    expect(stored.map((c) => [c.sourceId, c.status, c.depth, c.body, c.source])).toEqual([
      ['4', 'approved', 0, '...', 'disqus'],
      ['6', 'approved', 0, '...', 'disqus'],
      ['9', 'trash', 0, '', 'disqus'],
      ['5', 'approved', 1, 'Hello, World.', 'disqus'],
      ['8', 'approved', 0, 'Message from thread with empty title and id', 'disqus'],
      ['11', 'approved', 1, 'Hello, World.', 'disqus'],
    ])

    // The deleted post stays as a placeholder for its published reply.
    const page = await (await t.request('/api/v1/articles/some-id/comments')).json()
    expect(page.article).toMatchObject({ key: 'some-id', commentCount: 3 })
    const shape = (c: { author: { name: string }; html: string; removed: boolean; replies: unknown[] }) => [
      c.author.name,
      c.html,
      c.removed,
      c.replies.length,
    ]
    expect(page.comments.map(shape)).toEqual([
      ['peter', '<p>...</p>', false, 1],
      ['', '', true, 1],
    ])
    expect(page.comments[0].replies[0]).toMatchObject({ author: { name: 'user' }, html: '<p>Hello, World.</p>', depth: 1 })
  })

  it('changes nothing when the same file is imported again (the warnings are given again)', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, sample)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, sample)).toEqual({
      ...sampleSummary,
      articles: 0,
      comments: 0,
      skipped: 6,
      details: {
        ...sampleSummary.details,
        existingArticles: 4,
        statuses: { approved: 0, pending: 0, spam: 0, trash: 0 },
        replies: 0,
        longestChain: 0,
        alreadyImported: 6,
      },
    })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it('resolves posts that come before their thread and replies before their parent', async () => {
    const admin = await signIn(t, 'admin')
    const file = disqus(post(30, 1, '<parent dsq:id="20"/>'), post(20, 1, '<parent dsq:id="10"/>'), post(10, 1), thread(1))
    expect(await importOk(t, admin, file)).toMatchObject({ articles: 1, comments: 3, errors: [], details: { replies: 2, longestChain: 3 } })
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.path))
    expect(rows.map((c) => [c.sourceId, c.depth])).toEqual([
      ['10', 0],
      ['20', 1],
      ['30', 2],
    ])
    expect(rows[2]?.parentId).toBe(rows[1]?.id)
    expect((await t.deps.db.select().from(articles))[0]).toMatchObject({ key: 'story-1', commentCount: 3 })
  })

  it('maps spam, closed threads, unusable identifiers and posts without email', async () => {
    const admin = await signIn(t, 'admin')
    const file = disqus(
      thread(1, '<isClosed>true</isClosed>'),
      thread(2).replace('<id>story-2</id>', '<id>2 https://news.example/?p=2</id>'),
      post(10, 1, '').replace('<isSpam>false</isSpam>', '<isSpam>true</isSpam>'),
      post(11, 2, '').replace('<email>p11@example.org</email>', ''),
    )
    const summary = await importOk(t, admin, file)
    expect(summary).toMatchObject({ articles: 2, comments: 2, errors: [], details: { statuses: { spam: 1, approved: 1 } } })
    expect(summary.warnings).toEqual([
      {
        record: 'thread',
        id: '2',
        reason: 'its identifier "2 https://news.example/?p=2" is not a valid article key: imported under key 2',
      },
      { record: 'post', id: '11', reason: 'it has no email address: imported without one' },
    ])
    const rows = await t.deps.db.select().from(articles).orderBy(asc(articles.key))
    expect(rows.map((a) => [a.key, a.open, a.commentCount])).toEqual([
      ['2', true, 1],
      ['story-1', false, 0],
    ])
  })

  it('imports a loop of parents as WordPress does: its first comment top-level (a warning), the rest below it', async () => {
    const admin = await signIn(t, 'admin')
    const file = disqus(
      thread(1),
      post(10, 1),
      post(11, 1, '<parent dsq:id="12"/>'),
      post(12, 1, '<parent dsq:id="11"/>'),
      post(13, 1, '<parent dsq:id="13"/>'),
    )
    const summary = await importOk(t, admin, file)
    expect(summary).toMatchObject({ comments: 4, errors: [], details: { replies: 1, longestChain: 2 } })
    expect(summary.warnings).toEqual([
      { record: 'post', id: '11', reason: 'its chain of parents loops back on itself: imported as a top-level comment' },
      { record: 'post', id: '13', reason: 'its chain of parents loops back on itself: imported as a top-level comment' },
    ])
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.sourceId))
    const id = (sourceId: string) => rows.find((c) => c.sourceId === sourceId)?.id
    expect(rows.map((c) => [c.sourceId, c.parentId, c.depth])).toEqual([
      ['10', null, 0],
      ['11', null, 0],
      ['12', id('11'), 1],
      ['13', null, 0],
    ])
  })

  it('says so when two threads share an identifier and their posts join one article', async () => {
    const admin = await signIn(t, 'admin')
    const file = disqus(thread(1), thread(2).replace('<id>story-2</id>', '<id>story-1</id>'), post(10, 1), post(11, 2))
    const summary = await importOk(t, admin, file)
    expect(summary).toMatchObject({ articles: 1, comments: 2, errors: [] })
    expect(summary.warnings).toEqual([
      { record: 'thread', id: '2', reason: 'its key story-1 is also that of thread 1: the comments of both join one article' },
    ])
    expect((await t.deps.db.select().from(articles))[0]).toMatchObject({ key: 'story-1', commentCount: 2 })
  })

  it('refuses a file that is not well-formed with the line and column, importing nothing', async () => {
    const admin = await signIn(t, 'admin')
    const res = await postImport(t, admin, sample.replace('<isSpam>false</isSpam>', '<isSpam>false</isspam>'))
    expect(res.status).toBe(422)
    expect((await res.json()).detail).toBe('The file cannot be imported (nothing was): line 38, column 30: unexpected close tag.')
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })

  it("turns Disqus's paragraphs back into the text a reader typed", () => {
    expect(disqusBody('<p>One<br>line</p><p>Two <b>bold</b></p>')).toBe('One\nline\n\nTwo <b>bold</b>')
    expect(disqusBody('plain')).toBe('plain')
  })

  it("stores the posters' emails encrypted, found by their keyed hash", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, sample)
    const rows = await t.deps.db
      .select()
      .from(comments)
      .where(eq(comments.emailHash, await t.deps.secrets.emailHash('foo@bar.com')))
    expect(rows.map((r) => r.sourceId).sort()).toEqual(['11', '4', '5', '6', '9'])
    for (const row of rows) {
      expect(row.emailEncrypted).not.toContain('foo')
      expect(await t.deps.secrets.decryptEmail(row.emailEncrypted ?? '')).toBe('foo@bar.com')
    }
  })
})
