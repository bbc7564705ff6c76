import { describe, expect, it } from 'vitest'
import { asc } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { counts, importOk, postImport } from './support/imports.js'

// Values PostgreSQL cannot store (NUL in text or jsonb; a year outside 1–9999) must never reach
// it from an import: each is cleaned or refused with a warning or error naming its record, or the
// request is refused with a problem, never a 500.
const t = await setupTestApp()

const header = { format: 'parley-export', version: 1, exportedAt: '2026-11-26T20:00:00.000Z' }
const article = (key = 'story', fields: Record<string, unknown> = {}) => ({
  key,
  url: null,
  title: null,
  open: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
})
const comment = (id: number, fields: Record<string, unknown> = {}) => ({
  id,
  article: 'story',
  parentId: null,
  status: 'approved',
  author: { name: `Reader ${id}`, url: null, email: `reader${id}@example.org`, moderator: null },
  ip: null,
  userAgent: null,
  body: `Comment ${id}`,
  html: '',
  checks: [],
  createdAt: `2026-01-0${(id % 9) + 1}T10:00:00.000Z`,
  editedAt: null,
  source: 'wordpress',
  sourceSite: 'blog.example',
  sourceId: String(id),
  ...fields,
})
const parleyFile = (articleList: unknown[], commentList: unknown[]) =>
  JSON.stringify({ parley: header, articles: articleList, comments: commentList })

