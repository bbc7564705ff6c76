import { describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { edgeCached, type EdgeCacheStore } from '../src/runtime/edge-cache.js'
import { ORIGIN, READER_IP, setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { importOk } from './support/imports.js'
import { dashboardSession } from './support/dashboard.js'
import { scriptIn } from './support/hostile-checks.js'
import { blns, edges, SAMPLE_EVERY, xss } from './support/corpora.js'
import { wordpressDate } from './support/wordpress-date.js'

/**
 * An outside tester's attacks on the server-rendered thread (GET …/comments.html), what feeds it
 * (the plain form's article fields, imports, the reader's held comment) and what keeps it (the read
 * cache, the edge cache). Each test passes where the code holds and fails where it does not.
 */

// With the read cache on, as on Node.
const t = await setupTestApp({ readCache: true })

const BLOG = 'https://blog.example'

const fragment = async (key: string, query = '', headers: Record<string, string> = {}) => {
  const res = await t.request(`/api/v1/articles/${key}/comments.html${query}`, { headers })
  return { res, html: await res.text() }
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request('/comment-form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })

let serial = 0

/** A comment through the plain form that moderation holds: its id and WordPress's pair, as the redirect gives them. */
async function heldByForm(key: string, body: string, extra: Record<string, string> = {}) {
  serial++
  const res = await form({
    comment: body,
    author: `Held ${serial}`,
    email: `held${serial}@example.com`,
    comment_post_ID: key,
    redirect_to: `${BLOG}/?p=${key}`,
    ...extra,
  })
  expect(res.status).toBe(303)
  const location = new URL(res.headers.get('location') ?? '')
  const id = Number(location.searchParams.get('unapproved'))
  const hash = location.searchParams.get('moderation-hash') ?? ''
  expect(id).toBeGreaterThan(0)
  expect(hash).not.toBe('')
  return { id, hash, pair: `?unapproved=${id}&moderation-hash=${hash}` }
}

const holdAll = () => t.setSettings({ allowedOrigins: [BLOG], previouslyApproved: false, floodSeconds: 0, moderation: 'all' })

/** Every `id` attribute of the markup, in order. */
const idsOf = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1])
const duplicates = (values: (string | undefined)[]) => values.filter((v, i) => values.indexOf(v) !== i)

/**
 * What could run script on the publisher's page: scriptIn's checks, once Parley's own avatar (an
 * inline SVG of a circle and an initial, the one element scriptIn would flag) is checked apart.
 */
function activeIn(html: string): string[] {
  const avatar =
    /<svg class="avatar avatar-32 photo" width="32" height="32" viewBox="0 0 2 2" aria-hidden="true"><circle cx="1" cy="1" r="1" fill="#[0-9a-f]{6}"\/><text x="1" y="1.35" font-size="1" text-anchor="middle" fill="#fff">[^<>"]*<\/text><\/svg>/g
  const rest = html.replace(avatar, '')
  const found = scriptIn(rest)
  if (/<svg/i.test(rest)) found.push('an <svg> that is not the avatar')
  return found
}

/** A WordPress export of one post (`post`) from `site`, with the given comments. */
function wxr(site: string, post: string, commentsXml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title><link>${site}</link><wp:base_site_url>${site}</wp:base_site_url><wp:base_blog_url>${site}</wp:base_blog_url><item><title>Post</title><link>${site}/?p=${post}</link><wp:post_id>${post}</wp:post_id><wp:comment_status>open</wp:comment_status>${commentsXml}</item></channel></rss>`
}

function wxrComment(c: { id: number; name: string; body: string; approved?: string; parent?: number; url?: string }): string {
  return `<wp:comment><wp:comment_id>${c.id}</wp:comment_id><wp:comment_author><![CDATA[${c.name}]]></wp:comment_author><wp:comment_author_email>${c.name.replace(/\W/g, '')}@example.org</wp:comment_author_email><wp:comment_author_url><![CDATA[${c.url ?? ''}]]></wp:comment_author_url><wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[${c.body}]]></wp:comment_content><wp:comment_approved>${c.approved ?? '1'}</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>${c.parent ?? 0}</wp:comment_parent></wp:comment>`
}

const sample = <T>(list: readonly T[]) => list.filter((_, i) => i % SAMPLE_EVERY === 0)

describe('stored XSS into the fragment', () => {
  it('no XSS payload in a name, URL or body reaches the markup as markup (payloadbox sample), and ids stay unique', async () => {
    await t.setSettings({ ...openSettings, maxLinks: 100 })
    const payloads = sample(xss)
    let stored = 0
    for (const [i, payload] of payloads.entries()) {
      const key = `xss-${Math.floor(i / 100)}`
      const attempts = [
        { name: payload.slice(0, 60), body: `body ${i}`, url: undefined },
        { name: `N${i}`, body: payload, url: undefined },
        { name: `U${i}`, body: `url ${i}`, url: `https://e.example/${payload}`.slice(0, 190) },
        { name: `R${i}`, body: `raw url ${i}`, url: payload.slice(0, 190) },
      ]
      for (const attempt of attempts) {
        serial++
        const res = await t.postJson(`/api/v1/articles/${key}/comments`, {
          name: attempt.name,
          email: `x${serial}@example.com`,
          body: attempt.body,
          ...(attempt.url === undefined ? {} : { url: attempt.url }),
        })
        expect(res.status, payload).toBeLessThan(500)
        if (res.status === 201) stored++
      }
    }
    expect(stored).toBeGreaterThan(payloads.length)
    for (let page = 0; page * 100 < payloads.length; page++) {
      let query = '?limit=100'
      for (;;) {
        const { res, html } = await fragment(`xss-${page}`, query)
        expect(res.status).toBe(200)
        expect(activeIn(html)).toEqual([])
        expect(duplicates(idsOf(html))).toEqual([])
        const next = /data-parley-next="([^"]*)"/.exec(html)?.[1]
        if (!next) break
        query = `?limit=100&cursor=${next}`
      }
    }
  })

  it('imported WordPress comments: markup in names, bodies and javascript: author URLs is neutralised', async () => {
    await t.setSettings(openSettings)
    const admin = await signIn(t, 'admin')
    await importOk(
      t,
      admin,
      wxr(
        'https://wp.example',
        '31',
        [
          wxrComment({
            id: 5,
            name: '"><script>alert(1)</script>',
            body: '<img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>',
          }),
          wxrComment({ id: 6, name: 'Js', body: 'b', url: 'javascript:alert(4)' }),
          wxrComment({ id: 7, name: 'Data', body: '<svg onload=alert(5)>', url: ' JaVaScRiPt:alert(6)' }),
          wxrComment({ id: 8, name: 'Iframe', body: '<iframe src="javascript:alert(7)"></iframe><p style="x:expression(alert(8))">s</p>' }),
        ].join(''),
      ),
    )
    const { html } = await fragment('31')
    expect(html).toContain('data-parley-count="4"')
    expect(activeIn(html)).toEqual([])
  })

  it('registers no hostile article through the plain form: no javascript: or foreign URL, no other Origin; a title with markup is escaped in the dashboard', async () => {
    await t.setSettings({ allowedOrigins: [BLOG], previouslyApproved: false, floodSeconds: 0 })
    const title = `<img src=x onerror=alert(1)>"'</title><script>alert(2)</script>`
    const refused: [string, string, Record<string, string>][] = [
      ['r1', 'javascript:alert(1)', {}],
      ['r2', 'https://evil.example/x', {}],
      ['r3', `${BLOG}/ok`, { Origin: 'https://evil.example' }],
      ['r4', `${BLOG}/ok`, { Origin: 'null' }],
      ['r5', 'JAVASCRIPT://blog.example/%0aalert(1)', {}],
      ['r6', `${BLOG}@evil.example/`, {}],
      ['r7', 'data:text/html,<script>alert(1)</script>', {}],
      ['r8', ' javascript:alert(1)//https://blog.example/', {}],
    ]
    for (const [key, url, headers] of refused) {
      const res = await form(
        {
          comment: `hello ${key}`,
          author: 'A',
          email: 'a@example.com',
          comment_post_ID: key,
          parley_article_url: url,
          parley_article_title: title,
        },
        headers,
      )
      expect(res.status, url).toBeGreaterThanOrEqual(400)
      expect(await t.deps.db.select().from(articles).where(eq(articles.key, key)), url).toEqual([])
    }
    const ok = await form({
      comment: 'hello ok',
      author: 'A',
      email: 'a@example.com',
      comment_post_ID: 'ok',
      parley_article_url: `${BLOG}/"><script>alert(1)</script>`,
      parley_article_title: title,
    })
    expect(ok.status).toBe(303)
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, 'ok'))
    expect(article?.url).toMatch(/^https:\/\/blog\.example\/[^"<>]*$/)
    const dash = await dashboardSession(t, 'admin')
    const [comment] = await t.deps.db.select({ id: comments.id }).from(comments)
    for (const path of ['/admin/articles', '/admin', `/admin/comments/${comment?.id}`]) {
      const res = await dash.get(path)
      expect(res.status, path).toBe(200)
      const page = await res.text()
      expect(scriptIn(page), path).toEqual([])
      expect(page, path).not.toContain('<img src=x')
    }
    // The fragment never shows the title; it must not leak there either.
    expect((await fragment('ok')).html).not.toContain('<img')
  })
})

