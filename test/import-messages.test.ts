import { describe, expect, it } from 'vitest'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { counts, importOk, postImport } from './support/imports.js'

// What an import says reads as a sentence: a record without an id is named by its place in the
// file, never by a placeholder such as "(none)"; a file of the wrong shape is told what is expected.
const t = await setupTestApp()

const header = { format: 'parley-export', version: 1, exportedAt: '2026-11-26T20:00:00.000Z' }

describe('what an import says', () => {
  it('tells a JSON array what a Parley export is, and a file that is neither XML nor JSON what it should be', async () => {
    const admin = await signIn(t, 'admin')
    const array = await postImport(t, admin, JSON.stringify([{ parley: header }]), 'application/json')
    expect(array.status).toBe(422)
    expect(await array.json()).toMatchObject({
      detail:
        'The file cannot be imported (nothing was): the file is a JSON array; a Parley export is a JSON object, {"parley": {…}, "articles": […], "comments": […]}, as GET /api/v1/admin/export?format=json writes it.',
      errors: [{ field: 'body', code: 'unknown_format' }],
    })
    const text = await postImport(t, admin, 'id,author,comment\n1,Ann,Hello\n', 'application/xml')
    expect(await text.json()).toMatchObject({
      detail:
        'The file cannot be imported (nothing was): the file is neither XML (a WordPress or Disqus export, which starts with "<") nor JSON (a Parley export, which starts with "{").',
      errors: [{ field: 'body', code: 'unknown_format' }],
    })
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
  })

  it('says what a key prefix is, in a sentence naming the parameter', async () => {
    const admin = await signIn(t, 'admin')
    const res = await postImport(t, admin, '<rss/>', 'application/xml', '?keyPrefix=no%20spaces')
    expect((await res.json()).errors).toEqual([
      { field: 'keyPrefix', code: 'invalid_format', message: 'keyPrefix must be 1-100 characters of A-Z a-z 0-9 . _ ~ : @ -.' },
    ])
  })

  it('names a Disqus thread or post without an id by its place in the file', async () => {
    const admin = await signIn(t, 'admin')
    const summary = await importOk(
      t,
      admin,
      `<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><id>story-1</id><forum>news</forum></thread>
<thread><forum>news</forum></thread>
<post dsq:id="2"><message>One</message><createdAt>2019-01-01T00:00:00Z</createdAt><author><email>a@example.org</email><name>A</name></author><thread dsq:id="1"/></post>
<post><message>Two</message><createdAt>2019-01-02T00:00:00Z</createdAt><author><email>b@example.org</email><name>B</name></author><thread dsq:id="1"/></post>
</disqus>`,
    )
    expect(summary.errors).toEqual([{ record: 'thread', id: '#2 in the file', reason: 'it has no dsq:id' }])
    expect(summary.warnings).toEqual([
      { record: 'post', id: '#2 in the file', reason: 'it has no dsq:id: imported, and known again by its author, date and text' },
    ])
  })

  it('names a WordPress comment without an id, and an item without post id or title, by their place in the file', async () => {
    const admin = await signIn(t, 'admin')
    const comment = (
      id: string,
    ) => `<wp:comment>${id}<wp:comment_author>A</wp:comment_author><wp:comment_author_email>a@example.org</wp:comment_author_email>
<wp:comment_date_gmt>2019-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>Hi ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>`
    const summary = await importOk(
      t,
      admin,
      `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://blog.example/</link>
<item><title>First</title><wp:post_id>7</wp:post_id>${comment('<wp:comment_id>1</wp:comment_id>')}${comment('')}</item>
<item><title></title>${comment('<wp:comment_id>3</wp:comment_id>')}</item>
</channel></rss>`,
    )
    expect(summary.warnings).toEqual([
      {
        record: 'comment',
        id: '#2 of item #1 in the file',
        reason: 'it has no wp:comment_id: imported, and known again by its author, date and text',
      },
    ])
    expect(summary.errors).toEqual([{ record: 'comment', id: '3', reason: 'its item has no wp:post_id, nor a ?p= in its link or guid' }])
  })

  it('names a Parley entry it cannot read by its id or key, else by its line, and says which field is wrong', async () => {
    const admin = await signIn(t, 'admin')
    const file = [
      `{"parley":${JSON.stringify(header)},`,
      '"articles":[',
      '{"url":null,"title":null,"open":true,"createdAt":"2026-01-01T00:00:00.000Z"},',
      '{"key":"no spaces","url":null,"title":null,"open":true,"createdAt":"2026-01-01T00:00:00.000Z"}',
      '],',
      '"comments":[',
      '{"article":"story"},',
      '{"id":7,"article":"story"},',
      '"text"',
      ']}',
    ].join('\n')
    const summary = await importOk(t, admin, file, 'application/json')
    expect(summary.errors).toEqual([
      { record: 'article', id: 'at line 3', reason: 'it is not a valid article entry: its key is missing or not valid' },
      { record: 'article', id: 'no spaces', reason: 'its key is not a valid article key' },
      { record: 'comment', id: 'at line 7', reason: 'it is not a valid comment entry: its id is missing or not valid' },
      { record: 'comment', id: '7', reason: 'it is not a valid comment entry: its parentId is missing or not valid' },
      { record: 'comment', id: 'at line 9', reason: 'it is not a valid comment entry: it is not an object' },
    ])
  })
})
