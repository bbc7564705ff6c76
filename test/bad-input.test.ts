// The Big List of Naughty Strings and payloadbox's SQL injection list (test/support/corpora.ts):
// every entry through the submission rules below, on every run; a fixed sample through HTTP.
import { describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { AppError } from '../src/errors.js'
import { checkBody, checkSubmission, limits } from '../src/comments/submission-rules.js'
import { byteLength, cleanText } from '../src/comments/clean-text.js'
import { renderBody } from '../src/comments/render-body.js'
import { setupTestApp } from './support/test-app.js'
import { blns, edges, httpSample, naughty, sampleLabel, specialClasses, sqli } from './support/corpora.js'
import { scriptIn } from './support/hostile-checks.js'

const t = await setupTestApp()

/** What the functions take: every string of both corpora, and the edge strings no corpus holds. */
const strings = [...naughty, ...edges]
/** What each request test sends: the fixed sample of both corpora, and the edge strings. */
const sent = [...httpSample(naughty), ...edges]

// No client can put a lone surrogate in a URL: it sends the replacement character's bytes instead.
const inPath = (value: string) => encodeURIComponent(value.toWellFormed())

/** Strings that can travel in a header at all (no CR, LF, NUL, nothing beyond Latin-1): the rest no client can send. */
function isHeaderValue(value: string): boolean {
  try {
    new Headers({ authorization: value })
    return true
  } catch {
    return false
  }
}

interface Probe {
  label: string
  path: string
  init?: RequestInit
}

/** Runs `fn` over `items`, `size` at a time: concurrent enough for PostgreSQL's pool, bounded for PGlite. */
async function inChunks<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let at = 0; at < items.length; at += size) results.push(...(await Promise.all(items.slice(at, at + size).map(fn))))
  return results
}

/** Sends every probe and checks that the API answered it: 2xx/3xx, or 4xx as problem details; never 5xx. */
async function probeApi(probes: Probe[]): Promise<{ probe: Probe; status: number; json: unknown }[]> {
  return inChunks(probes, 20, async (probe) => {
    const res = await t.request(probe.path, probe.init)
    expect(res.status, probe.label).toBeLessThan(500)
    const text = await res.text()
    if (res.status < 400) return { probe, status: res.status, json: text ? JSON.parse(text) : null }
    expect(res.headers.get('content-type'), probe.label).toBe('application/problem+json')
    const problem = JSON.parse(text) as Record<string, unknown>
    expect(problem, probe.label).toMatchObject({
      type: 'about:blank',
      status: res.status,
      title: expect.any(String),
      detail: expect.any(String),
    })
    expect(problem.code, probe.label).toMatch(/^[a-z_]+$/)
    return { probe, status: res.status, json: problem }
  })
}

const label = (where: string, value: string) => `${where} = ${JSON.stringify(value).slice(0, 120)}`
const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

async function countRows() {
  const [commentRows] = await t.deps.db.select({ n: count() }).from(comments)
  const [articleRows] = await t.deps.db.select({ n: count() }).from(articles)
  return { comments: commentRows?.n ?? 0, articles: articleRows?.n ?? 0 }
}

/** No error reached the log: a refusal is an answer, not a failure. */
function expectNoErrorLogged() {
  expect(t.logLines.filter((line) => /"level":"(error|warn)"/.test(line))).toEqual([])
}

/** The field errors of a refusal by the rules; anything else they throw fails the test. */
function refusal(error: unknown, what: string): { field: string; code: string }[] {
  expect(error, what).toBeInstanceOf(AppError)
  const { status, code, errors } = error as AppError
  expect({ status, code }, what).toEqual({ status: 422, code: 'validation_failed' })
  expect(errors?.length, what).toBeGreaterThan(0)
  return (errors ?? []).map(({ field, code: fieldCode }) => ({ field, code: fieldCode }))
}