describe('odd requests', () => {
  it('answers hostile values of every query parameter and the key with 200 or 422, never a 5xx, and reflects nothing as markup', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'odd')
    const values = [...sample(blns), ...edges, '%FF', '%C0%AF', '%ED%A0%80', '%', '%%', '%00', 'a'.repeat(5000)]
    // Sent as is when already escaped (invalid UTF-8); a lone surrogate goes as its (invalid) CESU-8 bytes.
    const raw = (v: string) =>
      /^%|%%/.test(v)
        ? v
        : v.replace(/[\s\S]/gu, (ch) =>
            /^[\uD800-\uDFFF]$/.test(ch)
              ? `%ED%${(0xa0 + ((ch.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%80`
              : encodeURIComponent(ch),
          )
    for (const value of values) {
      for (const query of [
        `?tz=${raw(value)}`,
        `?cursor=${raw(value)}`,
        `?limit=${raw(value)}`,
        `?order=${raw(value)}`,
        `?unapproved=${raw(value)}&moderation-hash=${raw(value)}`,
        `?unapproved=1&moderation-hash=${raw(value)}`,
      ]) {
        const { res, html } = await fragment('odd', query)
        expect([200, 422], query).toContain(res.status)
        if (res.status === 200) expect(activeIn(html), query).toEqual([])
      }
      const key = raw(value).slice(0, 600)
      if (key && !key.includes('/')) {
        const { res } = await fragment(key)
        expect([200, 422], key).toContain(res.status)
      }
    }
  })

  it('refuses time zones Intl does not know (Etc/GMT+14, a NUL, past 64 characters), repeated parameters; formats the far ones right', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'tz')
    for (const query of [
      '?tz=Etc/GMT%2B14',
      '?tz=UTC%00',
      '?tz=UTC%0A',
      `?tz=${'A'.repeat(65)}`,
      `?tz=${'Europe/'.repeat(9)}`,
      '?tz=../UTC',
      '?tz=UTC&tz=UTC',
      '?limit=1&limit=1',
      '?tz=%2B05:30',
      '?tz=Factory',
    ]) {
      const { res } = await fragment('tz', query)
      expect(res.status, query).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
    // UTC+14 and UTC-12, on whatever day the test clock is.
    expect((await fragment('tz', '?tz=Etc/GMT-14')).html).toContain(`>${wordpressDate(t.now(), 'Etc/GMT-14')}</time>`)
    expect((await fragment('tz', '?tz=Pacific/Kiritimati')).html).toContain(`>${wordpressDate(t.now(), 'Pacific/Kiritimati')}</time>`)
    expect((await fragment('tz', '?tz=Etc/GMT%2B12')).html).toContain(`>${wordpressDate(t.now(), 'Etc/GMT+12')}</time>`)
  })

  it('survives a huge query string and thousands of repeated unknown parameters, keeping none of them', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'big')
    const before = t.deps.readCache?.size.entries ?? 0
    for (const query of [
      `?${'x=1&'.repeat(8000)}`,
      `?cb=${'9'.repeat(60_000)}`,
      `?${Array.from({ length: 3000 }, (_, i) => `p${i}=${i}`).join('&')}`,
      ...Array.from({ length: 20 }, (_, i) => `?unapproved=${i + 1}&moderation-hash=${'0'.repeat(19)}${i % 10}`),
      ...Array.from({ length: 20 }, (_, i) => `?limit=50&unapproved=${i + 1}`),
    ]) {
      const { res } = await fragment('big', query)
      expect(res.status).toBe(200)
    }
    expect(t.deps.readCache?.size.entries).toBe(before)
  })

  it('the demo page takes odd cursors, pairs and replytocom without a 5xx', async () => {
    await t.setSettings(openSettings)
    for (const query of [
      '?parley_cursor=%FF',
      '?parley_cursor=zzzzzzzzzzzz.zzzzzzzz',
      '?replytocom=%FF',
      '?replytocom=99999999999',
      '?unapproved=1&moderation-hash=%00',
      `?unapproved=${'9'.repeat(20)}&moderation-hash=x`,
    ]) {
      const res = await t.request(`/demo/plain${query}`)
      expect(res.status, query).toBe(200)
      expect(scriptIn(await res.text())).toEqual([])
    }
  })
})

