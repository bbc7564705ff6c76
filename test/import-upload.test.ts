import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { counts, fixture, importOk, postImport } from './support/imports.js'
import { importComments } from '../src/importers/import-comments.js'
import { spoolToFile } from '../src/runtime/spool-file.js'

// The import endpoint as a client on a real socket meets it: uploads that stall, trickle or are
// cut off mid-body, on the Node server the entry runs (nodeFetch, Node's own error answers).
const t = await setupTestApp()
const server = await serveTestApp(t)
// The spooled uploads go here, where the test can see them (the app's default is os.tmpdir()).
const spoolDir = await mkdtemp(join(tmpdir(), 'parley-upload-test-'))
t.deps.importer = { run: importComments, spool: spoolToFile(spoolDir) }
afterAll(async () => {
  await server.close()
  await rm(spoolDir, { recursive: true, force: true })
})
beforeEach(() => {
  t.deps.config.importIdleMs = undefined
  t.deps.config.importMaxBytes = undefined
})

const file = Buffer.from(fixture('wordpress/theme-preview.xml'))
const half = Math.floor(file.byteLength / 2)

/** A small WordPress export of its own: one post, one comment. */
const smallExport = (post: number) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Small</title>' +
  `<item><title>Post ${post}</title><wp:post_id>${post}</wp:post_id><wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author>` +
  '<wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt><wp:comment_content>Hello.</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment></item></channel></rss>'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** An upload over a real socket, sent chunked (nothing says how much is to come), part by part as the test says. */
function startUpload(admin: SignedIn, headers: Record<string, string> = {}) {
  const req = request({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: '/api/v1/admin/import',
    headers: { ...admin.headers, 'Content-Type': 'application/xml', ...headers },
  })
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
  return {
    send: (part: Buffer) => new Promise<void>((resolve, reject) => req.write(part, (error) => (error ? reject(error) : resolve()))),
    end: (part: Buffer) => req.end(part),
    /** Closes the connection mid-body, as a killed client does. */
    abort: () => {
      answer.catch(() => undefined)
      req.destroy()
    },
    answer,
  }
}

/** Polls `check` until it holds; fails after a generous bound. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !(await check());) {
    if (Date.now() - started > ms) throw new Error(`still waiting, after ${ms} ms, for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Every spooled upload there is now: a directory of its own, the file in it (one the server is removing meanwhile is gone). */
