import { describe, expect, it } from 'vitest'
import { asc, eq, sql } from 'drizzle-orm'
import { articles, comments, removedSources } from '../src/db/schema.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/comments/spam-jobs.js'
import { setupTestApp } from './support/test-app.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { counts, fixture, importOk, postImport, tableSnapshot } from './support/imports.js'
import { secondParley } from './support/second-parley.js'

const t = await setupTestApp()
const fresh = await secondParley(t)
const themeData = fixture('wordpress/themeunittestdata.wordpress.xml')
const disqusSample = fixture('disqus/export-sample.xml')

/** Another WordPress blog: its own site URL, and comment ids (881, 904, 905) that the theme test data uses too. */
const otherBlog = (
  site = 'https://other-blog.example/',
  dates = ['2015-05-05 10:00:00', '2015-05-05 11:00:00', '2015-05-05 12:00:00'],
) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Other</title><link>${site}</link><wp:base_site_url>${site}</wp:base_site_url><wp:base_blog_url>${site}</wp:base_blog_url>
<item><title>Other post</title><wp:post_id>99001</wp:post_id><wp:post_type>post</wp:post_type>
${[881, 904, 905]
  .map(
    (id, i) => `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Other ${id}</wp:comment_author>
<wp:comment_author_email>other${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>${dates[i]}</wp:comment_date_gmt>
<wp:comment_content>Other blog's comment ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>${id === 905 ? 904 : 0}</wp:comment_parent></wp:comment>`,
  )
  .join('\n')}
</item></channel></rss>`

const exportJson = async (admin: SignedIn) => (await admin.get('/api/v1/admin/export?format=json')).text()
const exportWxr = async (admin: SignedIn) => (await admin.get('/api/v1/admin/export?format=wxr')).text()
/** Each comment's source identity, as exports name it (Parley's own by the Parley's id). */
const identities = async (admin: SignedIn) =>
  (JSON.parse(await exportJson(admin)).comments as { source: string; sourceSite: string; sourceId: string }[])
    .map((c) => [c.source, c.sourceSite, c.sourceId])
    .sort()

describe('a comment is its source, its site and its id there', () => {
  it("keeps a second WordPress site's comments whose ids the first one used, and links their replies within their own site", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const summary = await importOk(t, admin, otherBlog())
    expect(summary).toMatchObject({ comments: 3, errors: [], details: { alreadyImported: 0, replies: 1 } })
    const other = await t.deps.db
      .select()
      .from(comments)
      .where(eq(comments.sourceSite, 'other-blog.example'))
      .orderBy(asc(comments.createdAt))
    expect(other.map((c) => [c.sourceId, c.body])).toEqual([
      ['881', "Other blog's comment 881"],
      ['904', "Other blog's comment 904"],
      ['905', "Other blog's comment 905"],
    ])
    // WordPress's ids are taken: new ones drawn. 905 answers this blog's 904, not the theme data's.
    expect(other[2]?.parentId).toBe(other[1]?.id)
    expect(other[1]?.id).not.toBe(904)
    expect((await t.deps.db.select().from(comments).where(eq(comments.id, 904)))[0]).toMatchObject({
      source: 'wordpress',
      sourceSite: 'wpthemetestdata.wordpress.com',
      sourceId: '904',
    })
  })

  it('takes a site that moved from http to https, or gained a trailing slash, for the same site', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const before = await tableSnapshot(t)
    const moved = themeData.replaceAll(
      '<wp:base_blog_url>https://wpthemetestdata.wordpress.com</wp:base_blog_url>',
      '<wp:base_blog_url>http://WPThemeTestData.wordpress.com/</wp:base_blog_url>',
    )
    expect(moved).not.toBe(themeData)
    expect(await importOk(t, admin, moved)).toMatchObject({ comments: 0, details: { alreadyImported: 29 } })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it("matches comments imported before sites were kept by source, id and date: a re-import changes nothing, another site's same id comes in", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    // As migration 0005 leaves rows imported before it.
    await t.deps.db.update(comments).set({ sourceSite: '' })
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, themeData)).toMatchObject({ comments: 0, warnings: [], details: { alreadyImported: 29 } })
    expect(await tableSnapshot(t)).toEqual(before)
    expect(await importOk(t, admin, otherBlog())).toMatchObject({ comments: 3, details: { alreadyImported: 0 } })
  })

  it('says so when a comment of the same site and id has another date, and imports it when told it is another site', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, otherBlog())
    const reinstalled = otherBlog(undefined, ['2020-01-01 00:00:00', '2020-01-01 00:00:01', '2020-01-01 00:00:02'])
    const summary = await importOk(t, admin, reinstalled)
    expect(summary).toMatchObject({ comments: 0, details: { alreadyImported: 3 } })
    expect(summary.warnings[0]).toEqual({
      record: 'comment',
      id: '881',
      reason:
        "a comment with its source and id was imported before, dated 2015-05-05 10:00:00 UTC: taken for it, not imported (if this file is another site's, import it naming its site)",
    })
    expect(await importOk(t, admin, reinstalled, 'application/xml', '?site=other-blog.example/second-install')).toMatchObject({
      comments: 3,
      warnings: [
        {
          record: 'item',
          id: '99001',
          reason:
            'its article 99001 already holds comments from the WordPress site other-blog.example; these come from the WordPress site other-blog.example/second-install: joined as one article (if they are two, import with a key prefix)',
        },
      ],
    })
    expect((await counts(t)).comments).toBe(6)
  })

  it("warns when two sites' post ids meet in one article, naming both, and keeps them apart with a key prefix", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, fixture('wordpress/importer-tests/wpi-small-export.xml'))
    const preview = fixture('wordpress/theme-preview.xml')
    const shared = await importOk(t, admin, preview)
    expect(shared.comments).toBe(2)
    expect(shared.warnings).toContainEqual({
      record: 'item',
      id: '1',
      reason:
        'its article 1 already holds comments from the WordPress site localhost; these come from the WordPress site wp-themes.com, whose URL for it is https://wp-themes.com/?p=1, not http://localhost/?p=1: joined as one article (if they are two, import with a key prefix)',
    })

    await t.database.db.execute(sql`truncate comments, articles cascade`)
    await importOk(t, admin, fixture('wordpress/importer-tests/wpi-small-export.xml'))
    const apart = await importOk(t, admin, preview, 'application/xml', '?keyPrefix=preview-')
    expect(apart.warnings.filter((w: { reason: string }) => w.reason.includes('joined as one article'))).toEqual([])
    const keys = await t.deps.db
      .selectDistinct({ key: articles.key })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(eq(comments.sourceSite, 'wp-themes.com'))
    expect(keys.map((a) => a.key).sort()).toEqual(['preview-1', 'preview-8'])
    const bad = await postImport(t, admin, preview, 'application/xml', '?keyPrefix=no%20spaces')
    expect(bad.status).toBe(422)
  })
})

describe('two sources, one article', () => {
  const commentsUrl = 'https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/'
  /** A Disqus forum's thread with the given identifier and link, and one post in it. */
  const disqusThread = (identifier: string, link: string) => `<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="77"><id>${identifier}</id><forum>news-forum</forum><link>${link}</link><title>Template: Comments</title><createdAt>2013-01-01T00:00:00Z</createdAt></thread>
