// payloadbox/xss-payload-list (test/support/corpora.ts): every payload through the submission
// rules and renderBody() below, on every run; a fixed sample through HTTP.
import { describe, expect, it } from 'vitest'
import { Parser } from 'htmlparser2'
import { renderBody } from '../src/comments/render-body.js'
import { checkSubmission } from '../src/comments/submission-rules.js'
import { AppError } from '../src/errors.js'
import { setupTestApp } from './support/test-app.js'
import { httpSample, sampleLabel, xss as payloads } from './support/corpora.js'

const t = await setupTestApp()

/** What the tests through the API send: the fixed sample (every payload goes through the functions below). */
const sent = httpSample(payloads)

const KEY = 'xss'
const LINK_REL = 'nofollow ugc noopener'
// The tags and attributes a comment may carry (WordPress's inline tags, plus p and br).
const allowedAttributes: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  abbr: ['title'],
  acronym: ['title'],
  b: [],
  blockquote: ['cite'],
  cite: [],
  code: [],
  del: [],
  em: [],
  i: [],
  q: ['cite'],
  s: [],
  strike: [],
  strong: [],
  p: [],
  br: [],
}
const urlAttributes = new Set(['href', 'cite', 'src'])
const safeSchemes = new Set(['http', 'https', 'mailto'])
// Every "<" in the output must open or close an allowed tag; anything else was escaped as text.
const strayTag = new RegExp(`<(?!/?(?:${Object.keys(allowedAttributes).join('|')})[\\s/>])`, 'i')

/** How a browser reads a URL attribute: entities decoded (by the parser), whitespace and controls dropped, any case. */
function scheme(value: string): string | undefined {
  const squeezed = value.replace(/[\u0000-\u0020\u007F-\u009F\u200B-\u200D\uFEFF]/g, '').toLowerCase()
  return /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1]
}

/** Everything in `html` that a comment must never carry; empty when the HTML is safe. */
function unsafeParts(html: string): string[] {
  const found: string[] = []
  if (strayTag.test(html)) found.push('a "<" that opens no allowed tag')
  const parser = new Parser({
    onopentag(name, attributes) {
      const allowed = allowedAttributes[name]
      if (!allowed) found.push(`element <${name}>`)
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) found.push(`event handler ${attribute} on <${name}>`)
        else if (!allowed?.includes(attribute)) found.push(`attribute ${attribute} on <${name}>`)
        const urlScheme = urlAttributes.has(attribute) ? scheme(value) : undefined
        if (urlScheme !== undefined && !safeSchemes.has(urlScheme)) found.push(`${urlScheme}: URL in ${attribute} of <${name}>`)
      }
      if (name === 'a' && attributes.rel !== LINK_REL) found.push(`<a> with rel="${attributes.rel ?? ''}"`)
    },
  })
  parser.write(html)
  parser.end()
  return found
}

/** The tag names in `html`, in order. */
function tagNames(html: string): string[] {
  const names: string[] = []
  const parser = new Parser({ onopentag: (name) => names.push(name) })
  parser.write(html)
  parser.end()
  return names
}

/** Runs `fn` over `items`, `size` at a time: concurrent enough for PostgreSQL's pool, bounded for PGlite. */
async function inChunks<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let at = 0; at < items.length; at += size) {
    results.push(...(await Promise.all(items.slice(at, at + size).map((item, offset) => fn(item, at + offset)))))
  }
  return results
}

const submit = (fields: { body: string; name: string; url?: string }, index: number) =>
  t.postJson(`/api/v1/articles/${KEY}/comments`, { email: `reader${index}@example.com`, ...fields })

