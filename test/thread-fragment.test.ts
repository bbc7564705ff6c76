import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { importOk } from './support/imports.js'
import { wordpressDate } from './support/wordpress-date.js'

// With the read cache on, as on Node: every read here also checks that it is never served stale.
const t = await setupTestApp({ readCache: true })

const fragment = async (key: string, query = '', headers: Record<string, string> = {}) => {
  const res = await t.request(`/api/v1/articles/${key}/comments.html${query}`, { headers })
  return { res, html: res.status === 200 ? await res.text() : '' }
}
/** The anchors (`#comment-…`) of the list items, in document order. */
const anchors = (html: string) => [...html.matchAll(/<li id="comment-(\d+)"/g)].map((m) => m[1])
const form = (fields: Record<string, string>) =>
  t.request('/comment-form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })

describe('the thread as server-rendered HTML (WordPress markup)', () => {
  it("renders WordPress's comment list: depth classes, ids, vcard, metadata, content, reply links, microdata", async () => {
    await t.setSettings(openSettings)
    const root = (await postComment(t, '42', { name: 'Ann', url: 'https://ann.example/' })).comment.id
    t.advance(60)
    const reply = (await postComment(t, '42', { name: 'Bob', parentId: root, body: 'I <em>agree</em>' })).comment.id
    const { res, html } = await fragment('42', '?tz=America/New_York')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('parley-comment-count')).toBe('2')
    expect(res.headers.get('cache-control')).toBe('public, max-age=10')
    expect(html).toMatch(
      /^<div class="parley-thread" data-parley-article="42" data-parley-count="2" data-parley-open="1" data-parley-policy="anyone" data-parley-next="" data-parley-order="oldest" data-parley-limit="50" data-parley-tz="America\/New_York" data-parley-lang="en">\n<ol class="comment-list">/,
    )
    expect(html).toContain(
      `<li id="comment-${root}" class="comment depth-1 parent" itemscope itemtype="https://schema.org/Comment">\n<article id="div-comment-${root}" class="comment-body">`,
    )
    expect(html).toContain(`<li id="comment-${reply}" class="comment depth-2" itemprop="comment" itemscope`)
    expect(html).toContain(`<ol class="children">\n<li id="comment-${reply}"`)
    expect(html).toContain(
      '<b class="fn" itemprop="name"><a href="https://ann.example/" class="url" rel="external nofollow ugc" itemprop="url">Ann</a></b>',
    )
    expect(html).toContain('<b class="fn"><span itemprop="name">Bob</span></b> <span class="says">says:</span>')
    // WordPress's date and time formats (`F j, Y` at `g:i a`), in the site's zone.
    expect(html).toContain(
      `<time datetime="${t
        .now()
        .toISOString()
        .replace(/:\d\d\.\d{3}Z$/, 'Z')}" itemprop="dateCreated">${wordpressDate(t.now(), 'America/New_York')}</time>`,
    )
    expect(html).toContain(`<div class="comment-content" itemprop="text"><p>I <em>agree</em></p></div>`)
    expect(html).toContain(
      `<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom=${reply}#respond" data-commentid="${reply}" data-postid="42" data-belowelement="div-comment-${reply}" data-respondelement="respond" data-replyto="Reply to Bob" aria-label="Reply to Bob">Reply</a></div>`,
    )
    expect((await fragment('42')).html).toContain(`>${wordpressDate(t.now(), 'UTC')}</time>`)
  })

  it('escapes every name and URL and keeps only the sanitized body; no script survives', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'x', {
      name: '<script>alert(1)</script>"\'',
      body: '<img src=x onerror=alert(2)><b>bold</b>',
      url: 'https://e.example/"><svg onload=alert(3)>',
    })
    const { html } = await fragment('x')
    expect(html).not.toMatch(/<script|<img|<svg onload|<[^>]*\sonerror=/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;')
    expect(html).toContain('<b>bold</b>')
  })

  it('answers an unknown article with an empty fragment and count 0; refuses a bad cursor, limit or time zone with 422', async () => {
    const { res, html } = await fragment('nothing-here')
    expect(res.status).toBe(200)
    expect(res.headers.get('parley-comment-count')).toBe('0')
    expect(html).toBe(
      '<div class="parley-thread" data-parley-article="nothing-here" data-parley-count="0" data-parley-open="1" data-parley-policy="anyone" data-parley-next="" data-parley-order="oldest" data-parley-limit="50" data-parley-tz="UTC" data-parley-lang="en">\n</div>\n',
    )
    for (const query of ['?cursor=nope', '?limit=0', '?limit=101', '?order=best', '?tz=Mars/Olympus', '?tz=../../etc']) {
      const bad = await fragment('nothing-here', query)
      expect(bad.res.status, query).toBe(422)
      expect(bad.res.headers.get('content-type')).toBe('application/problem+json')
    }
  })

  it("pages by top-level thread with WordPress's comment navigation and a cursor the host page passes back", async () => {
    await t.setSettings(openSettings)
    const ids: number[] = []
    for (let i = 0; i < 3; i++) {
      ids.push((await postComment(t, 'p')).comment.id)
      t.advance(1)
    }
    const first = await fragment('p', '?limit=2')
    expect(anchors(first.html)).toEqual(ids.slice(0, 2).map(String))
    const cursor = /data-parley-next="([^"]+)"/.exec(first.html)?.[1] ?? ''
    expect(cursor).not.toBe('')
    expect(first.html).toContain(
      `<nav class="navigation comment-navigation" aria-label="Comments"><h2 class="screen-reader-text">Comments navigation</h2><div class="nav-links"><div class="nav-next"><a href="?parley_cursor=${cursor}#comments" data-parley-cursor="${cursor}">Newer Comments</a></div></div></nav>`,
    )
    const second = await fragment('p', `?limit=2&cursor=${cursor}`)
    expect(anchors(second.html)).toEqual([String(ids[2])])
    // Its reply links keep the reader on this page (and its "Leave a Reply to …").
    expect(second.html).toContain(`href="?parley_cursor=${cursor}&amp;replytocom=${ids[2]}#respond"`)
    expect(first.html).toContain(`href="?replytocom=${ids[0]}#respond"`)
    expect(second.html).not.toContain('comment-navigation')
    expect((await fragment('p', '?limit=2&order=newest')).html).toContain('>Older Comments</a>')
  })

  it('is cached and revalidated like the JSON thread, with its own ETag per coding, and goes stale on a change', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'c')
    const first = await fragment('c')
    const etag = first.res.headers.get('etag') ?? ''
    // Version, settings, open, and the page's votes (a digest: votes leave the version alone).
    expect(etag).toMatch(/^"h\d+\.\d+\.1\.v[0-9a-z]+"$/)
    const json = await t.request('/api/v1/articles/c/comments')
    expect(json.headers.get('etag')).not.toBe(etag)
    expect((await fragment('c')).html).toBe(first.html)
    const again = await fragment('c', '', { 'If-None-Match': etag })
    expect(again.res.status).toBe(304)
    const br = await fragment('c', '', { 'Accept-Encoding': 'br' })
    expect(br.res.headers.get('content-encoding')).toBe('br')
    expect(br.res.headers.get('etag')).toBe(`${etag.slice(0, -1)}-br"`)
    expect(br.res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(br.res.headers.get('parley-comment-count')).toBe('1')
    await postComment(t, 'c', { name: 'Later' })
    const after = await fragment('c', '', { 'If-None-Match': etag })
    expect(after.res.status).toBe(200)
    expect(after.html).toContain('Later')
    expect(after.res.headers.get('parley-comment-count')).toBe('2')
  })

  it("shows the reader's own held comment, with WordPress's notice, only to the holder of the unapproved + moderation-hash pair, never cached", async () => {
    await t.setSettings({ allowedOrigins: ['https://blog.example'], previouslyApproved: false, floodSeconds: 0 })
    const first = await form({
      comment: 'Published first',
      author: 'Published',
      email: 'first@example.com',
      comment_post_ID: '7',
      redirect_to: 'https://blog.example/?p=7',
      parley_article_url: 'https://blog.example/seven/',
      parley_article_title: 'Seven & more',
    })
    const root = Number(/#comment-(\d+)$/.exec(first.headers.get('location') ?? '')?.[1])
    await t.setSettings({ moderation: 'all' })
    const res = await form({
      comment: 'Please hold me',
      author: 'Held Reader',
      email: 'held@example.com',
      comment_post_ID: '7',
      comment_parent: String(root),
      redirect_to: 'https://blog.example/?p=7',
    })
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '')
    const id = Number(location.searchParams.get('unapproved'))
    const hash = location.searchParams.get('moderation-hash') ?? ''
    const pair = `?unapproved=${id}&moderation-hash=${hash}`
    const own = await fragment('7', pair)
    expect(own.res.status).toBe(200)
    expect(own.res.headers.get('cache-control')).toBe('private, no-store')
    expect(own.res.headers.get('etag')).toBeNull()
    expect(own.res.headers.get('parley-comment-count')).toBe('1')
    expect(own.html).toContain(`<li id="comment-${id}" class="comment depth-2 parley-held"`)
    expect(own.html).toContain('<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>')
    expect(own.html).toContain('Please hold me')
    // No reply link on a held comment; the published one keeps its own.
    expect(own.html).not.toContain(`replytocom=${id}`)
    expect(own.html).toContain(`replytocom=${root}`)
    // The public page, a wrong or another comment's hash, and another article show nothing of it.
    for (const query of [
      '',
      `?unapproved=${id}&moderation-hash=${hash.slice(0, -1)}x`,
      `?unapproved=${root}&moderation-hash=${hash}`,
      `?unapproved=${id}`,
    ]) {
      const other = await fragment('7', query)
      expect(other.html, query).not.toContain('Please hold me')
      expect(other.res.headers.get('cache-control')).toBe('public, max-age=10')
    }
    expect((await fragment('8', pair)).html).not.toContain('Please hold me')
    // The plain form registered the article's title, as the WordPress plugin sends it.
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, '7'))
    expect(article).toMatchObject({ title: 'Seven & more', url: 'https://blog.example/seven/' })
    // Once approved it is an ordinary comment, for the holder of the pair too.
    const mod = await signIn(t)
    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${id}`, { status: 'approved' })).status).toBe(200)
    const approved = await fragment('7', pair)
    expect(approved.html).toContain('Please hold me')
    expect(approved.html).not.toContain('awaiting moderation')
    expect(approved.res.headers.get('cache-control')).toBe('public, max-age=10')
  })

  it('shows no reply links on a closed article, and a placeholder for a removed comment with published replies', async () => {
    await t.setSettings(openSettings)
    const root = (await postComment(t, 'z')).comment.id
    const reply = (await postComment(t, 'z', { parentId: root })).comment.id
    const mod = await signIn(t)
    await mod.send('PATCH', `/api/v1/moderation/comments/${root}`, { status: 'trash' })
    const { html } = await fragment('z')
    expect(html).toContain(`<li id="comment-${root}" class="comment depth-1 parent parley-removed">`)
    expect(html).toContain('<p><em>This comment was removed.</em></p>')
    expect(html).not.toContain(`replytocom=${root}`)
    expect(html).toContain(`replytocom=${reply}`)
    expect((await mod.send('PUT', '/api/v1/moderation/articles/z', { open: false })).status).toBe(200)
    const closed = await fragment('z')
    expect(closed.html).toContain('data-parley-open="0"')
    expect(closed.html).not.toContain('comment-reply-link')
  })

  it('keeps a comment imported from WordPress at its old anchor (#comment-881), even where its id was taken', async () => {
    await t.setSettings(openSettings)
    // Parley's own comment 1 on another article takes the id of WordPress's comment 1 below.
    const native = (await postComment(t, 'elsewhere')).comment.id
    expect(native).toBe(1)
    const admin = await signIn(t, 'admin')
    const wp = (id: number, parent = 0) =>
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[WP ${id}]]></wp:comment_author><wp:comment_author_email>wp${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-01-0${id % 9 || 1} 10:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[From WordPress ${id}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`
    await importOk(
      t,
      admin,
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title><item><title>Seven</title><link>https://blog.example/?p=7</link><wp:post_id>7</wp:post_id><wp:comment_status>open</wp:comment_status>${wp(1)}${wp(881, 1)}</item></channel></rss>`,
    )
    const rows = await t.deps.db
      .select({ id: comments.id, sourceId: comments.sourceId })
      .from(comments)
      .where(eq(comments.source, 'wordpress'))
    const moved = rows.find((r) => r.sourceId === '1')?.id
    expect(moved).not.toBe(1)
    expect(rows.find((r) => r.sourceId === '881')?.id).toBe(881)
    const { html } = await fragment('7')
    expect(anchors(html)).toEqual(['1', '881'])
    expect(html).toContain(`<li id="comment-1" class="comment depth-1 parent" data-parley-id="${moved}"`)
    // Replies go to the Parley id; the anchor is only where old links land.
    expect(html).toContain(
      `href="?replytocom=${moved}#respond" data-commentid="${moved}" data-postid="7" data-belowelement="div-comment-1"`,
    )
    // A new comment never draws an imported id: the sequence moved past them.
    expect((await postComment(t, '7')).comment.id).toBeGreaterThan(881)
  })
})