<post dsq:id="78"><message>From Disqus</message><createdAt>2013-02-01T10:00:00Z</createdAt><author><email>d@example.org</email><name>D</name></author><thread dsq:id="77"/></post>
</disqus>`

  it("joins another source's comments to the article with the same key and the same URL, and says so, naming the key and both sources", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const summary = await importOk(t, admin, disqusThread('1148', commentsUrl))
    expect(summary).toMatchObject({ articles: 0, comments: 1, errors: [] })
    expect(summary.warnings).toEqual([
      {
        record: 'thread',
        id: '77',
        reason:
          'its article 1148 already holds comments from the WordPress site wpthemetestdata.wordpress.com; these come from the Disqus forum news-forum, at the same URL: joined as one article',
      },
    ])
    expect(
      new Set(
        (
          await t.deps.db.select().from(comments).innerJoin(articles, eq(articles.id, comments.articleId)).where(eq(articles.key, '1148'))
        ).map((r) => r.comments.source),
      ),
    ).toEqual(new Set(['wordpress', 'disqus']))
  })

  it('says when the two agree on the key but not the URL: maybe two articles (a key prefix keeps them apart)', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const summary = await importOk(t, admin, disqusThread('1148', 'https://news.example/another-story/'))
    expect(summary.warnings).toEqual([
      {
        record: 'thread',
        id: '77',
        reason: `its article 1148 already holds comments from the WordPress site wpthemetestdata.wordpress.com; these come from the Disqus forum news-forum, whose URL for it is https://news.example/another-story/, not ${commentsUrl}: joined as one article (if they are two, import with a key prefix)`,
      },
    ])
  })

  it('keeps apart, and says so, a new article whose URL is that of an article here under another key', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const summary = await importOk(t, admin, disqusThread('template-comments', commentsUrl))
    expect(summary).toMatchObject({ articles: 1, comments: 1 })
    expect(summary.warnings).toEqual([
      {
        record: 'thread',
        id: '77',
        reason:
          'its URL is also that of article 1148: imported apart, under key template-comments (if they are one article, join them with `npm run move -- template-comments 1148`)',
      },
    ])
  })

  it("says nothing when a file's comments join readers' own comments, or comments of their own site", async () => {
    const admin = await signIn(t, 'admin')
    await t.setSettings(openSettings)
    await postComment(t, '1148')
    const first = await importOk(t, admin, themeData)
    expect(first.warnings).toEqual([])
    // A later export of the same blog: a new comment on the same post.
    const later = otherBlog('https://wpthemetestdata.wordpress.com/')
      .replace('<wp:post_id>99001</wp:post_id>', '<wp:post_id>1148</wp:post_id>')
      .replaceAll(/<wp:comment_id>(\d+)<\/wp:comment_id>/g, '<wp:comment_id>9$1</wp:comment_id>')
      .replaceAll(
        /<wp:comment_parent>(\d+)<\/wp:comment_parent>/g,
        (_, id) => `<wp:comment_parent>${id === '0' ? 0 : `9${id}`}</wp:comment_parent>`,
      )
    expect(await importOk(t, admin, later)).toMatchObject({ comments: 3, warnings: [] })
  })
})

