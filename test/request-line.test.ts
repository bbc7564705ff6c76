import { afterAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { eq } from 'drizzle-orm'
import { articles, comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'

// What only a real socket can send: an HTTP/1.0 request without Host, its URL's authority written
// in the request line, and requests that bypass the proxy TRUST_PROXY names.

const t = await setupTestApp()
const server = await serveTestApp(t)
afterAll(() => server.close())

/** One request as raw bytes; the answer's status line and headers. */
function raw(head: string, body: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
    })
    socket.on('error', reject)
    socket.on('close', () => {
      const [statusLine = '', ...lines] = (answer.split('\r\n\r\n')[0] ?? '').split('\r\n')
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      )
      resolve({ status: Number(statusLine.split(' ')[1]), headers })
    })
    // Written, not ended: the answer closes the connection (HTTP/1.0, or Connection: close).
    socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })
}

describe('requests only a socket can send', () => {
  it("an absolute-form request line without Host does not make its authority Parley's origin", async () => {
    const body = JSON.stringify({
      name: 'Eve',
      email: 'eve@example.com',
      body: 'From nowhere',
      article: { url: 'http://evil.example/x', title: 't' },
    })
    const res = await raw(
      'POST http://evil.example/api/v1/articles/abs/comments HTTP/1.0\r\nOrigin: http://evil.example\r\nContent-Type: application/json',
      body,
    )
    expect(res.status).toBe(403)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    expect(await t.deps.db.select().from(articles).where(eq(articles.key, 'abs'))).toEqual([])
  })

  it("with TRUST_PROXY set, a request without the proxy's header (or with garbage in it) is the socket's: its limits apply", async () => {
    await t.setSettings({ floodSeconds: 15 })
    t.deps.config.trustProxy = 'x-forwarded-for'
    try {
      const post = (n: number, header: string) =>
        raw(
          `POST /api/v1/articles/bypass/comments HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\nContent-Type: application/json${header}`,
          JSON.stringify({ name: `Reader ${n}`, email: `bypass${n}@example.com`, body: `Around the proxy ${n}` }),
        )
      expect((await post(1, '')).status).toBe(201)
      expect((await post(2, '\r\nX-Forwarded-For: garbage')).status).toBe(429)
      expect((await post(3, '\r\nX-Forwarded-For: ')).status).toBe(429)
      const rows = await t.deps.db.select({ ip: comments.ip }).from(comments)
      expect(rows).toEqual([{ ip: '127.0.0.1' }])
    } finally {
      t.deps.config.trustProxy = null
    }
  })
})
