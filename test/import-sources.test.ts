import { describe, expect, it } from 'vitest'
import { asc, eq, sql } from 'drizzle-orm'
import { articles, comments, removedSources } from '../src/db/schema.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/spam/spam-jobs.js'
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
const otherBlog = (site = 'https://other-blog.example/', dates = ['2015-05-05 10:00:00', '2015-05-05 11:00:00', '2015-05-05 12:00:00']) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Other</title><link>${site}</link><wp:base_site_url>${site}</wp:base_site_url><wp:base_blog_url>${site}</wp:base_blog_url>
<item><title>Other post</title><wp:post_id>99001</wp:post_id><wp:post_type>post</wp:post_type>
${[881, 904, 905].map((id, i) => `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Other ${id}</wp:comment_author>
<wp:comment_author_email>other${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>${dates[i]}</wp:comment_date_gmt>
<wp:comment_content>Other blog's comment ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>${id === 905 ? 904 : 0}</wp:comment_parent></wp:comment>`).join('\n')}
</item></channel></rss>`

const exportJson = async (admin: SignedIn) => (await admin.get('/api/v1/admin/export?format=json')).text()
const exportWxr = async (admin: SignedIn) => (await admin.get('/api/v1/admin/export?format=wxr')).text()
/** Each comment's source identity, as exports name it (Parley's own by the Parley's id). */
const identities = async (admin: SignedIn) => (JSON.parse(await exportJson(admin)).comments as { source: string; sourceSite: string; sourceId: string }[])
  .map((c) => [c.source, c.sourceSite, c.sourceId]).sort()

describe('a comment is its source, its site and its id there', () => {
  it('keeps a second WordPress site\'s comments whose ids the first one used, and links their replies within their own site', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const summary = await importOk(t, admin, otherBlog())
    expect(summary).toMatchObject({ comments: 3, errors: [], details: { alreadyImported: 0, replies: 1 } })
    const other = await t.deps.db.select().from(comments).where(eq(comments.sourceSite, 'other-blog.example')).orderBy(asc(comments.createdAt))
    expect(other.map((c) => [c.sourceId, c.body])).toEqual([['881', 'Other blog\'s comment 881'], ['904', 'Other blog\'s comment 904'], ['905', 'Other blog\'s comment 905']])
    // WordPress's ids are taken: new ones drawn. 905 answers this blog's 904, not the theme data's.
    expect(other[2]?.parentId).toBe(other[1]?.id)
    expect(other[1]?.id).not.toBe(904)
    expect((await t.deps.db.select().from(comments).where(eq(comments.id, 904)))[0]).toMatchObject({ source: 'wordpress', sourceSite: 'wpthemetestdata.wordpress.com', sourceId: '904' })
  })

  it('takes a site that moved from http to https, or gained a trailing slash, for the same site', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const before = await tableSnapshot(t)
    const moved = themeData.replaceAll('<wp:base_blog_url>https://wpthemetestdata.wordpress.com</wp:base_blog_url>', '<wp:base_blog_url>http://WPThemeTestData.wordpress.com/</wp:base_blog_url>')
    expect(moved).not.toBe(themeData)
    expect(await importOk(t, admin, moved)).toMatchObject({ comments: 0, details: { alreadyImported: 29 } })
    expect(await tableSnapshot(t)).toEqual(before)
  })

  it('matches comments imported before sites were kept by source, id and date: a re-import changes nothing, another site\'s same id comes in', async () => {
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
      record: 'comment', id: '881',
      reason: 'a comment with its source and id was imported before, dated 2015-05-05 10:00:00 UTC: taken for it, not imported (if this file is another site\'s, import it naming its site)',
    })
    expect(await importOk(t, admin, reinstalled, 'application/xml', '?site=other-blog.example/second-install')).toMatchObject({
      comments: 3,
      warnings: [{
        record: 'item', id: '99001',
        reason: 'its article 99001 already holds wordpress comments from other-blog.example, another site than other-blog.example/second-install: the comments of both share it (a key prefix keeps the sites apart)',
      }],
    })
    expect((await counts(t)).comments).toBe(6)
  })

  it('warns when two sites\' post ids meet in one article, naming both, and keeps them apart with a key prefix', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, fixture('wordpress/importer-tests/wpi-small-export.xml'))
    const preview = fixture('wordpress/theme-preview.xml')
    const shared = await importOk(t, admin, preview)
    expect(shared.comments).toBe(2)
    expect(shared.warnings).toContainEqual({
      record: 'item', id: '1',
      reason: 'its article 1 already holds wordpress comments from localhost, another site than wp-themes.com: the comments of both share it (a key prefix keeps the sites apart)',
    })

    await t.database.db.execute(sql`truncate comments, articles cascade`)
    await importOk(t, admin, fixture('wordpress/importer-tests/wpi-small-export.xml'))
    const apart = await importOk(t, admin, preview, 'application/xml', '?keyPrefix=preview-')
    expect(apart.warnings.filter((w: { reason: string }) => w.reason.includes('share it'))).toEqual([])
    const keys = await t.deps.db.selectDistinct({ key: articles.key }).from(comments).innerJoin(articles, eq(articles.id, comments.articleId))
      .where(eq(comments.sourceSite, 'wp-themes.com'))
    expect(keys.map((a) => a.key).sort()).toEqual(['preview-1', 'preview-8'])
    const bad = await postImport(t, admin, preview, 'application/xml', '?keyPrefix=no%20spaces')
    expect(bad.status).toBe(422)
  })
})

describe('what a moderator removed stays removed', () => {
  it('does not bring back a comment a moderator deleted for good, and the tombstone holds no personal data', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    expect((await admin.send('DELETE', '/api/v1/moderation/comments/881')).status).toBe(204)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, themeData)).toMatchObject({ comments: 0, skipped: 33, details: { alreadyImported: 28, removedBefore: 1 } })
    expect(await tableSnapshot(t)).toEqual(before)
    expect(await t.deps.db.select().from(removedSources)).toEqual([{
      source: 'wordpress', sourceSite: 'wpthemetestdata.wordpress.com', sourceId: '881', commentId: 881,
      sourceCreatedAt: new Date('2012-09-03T17:18:04.000Z'), removedAt: t.now(),
    }])
  })

  it('does not bring back purged spam and trash', async () => {
    const admin = await signIn(t, 'admin')
    await t.setSettings({ purgeAfterDays: 30 })
    await importOk(t, admin, themeData)
    expect((await admin.send('PATCH', '/api/v1/moderation/comments/920', { status: 'trash' })).status).toBe(200)
    t.advance(31 * 86_400)
    expect(await runJobs(t.deps, t.now(), spamJobs)).toMatchObject({ purged: 1 })
    expect(await importOk(t, await signIn(t, 'admin'), themeData)).toMatchObject({ comments: 0, details: { alreadyImported: 28, removedBefore: 1 } })
    expect(await t.deps.db.select().from(comments).where(eq(comments.id, 920))).toEqual([])
  })
})

describe('Parley\'s own export, imported back', () => {
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
    expect(await importOk(t, admin, exported, 'application/json')).toMatchObject({ comments: 0, errors: [], details: { alreadyImported: 37 } })
    expect(await tableSnapshot(t)).toEqual(before)
    expect((await admin.send('DELETE', `/api/v1/moderation/comments/${own.id}`)).status).toBe(204)
    expect(await importOk(t, admin, exported, 'application/json')).toMatchObject({ comments: 0, details: { alreadyImported: 36, removedBefore: 1 } })
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

  it('keeps each comment\'s first source through a fresh Parley, so that both exports of it import once', async () => {
    const { admin } = await populate()
    const freshAdmin = await signIn(fresh, 'admin')
    const wxr = await exportWxr(admin)
    expect(await importOk(fresh, freshAdmin, wxr)).toMatchObject({ comments: 37, errors: [] })
    expect(await identities(freshAdmin)).toEqual(await identities(admin))
    expect(await importOk(fresh, freshAdmin, await exportJson(admin), 'application/json')).toMatchObject({ comments: 0, details: { alreadyImported: 37 } })
    expect(await importOk(fresh, freshAdmin, themeData)).toMatchObject({ comments: 0, details: { alreadyImported: 29 } })
    expect(await importOk(fresh, freshAdmin, disqusSample)).toMatchObject({ comments: 0, details: { alreadyImported: 6 } })
  })
})