async function spooled() {
  const found = []
  for (const dir of await readdir(spoolDir)) {
    try {
      for (const name of await readdir(join(spoolDir, dir))) {
        const path = join(spoolDir, dir, name)
        found.push({
          dirMode: (await stat(join(spoolDir, dir))).mode & 0o777,
          mode: (await stat(path)).mode & 0o777,
          size: (await stat(path)).size,
        })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return found
}

/** Until the server holds the first part of an upload in its spool file: it is waiting for the rest. */
const spooling = () => until('the first part in the spool file', async () => (await spooled()).some((f) => f.size > 0))

const logged = () => t.logLines.map((line) => JSON.parse(line) as { level: string; message: string; status?: number; path?: string })

describe('an upload that stalls mid-body', () => {
  it('holds no database: a thread read and another import are answered meanwhile, and the upload is imported when the rest arrives', async () => {
    const admin = await signIn(t, 'admin')
    const stalled = startUpload(admin)
    await stalled.send(file.subarray(0, half))
    await spooling()

    // On PGlite the one connection, on PostgreSQL the import lock: what an open import transaction would hold.
    const thread = await fetch(`${server.url}/api/v1/articles/some-post/comments`, { signal: AbortSignal.timeout(10_000) })
    expect(thread.status).toBe(200)
    const other = await fetch(`${server.url}/api/v1/admin/import`, {
      method: 'POST',
      headers: { ...admin.headers, 'Content-Type': 'application/xml' },
      body: smallExport(900),
      signal: AbortSignal.timeout(10_000),
    })
    expect(other.status).toBe(200)
    expect(await other.json()).toMatchObject({ articles: 1, comments: 1 })

    stalled.end(file.subarray(half))
    const answer = await stalled.answer
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ format: 'wxr', comments: 2, errors: [] })
    expect(await spooled()).toEqual([])
  })

  it('keeps it in a file only its owner reads (0600, in a directory of its own, 0700), gone once imported', async () => {
    const admin = await signIn(t, 'admin')
    const upload = startUpload(admin)
    await upload.send(file.subarray(0, half))
    await spooling()
    expect(await spooled()).toEqual([{ dirMode: 0o700, mode: 0o600, size: half }])
    upload.end(file.subarray(half))
    expect((await upload.answer).status).toBe(200)
    expect(await spooled()).toEqual([])
  })

  it('is answered 408 request_timeout once nothing arrives for PARLEY_IMPORT_IDLE_SECONDS: nothing imported, the file gone, the connection closed', async () => {
    t.deps.config.importIdleMs = 1000
    const admin = await signIn(t, 'admin')
    const stalled = startUpload(admin)
    await stalled.send(file.subarray(0, half))
    await spooling()
    // Answered while the client still holds its side open, as a stalled client does.
    const answer = await stalled.answer
    expect(answer.status).toBe(408)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(answer.headers.connection).toBe('close')
    expect(JSON.parse(answer.body)).toEqual({
      type: 'about:blank',
      title: 'Request Timeout',
      status: 408,
      code: 'request_timeout',
      detail: 'Nothing of the file arrived for 1 second (PARLEY_IMPORT_IDLE_SECONDS): send it again.',
    })
    expect(await spooled()).toEqual([])
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
    expect(logged().filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([])
  })
})

describe('a client that closes the connection mid-upload', () => {
  const variants: { name: string; headers: Record<string, string>; bytes: Buffer }[] = [
    { name: 'a plain upload', headers: {}, bytes: file },
    // Through the Content-Encoding decoder, whose own error ("not valid gzip") must not hide the close.
    { name: 'a Content-Encoding: gzip upload', headers: { 'Content-Encoding': 'gzip' }, bytes: gzipSync(file) },
  ]
  for (const variant of variants) {
    it(`is logged at info level, answered 400 client_closed (no 500, no error log), its file removed: ${variant.name}`, async () => {
      const admin = await signIn(t, 'admin')
      const upload = startUpload(admin, variant.headers)
      await upload.send(variant.bytes.subarray(0, Math.floor(variant.bytes.byteLength / 2)))
      await spooling()
      upload.abort()
      await until('the close in the log', () => logged().some((line) => line.message === 'client closed the connection'))

      const lines = logged()
      expect(lines.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([])
      expect(lines.filter((line) => line.message === 'client closed the connection')).toEqual([
        { level: 'info', time: expect.any(String), message: 'client closed the connection', method: 'POST', path: '/api/v1/admin/import' },
      ])
      expect(lines.filter((line) => line.message === 'request' && line.path === '/api/v1/admin/import').map((line) => line.status)).toEqual(
        [400],
      )
      expect(await spooled()).toEqual([])
      expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
    })
  }
})

describe('what an upload may be', () => {
  it('imports a gzip file sent without Content-Encoding (found by its first bytes), held to the limit once decompressed', async () => {
    const admin = await signIn(t, 'admin')
    expect(await importOk(t, admin, new Blob([gzipSync(file)]))).toMatchObject({ format: 'wxr', comments: 2 })
    t.deps.config.importMaxBytes = 1024 * 1024
    const bomb = gzipSync(Buffer.concat([file, Buffer.alloc(2 * 1024 * 1024, 0x20)]))
    expect(bomb.byteLength).toBeLessThan(64 * 1024)
    const res = await postImport(t, admin, new Blob([bomb]))
    expect(res.status).toBe(413)
    expect((await res.json()).code).toBe('payload_too_large')
    expect(await spooled()).toEqual([])
  })

  it('refuses gzip bombs over the limit, sent as they are or with Content-Encoding, each 413 and none an uncaught error', async () => {
    // Node's DecompressionStream, cancelled with decompressed bytes still queued, throws them uncaught
    // (nodejs/node#64529): in a server, the process stops. It took a few tries in ten.
    const uncaught: unknown[] = []
    const monitor = (error: unknown) => uncaught.push(error)
    process.on('uncaughtExceptionMonitor', monitor)
    try {
      const admin = await signIn(t, 'admin')
      t.deps.config.importMaxBytes = 1024 * 1024
      const bomb = gzipSync(Buffer.concat([file, Buffer.alloc(4 * 1024 * 1024, 0x20)]))
      const statuses: number[] = []
      for (let i = 0; i < 25; i++) {
        statuses.push((await postImport(t, admin, new Blob([bomb]))).status)
        const encoded = await t.request('/api/v1/admin/import', {
          method: 'POST',
          headers: { ...admin.headers, 'Content-Type': 'application/xml', 'Content-Encoding': 'gzip' },
          body: new Blob([bomb]),
        })
        statuses.push(encoded.status)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(uncaught).toEqual([])
      expect(new Set(statuses)).toEqual(new Set([413]))
    } finally {
      process.off('uncaughtExceptionMonitor', monitor)
    }
  })

  it('refuses a damaged gzip file whole (422), and a Content-Encoding Parley does not decode (415 unsupported_encoding)', async () => {
    const admin = await signIn(t, 'admin')
    const damaged = gzipSync(file).subarray(0, 200)
    const res = await postImport(t, admin, new Blob([damaged]))
    expect(res.status).toBe(422)
    expect((await res.json()).errors).toMatchObject([{ field: 'body', code: 'unknown_format' }])
    const br = await t.request('/api/v1/admin/import', {
      method: 'POST',
      headers: { ...admin.headers, 'Content-Type': 'application/xml', 'Content-Encoding': 'br' },
      body: file,
    })
    expect(br.status).toBe(415)
    expect(br.headers.get('accept-encoding')).toBe('gzip, deflate')
    expect((await br.json()).code).toBe('unsupported_encoding')
    expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
    expect(await spooled()).toEqual([])
  })
})

describe("Node's own answers, before a request reaches Parley", () => {
  /** What a raw socket gets back for `sent`, until the server closes it. */
  async function rawAnswer(port: number, sent: string): Promise<{ head: string; body: string }> {
    const socket = connect(port, '127.0.0.1')
    socket.write(sent)
    let received = ''
    socket.setEncoding('utf8')
    for await (const chunk of socket) received += String(chunk)
    const [head = '', body = ''] = received.split('\r\n\r\n')
    return { head, body }
  }

  it('are problem details: 408 request_timeout when the headers do not arrive in time, 400 malformed_request for what is not HTTP', async () => {
    const quick = await serveTestApp(t, { headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 })
    try {
      const late = await rawAnswer(quick.port, 'GET /healthz HTTP/1.1\r\nHost: parley.test\r\n')
      expect(late.head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
      expect(late.head).toContain('Content-Type: application/problem+json')
      expect(JSON.parse(late.body)).toMatchObject({ status: 408, code: 'request_timeout', title: 'Request Timeout' })
      const bogus = await rawAnswer(quick.port, 'NOT HTTP AT ALL\r\n\r\n')
      expect(bogus.head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
      expect(JSON.parse(bogus.body)).toMatchObject({ status: 400, code: 'malformed_request' })
    } finally {
      await quick.close()
    }
  })

  it("answer an upload that outlasts Node's requestTimeout with 408 request_timeout problem details, its file removed, no error logged", async () => {
    const quick = await serveTestApp(t, { headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 })
    try {
      const admin = await signIn(t, 'admin')
      const socket = connect(quick.port, '127.0.0.1')
      const head = `POST /api/v1/admin/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${admin.headers.Authorization}\r\nContent-Type: application/xml\r\nContent-Length: ${file.byteLength}\r\n\r\n`
      socket.write(Buffer.concat([Buffer.from(head), file.subarray(0, half)]))
      let received = ''
      socket.setEncoding('utf8')
      for await (const chunk of socket) received += String(chunk)
      const [status = '', body = ''] = received.split('\r\n\r\n')
      expect(status).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
      expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'request_timeout' })
      await until('the spooled upload removed', async () => (await spooled()).length === 0)
      expect(logged().filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([])
      expect(await counts(t)).toEqual({ articles: 0, comments: 0 })
    } finally {
      await quick.close()
    }
  })
})
