import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { openSettings } from './support/seed.js'

const t = await setupTestApp()

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request('/comment-form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })

// The field names of WordPress's own comment_form().
const wordpressFields = (extra: Record<string, string> = {}) => ({
  comment: 'Posted without JavaScript',
  author: 'Ann',
  email: 'ann@example.com',
  url: '',
  comment_post_ID: '4821',
  comment_parent: '0',
  ...extra,
})

describe('the no-JavaScript form', () => {
  it('redirects a published comment back to the article with #comment-ID (303)', async () => {
    await t.setSettings({ ...openSettings, allowedOrigins: ['https://news.example'] })
    const res = await form(wordpressFields({ redirect_to: 'https://news.example/2026/11/story/' }))
    expect(res.status).toBe(303)
    const [row] = await t.deps.db.select().from(comments)
    expect(res.headers.get('location')).toBe(`https://news.example/2026/11/story/#comment-${row?.id}`)
    expect(row).toMatchObject({ status: 'approved', authorName: 'Ann', body: 'Posted without JavaScript' })
  })

  it("adds WordPress's unapproved and moderation-hash to a held comment's redirect", async () => {
    await t.setSettings({ allowedOrigins: ['https://news.example'] })
    const res = await form(wordpressFields({ redirect_to: 'https://news.example/story/?ref=home' }))
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '')
    const [row] = await t.deps.db.select().from(comments)
    expect(location.searchParams.get('ref')).toBe('home')
    expect(location.searchParams.get('unapproved')).toBe(String(row?.id))
    expect(location.searchParams.get('moderation-hash')).toBe(await t.deps.secrets.moderationHash(row ?? { id: 0, createdAt: new Date(0) }))
    expect(location.hash).toBe(`#comment-${row?.id}`)
  })

  it('never redirects to an origin that is not allowed', async () => {
    const res = await form(wordpressFields({ redirect_to: 'https://evil.example/phish' }))
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('Your comment is awaiting moderation.')
  })

  it("shows WordPress's message, the status and a back link when a field is missing", async () => {
    const res = await form(wordpressFields({ author: '', email: '' }), { Referer: `${ORIGIN}/demo/plain` })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await res.text()
    expect(html).toContain('<p><strong>Error:</strong> Please fill the required fields.</p>')
    expect(html).toContain(`<a id="back" href="${ORIGIN}/demo/plain">« Back</a>`)
    // As wp_die(): with script, Back is history.back(), which keeps the typed comment.
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]
    expect(html).toContain(`<script src="/form-back.js" nonce="${nonce}" defer></script>`)
    expect(await (await t.request('/form-back.js')).text()).toContain('history.back()')
    expect(await t.deps.db.select().from(comments)).toEqual([])
  })

  it("takes WordPress's own form as it posts from the blog: an origin-only Referer is the home page, not the article", async () => {
    await t.setSettings({ ...openSettings, allowedOrigins: ['https://blog.example'] })
    // No redirect_to (WordPress prints none), and the browser sends only the origin as Referer.
    const res = await form(wordpressFields({ comment_post_ID: '77' }), { Origin: 'https://blog.example', Referer: 'https://blog.example/' })
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('Thank you: your comment is published.')
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, '77'))
    expect(article?.url).toBeNull()
    // Once the article's URL is known (the widget or an import registered it), the reader goes back there.
    await t.deps.db.update(articles).set({ url: 'https://blog.example/2026/12/story/' }).where(eq(articles.key, '77'))
    const again = await form(wordpressFields({ comment_post_ID: '77', comment: 'Second' }), {
      Origin: 'https://blog.example',
      Referer: 'https://blog.example/',
    })
    expect(again.headers.get('location')).toMatch(/^https:\/\/blog\.example\/2026\/12\/story\/#comment-\d+$/)
  })

  it('says when to try again, on the page and in Retry-After', async () => {
    await t.setSettings({ allowedOrigins: ['https://blog.example'] })
    expect((await form(wordpressFields({ comment: 'One' }))).status).toBe(201)
    const flood = await form(wordpressFields({ comment: 'Two' }))
    expect(flood.status).toBe(429)
    expect(flood.headers.get('retry-after')).toBe('15')
  })

  it('answers duplicates (409), floods (429) and closed articles (403) as pages', async () => {
    expect((await form(wordpressFields())).status).toBe(201)
    t.advance(16)
    const dup = await form(wordpressFields())
    expect(dup.status).toBe(409)
    expect(await dup.text()).toContain('Duplicate comment detected; it looks as though you\u2019ve already said that!')
    const flood = await form(wordpressFields({ comment: 'Another one' }))
    expect(flood.status).toBe(429)
    expect(await flood.text()).toContain('You are posting comments too quickly. Slow down.')
  })

  it('refuses a post from a page of another origin, and other content types', async () => {
    const cross = await form(wordpressFields(), { Origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    const json = await t.request('/comment-form', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(json.status).toBe(415)
    const big = await form(wordpressFields({ comment: 'x'.repeat(1024 * 1024) }))
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await big.text()).toContain('<strong>Error:</strong> The request body is larger than 1024 KiB.')
    expect(await t.deps.db.select().from(comments)).toEqual([])
  })

  it('answers a comment_post_ID that cannot be an article key as the JSON API answers such a key: 422 validation_failed', async () => {
    const api = await t.postJson('/api/v1/articles/no%20spaces/comments', { name: 'Ann', email: 'ann@example.com', body: 'Hello' })
    expect(api.status).toBe(422)
    expect(await api.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'key', code: 'invalid_format' }] })
    const invalid = await form(wordpressFields({ comment_post_ID: 'no spaces' }))
    expect(invalid.status).toBe(422)
    expect(await invalid.text()).toContain(
      '<strong>Error:</strong> comment_post_ID must be an article key: 1-200 characters of A-Z a-z 0-9 . _ ~ : @ -.',
    )
    const missing = await form(wordpressFields({ comment_post_ID: ' ' }))
    expect(missing.status).toBe(422)
    expect(await missing.text()).toContain('<strong>Error:</strong> comment_post_ID is required.')
    expect(await t.deps.db.select().from(comments)).toEqual([])
  })

  it('accepts a reply through comment_parent and refuses a bad one', async () => {
    await t.setSettings(openSettings)
    await form(wordpressFields())
    const [parent] = await t.deps.db.select().from(comments)
    const reply = await form(wordpressFields({ comment: 'A reply', comment_parent: String(parent?.id) }))
    expect(reply.status).toBe(201)
    const [stored] = await t.deps.db
      .select()
      .from(comments)
      .where(eq(comments.parentId, parent?.id ?? 0))
    expect(stored?.depth).toBe(1)
    expect((await form(wordpressFields({ comment: 'Bad parent', comment_parent: 'x' }))).status).toBe(422)
  })
})