/** Every published comment of the article, from every page of the thread. */
async function publishedComments(): Promise<{ id: number; html: string; author: { name: string } }[]> {
  const found: { id: number; html: string; author: { name: string } }[] = []
  let cursor: string | null = null
  do {
    const res = await t.request(`/api/v1/articles/${KEY}/comments?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    const page = (await res.json()) as { comments: { id: number; html: string; author: { name: string } }[]; nextCursor: string | null }
    found.push(...page.comments)
    cursor = page.nextCursor
  } while (cursor)
  return found
}

/** What a one-line field keeps: control characters become spaces, then it is trimmed; nothing else changes. */
const plainLine = (text: string) => text.replace(/[\u0000-\u001F\u007F]/g, ' ').trim()
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length

describe('rendering untrusted comments', () => {
  it('has all 6,613 payloads of the corpus', () => {
    expect(payloads).toHaveLength(6613)
  })

  it(`serves every XSS payload as a body without scripts, event handlers or javascript:/data: URLs (${sampleLabel})`, async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0, maxLinks: 0 })
    const returned = await inChunks(sent, 20, async (payload, index) => {
      const res = await submit({ name: `Reader ${index}`, body: payload }, index)
      expect(res.status, payload).toBe(201)
      const json = (await res.json()) as { comment: { id: number; status: string; html: string } }
      expect(json.comment.status, payload).toBe('approved')
      expect(unsafeParts(json.comment.html), `${payload}\n=> ${json.comment.html}`).toEqual([])
      return json.comment
    })

    const served = await publishedComments()
    expect(served.map((c) => c.id).sort((a, b) => a - b)).toEqual(returned.map((c) => c.id).sort((a, b) => a - b))
    for (const comment of served) expect(unsafeParts(comment.html), comment.html).toEqual([])
  }, 180_000)

  it('keeps the tags a comment may use, with safe links', async () => {
    await t.setSettings({ previouslyApproved: false })
    const body =
      '<b>bold</b> <em>x</em> <a href="https://example.com" title="t">l</a> <blockquote cite="https://x.example">q</blockquote> ' +
      '<code>c</code> <del>d</del> <q cite="https://q.example">q</q> <s>s</s> <strike>s</strike> <strong>s</strong> ' +
      '<abbr title="t">a</abbr> <acronym title="u">ac</acronym> <cite>c</cite> <i>i</i>\nline two'
    const res = await submit({ name: 'Ann', body }, 1)
    expect(res.status).toBe(201)
    const { html } = ((await res.json()) as { comment: { html: string } }).comment
    expect(unsafeParts(html)).toEqual([])
    expect(new Set(tagNames(html))).toEqual(new Set(Object.keys(allowedAttributes)))
    expect(html).toContain('<a href="https://example.com" title="t" rel="nofollow ugc noopener">l</a>')
    expect(html).toContain('<blockquote cite="https://x.example">q</blockquote>')
    expect(html).toContain('<q cite="https://q.example">q</q>')
    expect(html).toContain('<abbr title="t">a</abbr>')
    expect(html).toContain('<acronym title="u">ac</acronym>')
    expect(html).toContain('<br />\nline two')
  })

  it("links typed addresses where WordPress's make_clickable() would, punctuation and parentheses included", async () => {
    await t.setSettings({ previouslyApproved: false, maxLinks: 100, floodSeconds: 0 })
    const cases: [string, string][] = [
      [
        'see https://example.com/a_(b) ok',
        'see <a href="https://example.com/a_(b)" rel="nofollow ugc noopener">https://example.com/a_(b)</a> ok',
      ],
      ['(http://example.com/foo).', '(<a href="http://example.com/foo" rel="nofollow ugc noopener">http://example.com/foo</a>).'],
      [
        'https://x.example/path?q=1&r=2, next',
        '<a href="https://x.example/path?q=1&amp;r=2" rel="nofollow ugc noopener">https://x.example/path?q=1&amp;r=2</a>, next',
      ],
      ['visit www.example.com; then', 'visit <a href="http://www.example.com/" rel="nofollow ugc noopener">www.example.com</a>; then'],
      [
        '<a href="https://e.example">https://e.example</a> is linked once',
        '<a href="https://e.example" rel="nofollow ugc noopener">https://e.example</a> is linked once',
      ],
      [
        '<code>https://in.code</code> is kept as code, and no bare example.com or javascript:alert(1)',
        '<code>https://in.code</code> is kept as code, and no bare example.com or javascript:alert(1)',
      ],
    ]
    for (const [i, [body, html]] of cases.entries()) {
      const res = await submit({ name: 'Ann', body }, i + 1)
      expect(res.status).toBe(201)
      expect(((await res.json()) as { comment: { html: string } }).comment.html).toBe(`<p>${html}</p>`)
    }
  })

  it('drops unsafe URLs from allowed tags and shows unknown tags as text', async () => {
    await t.setSettings({ previouslyApproved: false })
    const body = '<a href=" jav&#x09;ascript:alert(1)" onclick="x()">one</a> <q cite="data:text/html,x">two</q> <div style="x">three</div>'
    const res = await submit({ name: 'Ann', body }, 1)
    const { html } = ((await res.json()) as { comment: { html: string } }).comment
    expect(unsafeParts(html)).toEqual([])
    expect(html).toContain('<a rel="nofollow ugc noopener">one</a> <q>two</q>')
    // Shown as written, attributes included, as text.
    expect(html).toContain('&lt;div style="x"&gt;three&lt;/div&gt;')
  })

  it(`keeps every XSS payload as a name verbatim, as plain text, or refuses it (${sampleLabel})`, async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const stored = new Map<number, string>()
    await inChunks(sent, 20, async (payload, index) => {
      const res = await submit({ name: payload, body: `Comment ${index}` }, index)
      const expected = plainLine(payload)
      if (utf8Bytes(expected) > 245) {
        expect(res.status, payload).toBe(422)
        expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
          { field: 'name', code: 'too_long', message: 'Your name is too long.' },
        ])
        return
      }
      expect(res.status, payload).toBe(201)
      const json = (await res.json()) as { comment: { id: number; author: { name: string } } }
      expect(json.comment.author.name).toBe(expected)
      stored.set(json.comment.id, expected)
    })
    // Over 6,000 of the 6,613: the same proportion of the sample.
    expect(stored.size).toBeGreaterThan((6000 * sent.length) / payloads.length)

    const served = await publishedComments()
    expect(served).toHaveLength(stored.size)
    for (const comment of served) expect(comment.author.name).toBe(stored.get(comment.id))
  }, 180_000)

  it(`accepts an XSS payload as a website only as an http or https URL (${sampleLabel})`, async () => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    const codes = new Map<string, number>()
    await inChunks(sent, 20, async (payload, index) => {
      const res = await submit({ name: 'Reader', body: `Comment ${index}`, url: payload }, index)
      if (res.status === 422) {
        const { errors } = (await res.json()) as { errors: { field: string; code: string }[] }
        expect(
          errors.map((e) => e.field),
          payload,
        ).toEqual(['url'])
        const code = errors[0]?.code ?? ''
        expect(['invalid_url', 'too_long'], payload).toContain(code)
        codes.set(code, (codes.get(code) ?? 0) + 1)
        return
      }
      expect(res.status, payload).toBe(201)
      const { url } = ((await res.json()) as { comment: { author: { url: string } } }).comment.author
      const parsed = new URL(url)
      expect(['http:', 'https:'], `${payload}\n=> ${url}`).toContain(parsed.protocol)
      expect(parsed.hostname, url).not.toBe('')
      expect(parsed.hostname, url).toMatch(/^[a-z0-9_.-]+$|^\[[0-9a-f:.]+\]$/)
      expect(url, payload).not.toMatch(/[\s"<>\\]/)
      codes.set('accepted', (codes.get('accepted') ?? 0) + 1)
    })
    expect(codes.get('invalid_url')).toBeGreaterThan(0)
    expect(codes.get('too_long')).toBeGreaterThan(0)
  }, 180_000)
})

/** The submission rules on one field (the others well-formed): what they keep, or the field errors of their refusal. */
function check(fields: { body?: string; name?: string; url?: string }) {
  try {
    return { ok: checkSubmission({ body: 'Comment', name: 'Reader', email: 'reader@example.com', ...fields }, { requireNameEmail: true }) }
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return { status: error.status, errors: error.errors }
  }
}

// The same checks as the requests above, on every payload, with the functions the routes call.
describe('every XSS payload through the submission rules and renderBody()', () => {
  it('renders every payload safely in renderBody(), also as a whole file', () => {
    for (const payload of payloads) expect(unsafeParts(renderBody(payload)), payload).toEqual([])
    expect(unsafeParts(renderBody(payloads.join('\n')))).toEqual([])
  })

  it('accepts every payload as a body, rendered without scripts, event handlers or javascript:/data: URLs', () => {
    for (const payload of payloads) {
      const result = check({ body: payload })
      expect(result.ok, payload).toBeDefined()
      const html = renderBody(result.ok?.body ?? '')
      expect(unsafeParts(html), `${payload}\n=> ${html}`).toEqual([])
    }
  })

  it('keeps every payload as a name verbatim, as plain text, or refuses it as too long', () => {
    let kept = 0
    for (const payload of payloads) {
      const result = check({ name: payload })
      const expected = plainLine(payload)
      if (utf8Bytes(expected) > 245) {
        expect(result, payload).toEqual({ status: 422, errors: [{ field: 'name', code: 'too_long', message: 'Your name is too long.' }] })
        continue
      }
      expect(result.ok?.name, payload).toBe(expected)
      kept++
    }
    expect(kept).toBeGreaterThan(6000)
  })

  it('accepts a payload as a website only as an http or https URL', () => {
    const codes = new Map<string, number>()
    for (const payload of payloads) {
      const result = check({ url: payload })
      if (!result.ok) {
        expect(result.status, payload).toBe(422)
        expect(
          result.errors?.map((e) => e.field),
          payload,
        ).toEqual(['url'])
        const code = result.errors?.[0]?.code ?? ''
        expect(['invalid_url', 'too_long'], payload).toContain(code)
        codes.set(code, (codes.get(code) ?? 0) + 1)
        continue
      }
      const url = result.ok.url ?? ''
      const parsed = new URL(url)
      expect(['http:', 'https:'], `${payload}\n=> ${url}`).toContain(parsed.protocol)
      expect(parsed.hostname, url).toMatch(/^[a-z0-9_.-]+$|^\[[0-9a-f:.]+\]$/)
      expect(url, payload).not.toMatch(/[\s"<>\\]/)
      codes.set('accepted', (codes.get('accepted') ?? 0) + 1)
    }
    expect(codes.get('invalid_url')).toBeGreaterThan(0)
    expect(codes.get('too_long')).toBeGreaterThan(0)
    expect(codes.get('accepted')).toBeGreaterThan(0)
  })
})