const wxr = (commentXml: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://blog.example/</link>
<item><title>Story</title><wp:post_id>7</wp:post_id><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt><wp:post_type>post</wp:post_type>${commentXml}</item>
</channel></rss>`
const wxrComment = (
  id: number,
  gmt: string,
  local: string,
) => `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>A</wp:comment_author>
<wp:comment_author_email>a${id}@example.org</wp:comment_author_email><wp:comment_date>${local}</wp:comment_date><wp:comment_date_gmt>${gmt}</wp:comment_date_gmt>
<wp:comment_content>Text ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>`

const disqusFile = (createdAt: string) => `<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><id>story-1</id><forum>news</forum><createdAt>${createdAt}</createdAt></thread>
<post dsq:id="2"><message>Hi</message><createdAt>${createdAt}</createdAt><author><email>p@example.org</email><name>P</name></author><thread dsq:id="1"/></post>
</disqus>`

describe('text PostgreSQL cannot hold', () => {
  it('refuses a comment whose source, site, id or article holds a NUL or other control character, naming it; cleans its checks and moderator email', async () => {
    const admin = await signIn(t, 'admin')
    const file = parleyFile(
      [article()],
      [
        comment(1, { source: 'word\u0000press' }),
        comment(2, { sourceSite: 'blog\u0000.example' }),
        comment(3, { sourceId: '3\u0000' }),
        comment(4, { article: 'sto\u0000ry' }),
        comment(5, {
          checks: [{ filter: 'wp\u0000rules', verdict: 'approve', reason: 'fine\u0000' }],
          author: { name: 'Mod', url: null, email: null, moderator: { email: 'mod\u0000@example.org', name: 'M\u0000od' } },
        }),
        comment(6, { sourceSite: 'blog.example\u0007' }),
      ],
    )
    const res = await postImport(t, admin, file, 'application/json')
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({ comments: 1, details: { errorCount: 5 } })
    expect(summary.errors).toEqual([
      { record: 'comment', id: '1', reason: 'its source holds a control character: not imported' },
      { record: 'comment', id: '2', reason: 'its sourceSite holds a control character: not imported' },
      { record: 'comment', id: '3', reason: 'its sourceId holds a control character: not imported' },
      { record: 'comment', id: '4', reason: 'its article holds a control character: not imported' },
      { record: 'comment', id: '6', reason: 'its sourceSite holds a control character: not imported' },
    ])
    const [stored] = await t.deps.db.select().from(comments)
    expect(stored?.checks).toEqual([{ filter: 'wp rules', verdict: 'approve', reason: 'fine' }])
    expect(stored?.sourceId).toBe('5')
  })

  it('refuses a ?site= with a control character (422 naming the field), importing nothing', async () => {
    const admin = await signIn(t, 'admin')
    const res = await postImport(
      t,
      admin,
      parleyFile([article()], [comment(1)]),
      'application/json',
      `?site=${encodeURIComponent('blog\u0000.example')}`,
    )
    expect(res.status).toBe(422)
    expect((await res.json()).errors).toEqual([
      { field: 'site', code: 'invalid_format', message: 'site must not hold control characters.' },
    ])
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })
})

describe('dates PostgreSQL cannot hold', () => {
  it("dates a JSON comment of year 0, 10000, a negative year or before 1000 (WordPress's range) at the import, with a warning; an article likewise; an edit date is dropped", async () => {
    const admin = await signIn(t, 'admin')
    const file = parleyFile(
      [article('story', { createdAt: '0000-01-01T00:00:00.000Z' }), article('later', { createdAt: '9999-12-31T23:30:00-01:00' })],
      [
        comment(1, { createdAt: '0000-01-01T00:00:00.000Z' }),
        comment(2, { createdAt: '9999-12-31T23:59:59-01:00' }),
        comment(3, { createdAt: '-000001-01-01T00:00:00.000Z' }),
        comment(4, { editedAt: '0000-06-01T00:00:00.000Z' }),
        comment(5, { createdAt: '1000-01-01T00:00:00.000Z', article: 'later' }),
        comment(6, { createdAt: '0999-12-31T23:59:59.999Z' }),
      ],
    )
    const res = await postImport(t, admin, file, 'application/json')
    expect(res.status).toBe(200)
    const summary = await res.json()
    expect(summary).toMatchObject({ articles: 2, comments: 6, errors: [] })
    const undated = (id: number) => ({
      record: 'comment',
      id: String(id),
      reason: 'it has no valid date: dated at the import, as WordPress does',
    })
    expect(summary.warnings).toEqual([
      undated(1),
      undated(2),
      undated(3),
      { record: 'comment', id: '4', reason: 'its edit date is not a valid date: dropped' },
      undated(6),
    ])
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((c) => [c.id, c.createdAt.toISOString(), c.editedAt])).toEqual([
      [1, t.now().toISOString(), null],
      [2, t.now().toISOString(), null],
      [3, t.now().toISOString(), null],
      [4, '2026-01-05T10:00:00.000Z', null],
      [5, '1000-01-01T00:00:00.000Z', null],
      [6, t.now().toISOString(), null],
    ])
    expect((await t.deps.db.select().from(articles).orderBy(asc(articles.key))).map((a) => a.createdAt.toISOString())).toEqual([
      t.now().toISOString(),
      t.now().toISOString(),
    ])
  })

  it("reads a WordPress date as WordPress does: the GMT date, else the local one; none valid (year 1, Feb 30) is the import's", async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(
      t,
      admin,
      wxr(
        [
          wxrComment(1, '0000-00-00 00:00:00', '2019-05-01 12:00:00'),
          wxrComment(2, '0000-00-00 00:00:00', '0000-00-00 00:00:00'),
          wxrComment(3, '0001-01-01 00:00:00', '0001-01-01 00:00:00'),
          wxrComment(4, '2019-02-30 10:00:00', '2019-13-01 10:00:00'),
          wxrComment(5, '1000-01-01 00:00:00', '1000-01-01 00:00:00'),
        ].join('\n'),
      ),
    )
    expect(summary.warnings).toEqual(
      [2, 3, 4].map((id) => ({
        record: 'comment',
        id: String(id),
        reason: 'it has no valid date: dated at the import, as WordPress does',
      })),
    )
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((c) => c.createdAt.toISOString())).toEqual([
      '2019-05-01T12:00:00.000Z',
      t.now().toISOString(),
      t.now().toISOString(),
      t.now().toISOString(),
      '1000-01-01T00:00:00.000Z',
    ])
  })

  it('dates a Disqus post and thread of year 0 at the import, with a warning', async () => {
    const admin = await signIn(t, 'admin')
    const res = await postImport(t, admin, disqusFile('0000-01-01T00:00:00Z'))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      comments: 1,
      warnings: [{ record: 'post', id: '2', reason: 'it has no valid date: dated at the import, as WordPress does' }],
    })
    expect((await t.deps.db.select().from(articles))[0]?.createdAt.toISOString()).toBe(t.now().toISOString())
  })
})
