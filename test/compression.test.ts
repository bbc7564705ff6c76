import { describe, expect, it } from 'vitest'
import type { Coding, Compress } from '../src/deps.js'
import { nodeCompress } from '../src/runtime/node-compress.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { decodedText } from './support/contract.js'

const t = await setupTestApp({ readCache: true })

/** Every call the app makes to the real compressor, by coding. */
const calls: Coding[] = []
const counted: Compress = (body, coding, effort) => {
  calls.push(coding)
  return nodeCompress(body, coding, effort)
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await t.request(path, { headers })
  const bytes = Buffer.from(await res.arrayBuffer())
  return { res, bytes, text: res.status === 304 ? '' : decodedText(bytes, res.headers.get('content-encoding')) }
}

async function threadWithComments(key: string, count: number): Promise<void> {
  await t.setSettings(openSettings)
  for (let i = 0; i < count; i++) {
    await postComment(t, key, { body: `Comment ${i}: the council should publish the whole budget, line by line, before the vote.` })
  }
}

describe('compressed answers', () => {
  it('answers a thread page in br or gzip as Accept-Encoding asks, the same JSON, with an ETag per coding', async () => {
    await threadWithComments('k', 12)
    const path = '/api/v1/articles/k/comments?limit=50'
    const plain = await get(path)
    const br = await get(path, { 'Accept-Encoding': 'gzip, deflate, br, zstd' })
    const gzip = await get(path, { 'Accept-Encoding': 'gzip;q=1.0, br;q=0.5' })
    expect(plain.res.headers.get('content-encoding')).toBeNull()
    expect(br.res.headers.get('content-encoding')).toBe('br')
    expect(gzip.res.headers.get('content-encoding')).toBe('gzip')
    for (const answer of [plain, br, gzip]) {
      expect(answer.text).toBe(plain.text)
      expect(answer.res.headers.get('vary')).toMatch(/\bAccept-Encoding\b/)
      expect(answer.res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    }
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3)
    const etag = plain.res.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[^"]+"$/)
    expect(br.res.headers.get('etag')).toBe(`${etag.slice(0, -1)}-br"`)
    expect(gzip.res.headers.get('etag')).toBe(`${etag.slice(0, -1)}-gzip"`)
  })

  it('keeps a representation valid only in its own coding: 304 for the same coding, 200 for another', async () => {
    await threadWithComments('k', 3)
    const path = '/api/v1/articles/k/comments'
    const br = await get(path, { 'Accept-Encoding': 'br' })
    const brEtag = br.res.headers.get('etag') ?? ''
    const again = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': brEtag })
    expect(again.res.status).toBe(304)
    expect(again.res.headers.get('etag')).toBe(brEtag)
    expect(again.res.headers.get('vary')).toMatch(/\bAccept-Encoding\b/)
    const plain = await get(path, { 'If-None-Match': brEtag })
    expect(plain.res.status).toBe(200)
    expect(plain.res.headers.get('content-encoding')).toBeNull()
    // Revalidated from the database (a fresh instance has nothing kept): the same answer.
    t.deps.readCache?.flush()
    expect((await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': brEtag })).res.status).toBe(304)
    await postComment(t, 'k', { body: 'A new comment changes every coding of the page.' })
    expect((await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': brEtag })).res.status).toBe(200)
  })

  it('follows q-values: a coding at q=0 is never used, identity when nothing offered is acceptable', async () => {
    await threadWithComments('k', 2)
    const path = '/api/v1/articles/k/comments'
    const coding = async (accept: string) => (await get(path, { 'Accept-Encoding': accept })).res.headers.get('content-encoding')
    expect(await coding('br;q=0, gzip')).toBe('gzip')
    expect(await coding('*')).toBe('br')
    expect(await coding('identity')).toBeNull()
    expect(await coding('deflate, zstd')).toBeNull()
    expect(await coding('gzip;q=0, br;q=0')).toBeNull()
    expect(await coding('BR')).toBe('br')
    // x-gzip is gzip (RFC 9110 §8.4.1.3), alone or in a list, whatever its case.
    expect(await coding('x-gzip')).toBe('gzip')
    expect(await coding('deflate, X-GZIP;q=0.5')).toBe('gzip')
    expect(await coding('x-gzip;q=0')).toBeNull()
  })

  it('revalidates the favicon with its Cache-Control repeated on the 304', async () => {
    const first = await t.request('/favicon.ico')
    const etag = first.headers.get('etag') ?? ''
    const again = await t.request('/favicon.ico', { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('cache-control')).toBe(first.headers.get('cache-control'))
    expect(again.headers.get('cache-control')).toContain('max-age')
  })

  it('compresses a kept page once per coding, not per request, and again only once it changed', async () => {
    await threadWithComments('k', 5)
    const original = t.deps.compress
    t.deps.compress = counted
    calls.length = 0
    try {
      const path = '/api/v1/articles/k/comments?limit=30'
      for (let i = 0; i < 5; i++) await get(path, { 'Accept-Encoding': 'br' })
      for (let i = 0; i < 3; i++) await get(path, { 'Accept-Encoding': 'gzip' })
      for (let i = 0; i < 3; i++) await get('/api/v1/counts?keys=k', { 'Accept-Encoding': 'br' })
      expect(calls).toEqual(['br', 'gzip', 'br'])
      await postComment(t, 'k', { body: 'Another comment: the page changes, and is compressed again when read.' })
      const page = await get(path, { 'Accept-Encoding': 'br' })
      await get(path, { 'Accept-Encoding': 'br' })
      expect(calls).toEqual(['br', 'gzip', 'br', 'br'])
      expect(JSON.parse(page.text).comments).toHaveLength(6)
    } finally {
      t.deps.compress = original
    }
  })

  it('answers counts, the widget and the API document compressed, each revalidating by its coded ETag', async () => {
    await threadWithComments('k', 1)
    for (const path of ['/api/v1/counts?keys=k,other', '/widget.js', '/openapi.json', '/admin/admin.js', '/admin/admin.css']) {
      const plain = await get(path)
      const br = await get(path, { 'Accept-Encoding': 'br' })
      expect(br.res.status, path).toBe(200)
      expect(br.res.headers.get('content-encoding'), path).toBe('br')
      expect(br.text, path).toBe(plain.text)
      expect(br.res.headers.get('vary'), path).toMatch(/\bAccept-Encoding\b/)
      const etag = br.res.headers.get('etag') ?? ''
      expect(etag, path).toMatch(/-br"$/)
      expect((await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': etag })).res.status, path).toBe(304)
    }
    const widget = await get('/widget.js', { 'Accept-Encoding': 'br' })
    expect(widget.bytes.length).toBeLessThan((await get('/widget.js')).bytes.length / 3)
  })

  it('answers uncompressed where the runtime does not compress (Workers: Cloudflare compresses at its edge)', async () => {
    await threadWithComments('k', 2)
    const original = t.deps.compress
    delete t.deps.compress
    try {
      const page = await get('/api/v1/articles/k/comments', { 'Accept-Encoding': 'br, gzip' })
      expect(page.res.headers.get('content-encoding')).toBeNull()
      expect(page.res.headers.get('etag')).not.toMatch(/-(br|gzip)"$/)
      expect(JSON.parse(page.text).comments).toHaveLength(2)
    } finally {
      t.deps.compress = original
    }
  })
})