describe("the reader's held comment", () => {
  it('shows no one a held comment without its own pair: wrong, near, upper-case, padded, another comment\u2019s, another article\u2019s', async () => {
    await holdAll()
    const mine = await heldByForm('7', 'Mine, held')
    const theirs = await heldByForm('7', 'Theirs, held')
    const elsewhere = await heldByForm('8', 'Elsewhere, held')
    const near = `${mine.hash.slice(0, -1)}${mine.hash.endsWith('0') ? '1' : '0'}`
    for (const query of [
      '',
      `?unapproved=${mine.id}`,
      `?moderation-hash=${mine.hash}`,
      `?unapproved=${mine.id}&moderation-hash=${near}`,
      `?unapproved=${mine.id}&moderation-hash=${mine.hash.toUpperCase()}`,
      `?unapproved=${mine.id}&moderation-hash=${mine.hash}0`,
      `?unapproved=${mine.id}&moderation-hash=${mine.hash.slice(0, -1)}`,
      `?unapproved=0${mine.id}&moderation-hash=${mine.hash}`,
      `?unapproved=${mine.id}.0&moderation-hash=${mine.hash}`,
      `?unapproved=%20${mine.id}&moderation-hash=${mine.hash}`,
      `?unapproved=${mine.id}&moderation-hash=%20${mine.hash}`,
      `?unapproved=${theirs.id}&moderation-hash=${mine.hash}`,
      `?unapproved=${mine.id}&moderation-hash=${theirs.hash}`,
      elsewhere.pair,
    ]) {
      const { res, html } = await fragment('7', query)
      expect(res.status, query).toBeLessThan(500)
      expect(html, query).not.toContain('held</p>')
      expect(html, query).not.toContain('awaiting moderation')
    }
    // Each pair shows its own comment alone.
    const own = await fragment('7', theirs.pair)
    expect(own.html).toContain('Theirs, held')
    expect(own.html).not.toContain('Mine, held')
    // Its pair on another article's page shows nothing.
    expect((await fragment('7', elsewhere.pair)).html).not.toContain('Elsewhere, held')
  })

  it("ignores a stale pair: past WordPress's 10 minutes (wp_get_unapproved_comment_author_email), a shared link shows nothing", async () => {
    await holdAll()
    const held = await heldByForm('15', 'Shared by mistake')
    expect((await fragment('15', held.pair)).html).toContain('Shared by mistake')
    // The reader shares the article's URL as their browser shows it, pair included; a day later a stranger opens it.
    t.advance(24 * 3600)
    const { html } = await fragment('15', held.pair)
    expect(html).not.toContain('Shared by mistake')
  })

  it('keeps the private answer out of every cache: no ETag, not kept, not a 304 for If-None-Match *, the public page unchanged after it', async () => {
    await holdAll()
    const held = await heldByForm('9', 'Private words')
    const publicPage = await fragment('9')
    const etag = publicPage.res.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"h/)
    const entries = t.deps.readCache?.size.entries
    for (const headers of [
      {},
      { 'If-None-Match': etag },
      { 'If-None-Match': '*' },
      { 'If-None-Match': 'W/"h0.0.0", *' },
      { 'Accept-Encoding': 'br' },
    ] as Record<string, string>[]) {
      const own = await fragment('9', held.pair, headers)
      expect(own.res.status).toBe(200)
      expect(own.res.headers.get('cache-control')).toBe('private, no-store')
      expect(own.res.headers.get('etag')).toBeNull()
      expect(own.html).toContain('Private words')
    }
    expect(t.deps.readCache?.size.entries).toBe(entries)
    const after = await fragment('9')
    expect(after.html).toBe(publicPage.html)
    expect(after.html).not.toContain('Private words')
    // The same pair spelled twice (once wrong) is refused rather than shown or kept.
    const twice = await fragment('9', `${held.pair}&unapproved=${held.id}`)
    expect(twice.html).not.toContain('Private words')
    // The count is the approved comments', never the held one's.
    expect((await fragment('9', held.pair)).res.headers.get('parley-comment-count')).toBe('0')
  })

  it('shows nothing of a comment a moderator trashed, or deleted, to the holder of its pair', async () => {
    await holdAll()
    const mod = await signIn(t)
    const trashed = await heldByForm('10', 'To be trashed')
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${trashed.id}`, { status: 'trash' })).status).toBe(200)
    expect((await fragment('10', trashed.pair)).html).not.toContain('To be trashed')
    const deleted = await heldByForm('10', 'To be deleted')
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${deleted.id}`)).status).toBe(204)
    expect((await fragment('10', deleted.pair)).html).not.toContain('To be deleted')
  })

  it('follows a held comment whose article moved (merged into another): shown under the new key only, to its pair only', async () => {
    await holdAll()
    const held = await heldByForm('16', 'Moved with its article')
    await t.setSettings({ moderation: 'rules' })
    await postComment(t, '17', { body: 'Already on the target' })
    const mod = await signIn(t)
    expect((await mod.send('POST', '/api/v1/moderation/articles/16/move', { to: '17' })).status).toBe(200)
    expect((await fragment('16', held.pair)).html).not.toContain('Moved with its article')
    expect((await fragment('17', '')).html).not.toContain('Moved with its article')
    const own = await fragment('17', held.pair)
    expect(own.html).toContain('Moved with its article')
    expect(own.res.headers.get('cache-control')).toBe('private, no-store')
  })

  it("shows nothing of a comment a moderator marked as spam to the holder of its pair (reader-held.ts: 'nothing for … one a moderator decided on since')", async () => {
    await holdAll()
    const held = await heldByForm('11', 'Moderator calls this spam')
    expect((await fragment('11', held.pair)).html).toContain('Moderator calls this spam')
    const mod = await signIn(t)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${held.id}`, { status: 'spam' })).status).toBe(200)
    const after = await fragment('11', held.pair)
    expect(after.html).not.toContain('Your comment is awaiting moderation.')
    expect(after.html).not.toContain('Moderator calls this spam')
  })

  it("a pair never shows another person's held comment that later took the same id (a deleted id reused by an import)", async () => {
    await holdAll()
    const admin = await signIn(t, 'admin')
    // A reader's held comment: they hold its pair, forever valid (the hash names the id alone).
    const mine = await heldByForm('12', 'My own held comment')
    // A moderator deletes it; its id is free again.
    expect((await admin.send('DELETE', `/api/v1/moderation/comments/${mine.id}`)).status).toBe(204)
    // The blog's history comes in from WordPress, among it someone else's comment held there, whose WordPress id is that id.
    await importOk(
      t,
      admin,
      wxr('https://wp.example', '12', wxrComment({ id: mine.id, name: 'Someone Else', body: 'Their private held words', approved: '0' })),
    )
    const [taken] = await t.deps.db.select({ id: comments.id, status: comments.status }).from(comments).where(eq(comments.id, mine.id))
    expect(taken).toEqual({ id: mine.id, status: 'pending' })
    const { html } = await fragment('12', mine.pair)
    expect(html).not.toContain('Their private held words')
    expect(html).not.toContain('Someone Else')
  })
})

describe('the read cache and ETags', () => {
  it("keeps one copy of a page per time zone, not one per spelling of its name ('utc', 'uTC', …)", async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'spell')
    const first = await fragment('spell', '?tz=UTC')
    expect(first.res.status).toBe(200)
    expect(t.deps.readCache?.size.entries).toBe(1)
    for (const tz of ['utc', 'uTC', 'Utc', 'UtC', 'uTc']) {
      const { res, html } = await fragment('spell', `?tz=${tz}`)
      expect(res.status).toBe(200)
      expect(html).toBe(first.html)
    }
    // Each spelling above is a fresh entry: 2^n per zone name, a stranger's way past keepableKey.
    expect(t.deps.readCache?.size.entries).toBe(1)
  })

  it('never serves a cached page in a coding the client did not ask for, nor built from its Host or Origin', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'enc', { name: 'Encoded' })
    const br = await t.request('http://evil.example/api/v1/articles/enc/comments.html', {
      headers: { 'Accept-Encoding': 'br', Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' },
    })
    expect(br.headers.get('content-encoding')).toBe('br')
    await br.arrayBuffer()
    for (const headers of [
      {},
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'br;q=0, gzip;q=0' },
      { 'Accept-Encoding': '*;q=0, identity' },
    ] as Record<string, string>[]) {
      const { res, html } = await fragment('enc', '', headers)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-encoding')).toBeNull()
      expect(html).toContain('Encoded')
      expect(html).not.toContain('evil')
    }
    const gz = await fragment('enc', '', { 'Accept-Encoding': 'gzip' })
    expect(gz.res.headers.get('content-encoding')).toBe('gzip')
  })

  it('does not confuse the JSON and HTML validators, nor the codings', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'tags')
    const json = await t.request('/api/v1/articles/tags/comments')
    const jsonTag = json.headers.get('etag') ?? ''
    const htmlTag = (await fragment('tags')).res.headers.get('etag') ?? ''
    expect(jsonTag).not.toBe(htmlTag)
    expect((await fragment('tags', '', { 'If-None-Match': jsonTag })).res.status).toBe(200)
    expect((await fragment('tags', '', { 'If-None-Match': `W/${jsonTag}` })).res.status).toBe(200)
    expect((await t.request('/api/v1/articles/tags/comments', { headers: { 'If-None-Match': htmlTag } })).status).toBe(200)
    expect((await fragment('tags', '', { 'If-None-Match': htmlTag, 'Accept-Encoding': 'br' })).res.status).toBe(200)
    expect((await fragment('tags', '', { 'If-None-Match': htmlTag })).res.status).toBe(304)
    // Another tz is another representation with the same tag: a 304 there is fine only because the tag names the thread state.
    const html = (await fragment('tags')).res
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
  })

  it("the edge cache stores the public page only, never the reader's held comment, and serves each pair its own answer", async () => {
    await holdAll()
    const held = await heldByForm('13', 'Edge private')
    const stored = new Map<string, Response>()
    const store: EdgeCacheStore = {
      match: async (request) => stored.get(request.url)?.clone(),
      put: async (request, response) => {
        stored.set(request.url, response)
      },
    }
    const pending: Promise<unknown>[] = []
    const ctx = { waitUntil: (promise: Promise<unknown>) => void pending.push(promise) }
    const fetchApp = async (request: Request) => t.app.request(request, undefined, { deps: t.deps, remoteAddr: READER_IP })
    const edge = async (query: string, headers: Record<string, string> = {}) => {
      const res = await edgeCached(new Request(`${ORIGIN}/api/v1/articles/13/comments.html${query}`, { headers }), ctx, store, fetchApp)
      await Promise.all(pending)
      return { res, html: await res.text() }
    }
    const own = await edge(held.pair)
    expect(own.html).toContain('Edge private')
    expect([...stored.keys()]).toEqual([])
    const pub = await edge('')
    expect(pub.html).not.toContain('Edge private')
    expect(stored.size).toBe(1)
    for (const [url, response] of stored) {
      expect(url).not.toContain('unapproved')
      expect(await response.clone().text()).not.toContain('Edge private')
    }
    // Again with the pair, now that the public page is stored: still the reader's own answer.
    expect((await edge(held.pair)).html).toContain('Edge private')
    expect((await edge(held.pair, { 'If-None-Match': '*' })).res.status).toBe(200)
  })
})

describe('anchors', () => {
  it('gives no two comments the same id when two WordPress sites, joined as one article, had the same comment id', async () => {
    await t.setSettings(openSettings)
    // Parley's own comments take the low ids, so both imported comments get new ids and keep their old anchor.
    for (let i = 0; i < 6; i++) await postComment(t, 'elsewhere')
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, wxr('https://a.example', '7', wxrComment({ id: 3, name: 'From A', body: 'a' })))
    await importOk(t, admin, wxr('https://b.example', '7', wxrComment({ id: 3, name: 'From B', body: 'b' })))
    const rows = await t.deps.db
      .select({ id: comments.id, sourceId: comments.sourceId })
      .from(comments)
      .where(eq(comments.source, 'wordpress'))
      .orderBy(asc(comments.id))
    expect(rows.map((r) => r.sourceId)).toEqual(['3', '3'])
    const { html } = await fragment('7')
    expect(html).toContain('From A')
    expect(html).toContain('From B')
    expect(duplicates(idsOf(html))).toEqual([])
  })

  it("gives the reader's held comment an anchor no imported comment's old anchor shares", async () => {
    await t.setSettings(openSettings)
    const admin = await signIn(t, 'admin')
    const native = await postComment(t, 'other')
    await holdAll()
    // An imported comment whose WordPress id is Parley's comment `native`: it keeps that anchor.
    await importOk(t, admin, wxr('https://wp.example', '14', wxrComment({ id: native.comment.id, name: 'Imported', body: 'old' })))
    const held = await heldByForm('14', 'New and held')
    const { html } = await fragment('14', held.pair)
    expect(html).toContain('New and held')
    expect(duplicates(idsOf(html))).toEqual([])
  })
})