/** The rules' verdict, or the field errors of their refusal. */
function verdict<T>(run: () => T, what: string): { ok: T } | { refused: { field: string; code: string }[] } {
  try {
    return { ok: run() }
  } catch (error) {
    return { refused: refusal(error, what) }
  }
}

const singleLineForbidden = /[\u0000-\u001F\u007F\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/
const multilineForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

describe('naughty strings through the submission rules, every one', () => {
  it('has the whole corpora, and the HTTP sample has every special kind of entry', () => {
    expect(blns).toHaveLength(515)
    expect(sqli).toHaveLength(1821)
    expect(naughty.length).toBeGreaterThan(2100)
    // A fixed sample: every 16th entry and the special ones, well under the whole.
    expect(sent.length).toBeGreaterThan(naughty.length / 16)
    expect(sent.length).toBeLessThan(naughty.length / 8)
    for (const [kind, { test }] of Object.entries(specialClasses)) {
      if (naughty.some(test)) expect(sent.some(test), kind).toBe(true)
    }
    expect(
      sent.some((s) => s.includes('\u0000')),
      'NUL',
    ).toBe(true)
    expect(
      sent.some((s) => !s.isWellFormed()),
      'lone surrogate',
    ).toBe(true)
  })

  it('cleanText leaves well-formed text with none of the characters it removes, and is idempotent', () => {
    for (const s of strings) {
      const line = cleanText(s, { multiline: false })
      const text = cleanText(s, { multiline: true })
      expect(line.isWellFormed() && text.isWellFormed(), JSON.stringify(s)).toBe(true)
      expect(line, JSON.stringify(s)).not.toMatch(singleLineForbidden)
      expect(text, JSON.stringify(s)).not.toMatch(multilineForbidden)
      expect(cleanText(line, { multiline: false }), JSON.stringify(s)).toBe(line)
      expect(cleanText(text, { multiline: true }), JSON.stringify(s)).toBe(text)
    }
  })

  it('checkSubmission accepts or refuses any string in any field, refusing only that field, and keeps only clean text', () => {
    const valid = { body: 'A comment', name: 'Reader', email: 'reader@example.com', url: 'https://reader.example/' }
    const outcomes = { accepted: 0, refused: 0 }
    for (const s of strings) {
      for (const field of ['body', 'name', 'email', 'url'] as const) {
        const what = `${field} = ${JSON.stringify(s).slice(0, 120)}`
        const result = verdict(() => checkSubmission({ ...valid, [field]: s }, { requireNameEmail: true }), what)
        if ('refused' in result) {
          expect(
            result.refused.map((e) => e.field),
            what,
          ).toEqual([field])
          outcomes.refused++
          continue
        }
        outcomes.accepted++
        const clean = result.ok
        for (const line of [clean.name, clean.email ?? '', clean.url ?? '']) {
          expect(line.isWellFormed(), what).toBe(true)
          expect(line, what).not.toMatch(singleLineForbidden)
        }
        expect(clean.body, what).not.toMatch(multilineForbidden)
        expect(byteLength(clean.name), what).toBeLessThanOrEqual(limits.name)
        if (clean.url !== null) {
          expect(['http:', 'https:'], what).toContain(new URL(clean.url).protocol)
          expect(byteLength(clean.url), what).toBeLessThanOrEqual(limits.url)
        }
        expect(scriptIn(renderBody(clean.body)), what).toEqual([])
      }
    }
    expect(outcomes.accepted).toBeGreaterThan(strings.length)
    expect(outcomes.refused).toBeGreaterThan(strings.length / 2)
  })

  it("checkBody (an edit) accepts or refuses any string as the body alone, as a new comment's body is judged", () => {
    for (const s of strings) {
      const what = JSON.stringify(s).slice(0, 120)
      const edit = verdict(() => checkBody(s), what)
      const submission = verdict(
        () => checkSubmission({ body: s, name: 'Reader', email: 'reader@example.com' }, { requireNameEmail: true }).body,
        what,
      )
      expect(edit, what).toEqual(submission)
    }
  })
})

// Hundreds of requests per test: a minute on PGlite when the other core is busy too, hence the long timeouts.
describe(`naughty strings in every field (${sampleLabel}, and the edge strings)`, () => {
  it('reads threads with any key, limit, cursor, order and If-None-Match without a 5xx', async () => {
    const query = (params: Record<string, string>) => new URLSearchParams(params).toString()
    const probes = sent.flatMap((s): Probe[] => [
      { label: label('key', s), path: `/api/v1/articles/${inPath(s)}/comments` },
      { label: label('limit', s), path: `/api/v1/articles/a1/comments?${query({ limit: s })}` },
      { label: label('cursor', s), path: `/api/v1/articles/a1/comments?${query({ cursor: s })}` },
      { label: label('order', s), path: `/api/v1/articles/a1/comments?${query({ order: s })}` },
      ...(isHeaderValue(s)
        ? [{ label: label('If-None-Match', s), path: '/api/v1/articles/a1/comments', init: { headers: { 'If-None-Match': s } } }]
        : []),
    ])
    const results = await probeApi(probes)
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    expect(results.filter((r) => r.status === 422).length).toBeGreaterThan(0)
    expectNoErrorLogged()
  }, 300_000)

  it('answers submissions with any key or field value without a 5xx, storing only what it accepts', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const fields = (n: number) => ({ name: `Reader ${n}`, email: `reader${n}@example.com`, body: `Comment ${n}` })
    let n = 0
    const probes = sent.flatMap((s): Probe[] => {
      const post = (where: string, key: string, body: Record<string, unknown>): Probe => ({
        label: label(where, s),
        path: `/api/v1/articles/${key}/comments`,
        init: json('POST', { ...fields(++n), ...body }),
      })
      return [
        post('key', inPath(s), {}),
        post('body', 'a1', { body: s }),
        post('name', 'a1', { name: s }),
        post('email', 'a1', { email: s }),
        post('url', 'a1', { url: s }),
        post('parentId', 'a1', { parentId: s }),
        // A new article each time: the details of a known article are not read.
        post('article.url', `new-${n}`, { article: { url: s } }),
        // Fields that no rule reads closely, together: each still reaches the spam checks and the database.
        post('hp, turnstileToken, article.title', 'a2', { hp: s, turnstileToken: s, article: { title: s } }),
        {
          label: label('raw body', s),
          path: '/api/v1/articles/a1/comments',
          init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: s },
        },
      ]
    })
    const results = await probeApi(probes)

    const created = results.filter((r) => r.status === 201)
    expect(created.length).toBeGreaterThan(sent.length)
    expect(results.filter((r) => r.status === 422).length).toBeGreaterThan(sent.length)
    const keys = new Set(created.map((r) => decodeURIComponent(r.probe.path.split('/')[4] ?? '')))
    expect(await countRows()).toEqual({ comments: created.length, articles: keys.size })
    expectNoErrorLogged()
  }, 300_000)

  it('answers any comment id, token and edit without a 5xx, and no bad token changes the comment', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const seeded = await t.postJson('/api/v1/articles/a1/comments', { name: 'Ann', email: 'ann@example.com', body: 'Original' })
    const { comment, token } = (await seeded.json()) as { comment: { id: number }; token: string }
    const own = `/api/v1/comments/${comment.id}`
    const probes = sent.flatMap((s): Probe[] => {
      const path = `/api/v1/comments/${inPath(s)}`
      const header = isHeaderValue(`Bearer ${s}`) ? { Authorization: `Bearer ${s}` } : undefined
      return [
        { label: label('GET id', s), path },
        { label: label('PATCH id', s), path, init: json('PATCH', { body: 'Edited' }) },
        { label: label('DELETE id', s), path, init: { method: 'DELETE' } },
        { label: label('PATCH body', s), path: own, init: json('PATCH', { body: s }, { Authorization: `Bearer ${token}` }) },
        {
          label: label('PATCH raw body', s),
          path: own,
          init: { method: 'PATCH', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: s },
        },
        ...(header
          ? [
              { label: label('GET token', s), path: own, init: { headers: header } },
              { label: label('PATCH token', s), path: own, init: json('PATCH', { body: 'Hijacked' }, header) },
              { label: label('DELETE token', s), path: own, init: { method: 'DELETE', headers: header } },
            ]
          : []),
      ]
    })
    const results = await probeApi(probes)

    // Every body is checked (422 when refused); of those accepted, one an edit interval goes through and the rest wait (429).
    const edits = results.filter((r) => r.probe.label.startsWith('PATCH body'))
    expect(edits.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    expect(edits.filter((r) => ![200, 413, 422, 429].includes(r.status)).map((r) => `${r.probe.label}: ${r.status}`)).toEqual([])
    const [row] = await t.deps.db.select().from(comments).where(eq(comments.id, comment.id))
    expect(row?.status).not.toBe('trash')
    expect(row?.body).not.toBe('Hijacked')
    expect(await countRows()).toEqual({ comments: 1, articles: 1 })
    expectNoErrorLogged()
  }, 300_000)

  it('counts any keys without a 5xx', async () => {
    const results = await probeApi(
      sent.flatMap((s): Probe[] => [
        { label: label('keys', s), path: `/api/v1/counts?${new URLSearchParams({ keys: s })}` },
        ...(isHeaderValue(s)
          ? [{ label: label('If-None-Match', s), path: '/api/v1/counts?keys=a1', init: { headers: { 'If-None-Match': s } } }]
          : []),
      ]),
    )
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    expectNoErrorLogged()
  }, 300_000)

  it('answers the plain form with any field value without a 5xx, storing only what it accepts', async () => {
    await t.setSettings({ floodSeconds: 0 })
    // The form's article exists, so that a redirect_to that is no URL cannot stop its registration.
    expect((await t.postJson('/api/v1/articles/f1/comments', { name: 'Ann', email: 'ann@example.com', body: 'First' })).status).toBe(201)
    let n = 0
    const urlencoded = 'application/x-www-form-urlencoded'
    const probes = sent.flatMap((s) => [
      ...['comment', 'author', 'email', 'url', 'comment_post_ID', 'comment_parent', 'redirect_to'].map((field) => {
        n++
        const form = new URLSearchParams({
          comment: `Comment ${n}`,
          author: `Reader ${n}`,
          email: `reader${n}@example.com`,
          url: '',
          comment_post_ID: 'f1',
          comment_parent: '0',
          [field]: s,
        })
        return { label: label(field, s), type: urlencoded, body: form.toString(), key: form.get('comment_post_ID') ?? '' }
      }),
      { label: label('raw body', s), type: urlencoded, body: s, key: '' },
      { label: label('raw multipart body', s), type: 'multipart/form-data; boundary=naughty', body: s, key: '' },
    ])
    const statuses = await inChunks(probes, 20, async ({ label: where, type, body, key }) => {
      const res = await t.request('/comment-form', { method: 'POST', headers: { 'Content-Type': type }, body })
      expect(res.status, where).toBeLessThan(500)
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), where).toBe('text/html; charset=utf-8')
        expect(await res.text(), where).toContain('<strong>Error:</strong>')
      }
      return { status: res.status, key }
    })

    const stored = statuses.filter((s) => s.status === 201 || s.status === 303)
    expect(stored.length).toBeGreaterThan(sent.length)
    expect(statuses.filter((s) => s.status === 422).length).toBeGreaterThan(0)
    expect(await countRows()).toEqual({ comments: stored.length + 1, articles: new Set(['f1', ...stored.map((s) => s.key.trim())]).size })
    expectNoErrorLogged()
  }, 300_000)
})
