import { describe, expect, it } from 'vitest'
import { SaxesParser } from 'saxes'
import { eq } from 'drizzle-orm'
import { articles, comments, instance, moderationLog } from '../src/db/schema.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { setupTestApp, testTime, type TestApp } from './support/test-app.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { fixture, importOk, postImport } from './support/imports.js'
import { secondParley } from './support/second-parley.js'

const t = await setupTestApp()
const fresh = await secondParley(t)
const themeData = fixture('wordpress/themeunittestdata.wordpress.xml')

interface Exported {
  parley: { format: string; version: number; exportedAt: string }
  articles: { key: string }[]
  comments: { id: number; article: string; status: string; author: { email: string | null; moderator: unknown }; body: string }[]
}

const exportJson = async (admin: SignedIn): Promise<Exported> => (await admin.get('/api/v1/admin/export?format=json')).json()

/** The export without its time stamp, articles in key order: what two Parleys holding the same comments agree on. */
const comparable = ({ parley: { exportedAt: _at, ...header }, articles, comments }: Exported) => ({
  header,
  articles: [...articles].sort((a, b) => a.key.localeCompare(b.key)),
  comments,
})

/** Every element of a WXR file, as { path: text } per item and per comment (a comment's meta as `meta:KEY`). */
function readWxr(xml: string) {
  const parser = new SaxesParser({ xmlns: true })
  const items: { fields: Record<string, string>; comments: Record<string, string>[] }[] = []
  let field = ''
  let comment: Record<string, string> | undefined
  let metaKey = ''
  parser.on('opentag', (tag) => {
    field = tag.name
    if (tag.name === 'item') items.push({ fields: {}, comments: [] })
    if (tag.name === 'wp:comment') items.at(-1)?.comments.push((comment = {}))
  })
  const onText = (text: string) => {
    const item = items.at(-1)
    if (!item || (!field.startsWith('wp:') && field !== 'title' && field !== 'link')) return
    if (comment && field === 'wp:meta_key') metaKey = text
    else if (comment && field === 'wp:meta_value') comment[`meta:${metaKey}`] = text
    else if (comment && field.startsWith('wp:comment_')) comment[field] = (comment[field] ?? '') + text
    else if (!comment) item.fields[field] = (item.fields[field] ?? '') + text
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', (tag) => {
    if (tag.name === 'wp:comment') comment = undefined
    field = ''
  })
  parser.write(xml).close()
  return items
}

/** This Parley's instance id, which its exports name its own comments by. */
const ownSite = async (app: TestApp) => (await app.deps.db.select().from(instance))[0]?.siteId

/** A Parley with imported WordPress history, a comment of its own, a moderator's reply and a pending comment. */
async function populate(target: TestApp) {
  const admin = await signIn(target, 'admin')
  await importOk(target, admin, themeData)
  await target.setSettings(openSettings)
  const own = (await postComment(target, 'my-story', { body: 'Written here, on <b>Parley</b>', email: 'Reader@Example.org' })).comment
  const reply = await admin.send('POST', `/api/v1/moderation/comments/${own.id}/replies`, { body: 'Thanks!' })
  expect(reply.status).toBe(201)
  return { admin, own }
}