describe('what a moderator removed stays removed', () => {
  it('does not bring back a comment a moderator deleted for good, and the tombstone holds no personal data', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    expect((await admin.send('DELETE', '/api/v1/moderation/comments/881')).status).toBe(204)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, themeData)).toMatchObject({
      comments: 0,
      skipped: 33,
      details: { alreadyImported: 28, removedBefore: 1 },
    })
    expect(await tableSnapshot(t)).toEqual(before)
    expect(await t.deps.db.select().from(removedSources)).toEqual([
      {
        source: 'wordpress',
        sourceSite: 'wpthemetestdata.wordpress.com',
        sourceId: '881',
        commentId: 881,
        sourceCreatedAt: new Date('2012-09-03T17:18:04.000Z'),
        removedAt: t.now(),
      },
    ])
  })

  it('does not bring back purged spam and trash', async () => {
    const admin = await signIn(t, 'admin')
    await t.setSettings({ purgeAfterDays: 30 })
    await importOk(t, admin, themeData)
    expect((await admin.send('PATCH', '/api/v1/moderation/comments/920', { status: 'trash' })).status).toBe(200)
    t.advance(31 * 86_400)
    expect(await runJobs(t.deps, t.now(), spamJobs)).toMatchObject({ purged: 1 })
    expect(await importOk(t, await signIn(t, 'admin'), themeData)).toMatchObject({
      comments: 0,
      details: { alreadyImported: 28, removedBefore: 1 },
    })
    expect(await t.deps.db.select().from(comments).where(eq(comments.id, 920))).toEqual([])
  })
})

describe("Parley's own export, imported back", () => {
  /** Theme test data, the Disqus sample, a comment written here and a moderator's reply to it. */
  async function populate() {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    await importOk(t, admin, disqusSample)
    await t.setSettings(openSettings)
    const own = (await postComment(t, 'my-story', { body: 'Written here' })).comment
    expect((await admin.send('POST', `/api/v1/moderation/comments/${own.id}/replies`, { body: 'Thanks!' })).status).toBe(201)
    return { admin, own }
  }

  it('changes nothing when its JSON export comes back into the same Parley, and keeps what was deleted deleted', async () => {
    const { admin, own } = await populate()
    const exported = await exportJson(admin)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, exported, 'application/json')).toMatchObject({
      comments: 0,
      errors: [],
      details: { alreadyImported: 37 },
    })
    expect(await tableSnapshot(t)).toEqual(before)
    expect((await admin.send('DELETE', `/api/v1/moderation/comments/${own.id}`)).status).toBe(204)
    expect(await importOk(t, admin, exported, 'application/json')).toMatchObject({
      comments: 0,
      details: { alreadyImported: 36, removedBefore: 1 },
    })
  })

  it('changes nothing when its WXR export comes back into the same Parley: WordPress, Disqus and its own comments each known', async () => {
    const { admin } = await populate()
    const wxr = await exportWxr(admin)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, wxr)).toMatchObject({ format: 'wxr', comments: 0, errors: [], details: { alreadyImported: 37 } })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it('recognizes its older exports, which named no site, by id and date', async () => {
    const { admin } = await populate()
    const json = (await exportJson(admin)).replace(/,"sourceSite":(null|"[^"]*")/g, '')
    expect(json).not.toContain('sourceSite')
    const wxr = (await exportWxr(admin)).replace(/\t*<wp:commentmeta>[\s\S]*?<\/wp:commentmeta>\n/g, '')
    expect(wxr).not.toContain('parley_source')
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, json, 'application/json')).toMatchObject({ comments: 0, details: { alreadyImported: 37 } })
    expect(await importOk(t, admin, wxr)).toMatchObject({ comments: 0, details: { alreadyImported: 37 } })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it("keeps each comment's first source through a fresh Parley, so that both exports of it import once", async () => {
    const { admin } = await populate()
    const freshAdmin = await signIn(fresh, 'admin')
    const wxr = await exportWxr(admin)
    expect(await importOk(fresh, freshAdmin, wxr)).toMatchObject({ comments: 37, errors: [] })
    expect(await identities(freshAdmin)).toEqual(await identities(admin))
    expect(await importOk(fresh, freshAdmin, await exportJson(admin), 'application/json')).toMatchObject({
      comments: 0,
      details: { alreadyImported: 37 },
    })
    expect(await importOk(fresh, freshAdmin, themeData)).toMatchObject({ comments: 0, details: { alreadyImported: 29 } })
    expect(await importOk(fresh, freshAdmin, disqusSample)).toMatchObject({ comments: 0, details: { alreadyImported: 6 } })
  })
})
