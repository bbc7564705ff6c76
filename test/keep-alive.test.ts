import { afterAll, describe, expect, it } from 'vitest'
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { once } from 'node:events'
import { like } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'

// The Node server as a keep-alive client meets it: an early answer (413, 415, 401, 403) to a body
// Parley never read, then the client's next request on the connection it would reuse.
const t = await setupTestApp()
const server = await serveTestApp(t)
afterAll(() => server.close())

interface Answer {
  status: number
  connection: string | undefined
  socket: Socket
  reusedSocket: boolean
}

/** One request through `agent`; a body sent as `chunks` goes out chunked (no Content-Length). */
function send(agent: Agent, path: string, headers: Record<string, string>, body: string | Buffer | { chunks: Buffer[] }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port: server.port, method: 'POST', path, headers }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          socket: req.socket as Socket,
          reusedSocket: req.reusedSocket,
        }),
      )
    })
    req.on('error', reject)
    if (typeof body === 'string' || Buffer.isBuffer(body)) return void req.end(body)
    for (const chunk of body.chunks) req.write(chunk)
    req.end()
  })
}

let n = 0
/** A comment that is accepted: its own email and body, the clock moved past flood control. */
function postComment(agent: Agent): Promise<Answer> {
  t.advance(120)
  n++
  const body = JSON.stringify({ name: 'Ann', email: `ann${n}@example.com`, body: `Comment number ${n} after an early answer` })
  return send(
    agent,
    '/api/v1/articles/keep-alive/comments',
    { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
    body,
  )
}

const KB = 1024
const filler = (bytes: number) => Buffer.alloc(bytes, 'a')
const formBody = (bytes: number) => `comment=${'a'.repeat(bytes)}&author=Ann&email=ann%40example.com&comment_post_ID=k`

const earlyAnswers: {
  name: string
  path: string
  headers: Record<string, string>
  body: string | Buffer | { chunks: Buffer[] }
  status: number
}[] = [
  {
    name: 'an oversized API post (Content-Length)',
    path: '/api/v1/articles/keep-alive/comments',
    headers: { 'Content-Type': 'application/json' },
    body: filler(2048 * KB),
    status: 413,
  },
  {
    name: 'an oversized API post sent chunked',
    path: '/api/v1/articles/keep-alive/comments',
    headers: { 'Content-Type': 'application/json' },
    body: { chunks: Array.from({ length: 40 }, () => filler(64 * KB)) },
    status: 413,
  },
  {
    name: 'an oversized /comment-form post',
    path: '/comment-form',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody(2048 * KB),
    status: 413,
  },
  {
    name: 'an oversized dashboard form post',
    path: '/admin/logout',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody(2048 * KB),
    status: 413,
  },
  {
    name: 'an API post that is not JSON (415)',
    path: '/api/v1/articles/keep-alive/comments',
    headers: { 'Content-Type': 'text/plain' },
    body: filler(900 * KB),
    status: 415,
  },
  {
    name: 'a /comment-form post that is not a form (415)',
    path: '/comment-form',
    headers: { 'Content-Type': 'text/plain' },
    body: filler(900 * KB),
    status: 415,
  },
  {
    name: 'a dashboard form post without a session (401)',
    path: '/admin/logout',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody(900 * KB),
    status: 401,
  },
  {
    name: 'a sign-in from another origin (403)',
    path: '/admin/login',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://elsewhere.example' },
    body: formBody(900 * KB),
    status: 403,
  },
]

describe('early answers to unread bodies, on a keep-alive connection', () => {
  for (const early of earlyAnswers) {
    it(`answers ${early.name} with Connection: close, and the client's next request succeeds`, async () => {
      // One socket at a time: the next request goes out on this connection unless the server said it closes.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      try {
        const before = await postComment(agent)
        expect(before.status).toBe(201)
        const answer = await send(agent, early.path, early.headers, early.body)
        expect(answer.status).toBe(early.status)
        expect(answer.connection).toBe('close')
        // What a keep-alive client does next, on what the server left it: a fresh connection.
        const after = await postComment(agent)
        expect(after.status).toBe(201)
        expect(after.socket).not.toBe(answer.socket)
      } finally {
        agent.destroy()
      }
    })
  }

  it('keeps the connection of a post whose body was read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await postComment(agent)
      const second = await postComment(agent)
      expect([first.status, second.status]).toEqual([201, 201])
      expect(first.connection).toBe('keep-alive')
      expect(second.reusedSocket).toBe(true)
    } finally {
      agent.destroy()
    }
  })
})

// On Node a JSON body of declared length is read from the socket itself, not through a web
// Request (AppEnv's bodyText): it must read as Request.json() would, and a client that leaves
// halfway must cost nothing but its own request.
describe('JSON bodies read from the socket', () => {
  const path = '/api/v1/articles/keep-alive/comments'
  const json = (body: Buffer) => ({ 'Content-Type': 'application/json', 'Content-Length': String(body.length) })
  const comment = (text: string) => {
    t.advance(120)
    n++
    return `{"name":"Ann","email":"ann${n}@example.com","body":"${text} ${n}"}`
  }

  it('drops a byte-order mark and replaces bytes that are not UTF-8, as Request.json() does', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(comment('After a byte-order mark'))])
      expect((await send(agent, path, json(withBom), withBom)).status).toBe(201)
      const [before, after] = comment('Broken \u0000 byte').split('\u0000')
      const broken = Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xff]), Buffer.from(after ?? '')])
      expect((await send(agent, path, json(broken), broken)).status).toBe(201)
      const [stored] = await t.deps.db.select({ body: comments.body }).from(comments).where(like(comments.body, 'Broken %'))
      expect(stored?.body).toMatch(/^Broken \uFFFD byte \d+$/)
    } finally {
      agent.destroy()
    }
  })

  it('answers JSON that does not parse with 400 and keeps the connection, its body read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const bad = Buffer.from('{"name": "Ann", "body": ')
      const answer = await send(agent, path, json(bad), bad)
      expect(answer.status).toBe(400)
      const next = await postComment(agent)
      expect(next.status).toBe(201)
      expect(next.reusedSocket).toBe(true)
    } finally {
      agent.destroy()
    }
  })

  it('lets a client that sends half its declared body and leaves go, and answers the next one', async () => {
    const socket = connect(server.port, '127.0.0.1')
    await once(socket, 'connect')
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"Ann",`)
    await new Promise((resolve) => setTimeout(resolve, 50))
    socket.destroy()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      expect((await postComment(agent)).status).toBe(201)
    } finally {
      agent.destroy()
    }
  })
})
