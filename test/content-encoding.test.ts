import { afterAll, describe, expect, it } from 'vitest'
import { deflateSync, gzipSync } from 'node:zlib'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { fixture } from './support/imports.js'
import { serveTestApp } from './support/http-server.js'

const t = await setupTestApp()
const server = await serveTestApp(t)
afterAll(() => server.close())

const submission = (n: number) => ({ name: `Reader ${n}`, email: `reader${n}@example.com`, body: `Compressed comment ${n}` })

/** A JSON body sent compressed, as a client that compresses its uploads sends it. */
const encoded = (coding: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Content-Encoding': coding, 'Content-Length': String(body.byteLength), ...headers },
  body: new Blob([body]),
})

describe('a request body with Content-Encoding', () => {
  it('is decompressed when gzip or deflate: the route reads the JSON it holds', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const gzipped = await t.request('/api/v1/articles/z1/comments', encoded('gzip', gzipSync(JSON.stringify(submission(1)))))
    expect(gzipped.status).toBe(201)
    expect((await gzipped.json()).comment.html).toBe('<p>Compressed comment 1</p>')
    const deflated = await t.request('/api/v1/articles/z1/comments', encoded('deflate', deflateSync(JSON.stringify(submission(2)))))
    expect(deflated.status).toBe(201)
    const admin = await signIn(t, 'admin')
    const settings = await t.request('/api/v1/admin/settings', {
      ...encoded('x-gzip', gzipSync(JSON.stringify({ threadDepth: 3 })), { ...admin.headers, Origin: ORIGIN }),
      method: 'PATCH',
    })
    expect(settings.status).toBe(200)
    expect((await settings.json()).threadDepth).toBe(3)
  })

  it('is decompressed over a real socket too, as @hono/node-server hands it over', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const res = await fetch(`${server.url}/api/v1/articles/z2/comments`, encoded('gzip', gzipSync(JSON.stringify(submission(3)))))
    expect(res.status).toBe(201)
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20))
    const refused = await fetch(`${server.url}/api/v1/articles/z2/comments`, encoded('gzip', bomb))
    expect(refused.status).toBe(413)
    expect((await refused.json()).code).toBe('payload_too_large')
  })

  it('is held to the 1 MiB limit once decompressed: a small gzip of many megabytes is 413, read no further', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
    expect(bomb.byteLength).toBeLessThan(128 * 1024)
    const res = await t.request('/api/v1/articles/z3/comments', encoded('gzip', bomb))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({
      code: 'payload_too_large',
      detail: 'The request body is larger than 1024 KiB once decompressed.',
    })
  })

  it('answers 400 for a body that is not the coding it claims, and 415 with Accept-Encoding for a coding Parley does not decode', async () => {
    const broken = await t.request('/api/v1/articles/z4/comments', encoded('gzip', new TextEncoder().encode(JSON.stringify(submission(4)))))
    expect(broken.status).toBe(400)
    expect(await broken.json()).toMatchObject({ code: 'malformed_json', detail: 'The request body is not valid gzip data.' })
    for (const coding of ['br', 'gzip, gzip', 'compress']) {
      const res = await t.request('/api/v1/articles/z4/comments', encoded(coding, gzipSync(JSON.stringify(submission(5)))))
      expect(res.status, coding).toBe(415)
      expect(res.headers.get('accept-encoding'), coding).toBe('gzip, deflate')
      expect((await res.json()).code, coding).toBe('unsupported_encoding')
    }
    // identity is no coding at all.
    await t.setSettings({ floodSeconds: 0 })
    expect(
      (await t.request('/api/v1/articles/z4/comments', encoded('identity', new TextEncoder().encode(JSON.stringify(submission(6))))))
        .status,
    ).toBe(201)
  })

  it('decompresses an import, whose own limit counts the decompressed file', async () => {
    const admin = await signIn(t, 'admin')
    const file = gzipSync(fixture('wordpress/theme-preview.xml'))
    const res = await t.request('/api/v1/admin/import', {
      method: 'POST',
      headers: {
        ...admin.headers,
        Origin: ORIGIN,
        'Content-Type': 'application/xml',
        'Content-Encoding': 'gzip',
        'Content-Length': String(file.byteLength),
      },
      body: new Blob([file]),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).comments).toBeGreaterThan(0)
  })
})