describe('exporting', () => {
  it('exports everything as JSON, emails decrypted, streamed as one element a line', async () => {
    const { admin, own } = await populate(t)
    const res = await admin.get('/api/v1/admin/export?format=json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="parley-export-${testTime().slice(0, 10)}.json"`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    const data: Exported = JSON.parse(text)
    expect(data.parley).toEqual({ format: 'parley-export', version: 1, exportedAt: testTime() })
    expect(data.articles).toHaveLength(80)
    expect(data.comments).toHaveLength(31)
    expect(text.split('\n')).toHaveLength(2 + 80 + 2 + 31 + 2)
    expect(data.comments.find((c) => c.id === own.id)).toEqual({
      id: own.id,
      article: 'my-story',
      parentId: null,
      status: 'approved',
      author: { name: expect.any(String), url: null, email: 'Reader@Example.org', moderator: null },
      ip: '203.0.113.7',
      userAgent: null,
      body: 'Written here, on <b>Parley</b>',
      html: '<p>Written here, on <b>Parley</b></p>',
      checks: expect.any(Array),
      createdAt: testTime(),
      editedAt: null,
      source: 'parley',
      sourceSite: await ownSite(t),
      sourceId: String(own.id),
    })
    expect(await ownSite(t)).toMatch(/^[0-9a-f-]{36}$/)
    expect(data.comments.find((c) => c.id === 1017)).toMatchObject({
      article: '155',
      parentId: 168,
      status: 'pending',
      source: 'wordpress',
      sourceSite: 'wpthemetestdata.wordpress.com',
      sourceId: '1017',
      author: { email: 'themereviewteam@gmail.com' },
    })
    expect(data.comments.at(-1)).toMatchObject({ parentId: own.id, author: { moderator: { email: admin.email } } })
    const [entry] = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'export'))
    expect(entry).toMatchObject({ moderatorId: admin.id, detail: { format: 'json' } })
  })

  it('round-trips through JSON into a fresh Parley without loss', async () => {
    const { admin } = await populate(t)
    const exported = await exportJson(admin)
    // The moderator's reply keeps its author where an account with that email exists.
    const mod = exported.comments.at(-1)?.author.moderator as { email: string; name: string }
    await createModerator(
      fresh.deps.db,
      fresh.deps.passwords,
      { email: mod.email, name: mod.name, role: 'admin', password: 'a long password' },
      fresh.now(),
    )
    const freshAdmin = await signIn(fresh, 'admin')
    const summary = await importOk(fresh, freshAdmin, JSON.stringify(exported), 'application/json')
    expect(summary).toMatchObject({ format: 'parley', articles: 80, comments: 31, skipped: 0, errors: [], warnings: [] })
    expect(comparable(await exportJson(freshAdmin))).toEqual(comparable(exported))
    // And once more changes nothing.
    expect(await importOk(fresh, freshAdmin, JSON.stringify(exported), 'application/json')).toMatchObject({
      articles: 0,
      comments: 0,
      skipped: 31,
    })
  })

  it("exports WXR 1.2 that WordPress's importer reads: items, comment ids, parents, approval", async () => {
    const { admin, own } = await populate(t)
    const res = await admin.get('/api/v1/admin/export?format=wxr')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="parley-export-${testTime().slice(0, 10)}.xml"`)
    const xml = await res.text()
    expect(xml).toContain('xmlns:wp="http://wordpress.org/export/1.2/"')
    const items = readWxr(xml)
    expect(items).toHaveLength(80)
    const comments = items.find((item) => item.fields['wp:meta_value'] === '1148')
    expect(comments?.fields).toMatchObject({
      title: 'Template: Comments',
      'wp:comment_status': 'open',
      'wp:post_type': 'post',
      'wp:meta_key': 'parley_key',
    })
    expect(comments?.comments).toHaveLength(20)
    expect(comments?.comments.find((c) => c['wp:comment_id'] === '915')).toMatchObject({
      'wp:comment_parent': '914',
      'wp:comment_approved': '1',
      'wp:comment_author': 'themedemos',
      'wp:comment_author_email': 'themeshaperwp+demos@gmail.com',
      'wp:comment_date_gmt': '2013-03-14 15:14:47',
      'wp:comment_type': 'comment',
      // Where it came from, for Parley's importer (its wp:comment_id is only Parley's row id).
      'meta:parley_source': 'wordpress',
      'meta:parley_source_site': 'wpthemetestdata.wordpress.com',
      'meta:parley_source_id': '915',
    })
    expect(comments?.comments.find((c) => c['wp:comment_id'] === '1015')?.['wp:comment_approved']).toBe('0')
    const mine = items.find((item) => item.fields['wp:meta_value'] === 'my-story')
    expect(
      mine?.comments.map((c) => [
        c['wp:comment_id'],
        c['wp:comment_parent'],
        c['wp:comment_content'],
        c['meta:parley_source'],
        c['meta:parley_source_id'],
      ]),
    ).toEqual([
      [String(own.id), '0', 'Written here, on <b>Parley</b>', 'parley', String(own.id)],
      [String(own.id + 1), String(own.id), 'Thanks!', 'parley', String(own.id + 1)],
    ])
    expect(mine?.comments[0]?.['meta:parley_source_site']).toBe(await ownSite(t))
  })

  it('round-trips WordPress → Parley → WXR → a fresh Parley: the same articles, threads, statuses and texts', async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, themeData)
    const wxr = await (await admin.get('/api/v1/admin/export?format=wxr')).text()
    const freshAdmin = await signIn(fresh, 'admin')
    expect(await importOk(fresh, freshAdmin, wxr)).toMatchObject({
      format: 'wxr',
      articles: 79,
      comments: 29,
      skipped: 0,
      errors: [],
      warnings: [],
    })
    expect(comparable(await exportJson(freshAdmin))).toEqual(comparable(await exportJson(admin)))
    const thread = async (app: TestApp) => (await app.request('/api/v1/articles/1148/comments?limit=100')).json()
    expect(await thread(fresh)).toEqual(await thread(t))
  })

  it("stores a JSON import's and a WXR import's texts alike (trimmed, NFC, no control characters, no U+FFFE/U+FFFF, LF line ends), so either export comes back to the same rows", async () => {
    const admin = await signIn(t, 'admin')
    const header = { format: 'parley-export', version: 1, exportedAt: '2026-11-26T20:00:00.000Z' }
    // Decomposed é (e + U+0301), noncharacters, a bell, CRLF and a lone CR: what a hand-made or
    // foreign JSON file may hold, and what XML either cannot carry or reads back otherwise.
    const author = {
      name: '  Jose\u0301\uFFFE Ma\u0007rti\u0301n ',
      url: ' https://jose\u0301.example/\uFFFF ',
      email: ' Jose\u0301@Example.org ',
      moderator: null,
    }
    const body = 'First line\r\nsecond line\rthird\uFFFE line\uFFFF\r\n\r\n  <b>bold</b>\u0007 '
    const file = JSON.stringify({
      parley: header,
      articles: [
        {
          key: 'story',
          url: 'https://news.example/story/\uFFFE',
          title: ' Cafe\u0301\uFFFF ',
          open: true,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
      comments: [
        {
          id: 5,
          article: 'story',
          parentId: null,
          status: 'approved',
          author,
          ip: '192.0.2.5',
          userAgent: null,
          body,
          html: '',
          checks: [],
          createdAt: '2026-01-02T10:00:00.000Z',
          editedAt: null,
          source: 'wordpress',
          sourceSite: 'blog.example',
          sourceId: '5',
        },
      ],
    })
    await importOk(t, admin, file, 'application/json')
    const [stored] = await t.deps.db.select().from(comments)
    expect(stored).toMatchObject({
      authorName: 'Jos\u00e9 Ma rt\u00edn',
      authorUrl: 'https://xn--jos-dma.example/',
      body: 'First line\nsecond line\nthird line\n\n  <b>bold</b>',
    })
    expect(await t.deps.secrets.decryptEmail(stored?.emailEncrypted ?? '')).toBe('Jos\u00e9@Example.org')
    expect((await t.deps.db.select().from(articles))[0]).toMatchObject({ title: 'Caf\u00e9', url: 'https://news.example/story/' })

    // Back through either export into a fresh Parley: the same rows.
    const json = await exportJson(admin)
    const wxr = await (await admin.get('/api/v1/admin/export?format=wxr')).text()
    const freshAdmin = await signIn(fresh, 'admin')
    expect(await importOk(fresh, freshAdmin, wxr)).toMatchObject({ comments: 1, errors: [], warnings: [] })
    expect(comparable(await exportJson(freshAdmin))).toEqual(comparable(json))
    await fresh.database.db.delete(comments)
    await fresh.database.db.delete(articles)
    expect(await importOk(fresh, freshAdmin, JSON.stringify(json), 'application/json')).toMatchObject({
      comments: 1,
      errors: [],
      warnings: [],
    })
    expect(comparable(await exportJson(freshAdmin))).toEqual(comparable(json))
  })

  it("stores a submitted comment's text as an imported one's: LF line ends, NFC name, no noncharacters", async () => {
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'story', { body: 'One\r\nTwo\rThree\uFFFE', name: ' Jose\u0301\uFFFF ' })
    const [stored] = await t.deps.db.select().from(comments).where(eq(comments.id, comment.id))
    expect(stored).toMatchObject({ body: 'One\nTwo\nThree', authorName: 'Jos\u00e9' })
  })

  it("refuses a JSON file that is not well-formed, or not Parley's, with the line and column, importing nothing", async () => {
    const admin = await signIn(t, 'admin')
    const broken =
      '{"parley":{"format":"parley-export","version":1,"exportedAt":"2026-11-26T20:00:00.000Z"},\n"articles":[\n{"key":"a","url":null,"title":null,"open":true,"createdAt":"2026-11-26T20:00:00.000Z"}\n],\n"comments":[\n{"id":1, "article":"a",, "parentId":null}\n]}'
    const res = await postImport(t, admin, broken, 'application/json')
    expect(res.status).toBe(422)
    expect((await res.json()).detail).toBe(
      'The file cannot be imported (nothing was): line 6, column 24: not valid JSON: Expected double-quoted property name.',
    )
    const foreign = await (await postImport(t, admin, '{"articles":[]}', 'application/json')).json()
    expect(foreign.detail).toBe('The file cannot be imported (nothing was): not a Parley export: the "parley" header is missing.')
    expect(await t.deps.db.select().from(articles)).toEqual([])
  })

  it('is for admins', async () => {
    const moderator = await signIn(t, 'moderator')
    expect((await moderator.get('/api/v1/admin/export?format=json')).status).toBe(403)
    expect((await t.request('/api/v1/admin/export?format=wxr')).status).toBe(401)
    const admin = await signIn(t, 'admin')
    expect((await admin.get('/api/v1/admin/export?format=csv')).status).toBe(422)
  })
})
