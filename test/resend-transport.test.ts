import { describe, expect, it } from 'vitest'
import { MailSendError, type MailMessage } from '../src/mail/mail-transport.js'
import { resendTransport } from '../src/mail/resend-transport.js'
import { loopbackServer, refusedUrl, type Answer } from './support/loopback-server.js'

const FROM = 'Parley <comments@example.test>'
const KEY = 're_test_0123456789abcdef'
const ADDRESS = 'Reader.Name+tag@example.test'

/** Resend's error body: `{ statusCode, name, message }`, the message quoting the address as Resend's may. */
const resendError =
  (status: number, name: string, message = `The address ${ADDRESS} cannot be used.`): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ statusCode: status, name, message }))
  }

const message = (extra: Partial<MailMessage> = {}): MailMessage => ({
  to: ADDRESS,
  subject: 'A reply to “Hello world” — ünïcödé',
  text: `Plain text for ${ADDRESS}`,
  html: '<p>HTML body</p>',
  ...extra,
})

/** The error a send ends with, checked to say nothing of the address nor of the body's text. */
async function failure(send: Promise<void>): Promise<MailSendError> {
  const error = await send.then(
    () => expect.unreachable('the send was taken'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(MailSendError)
  const text = `${String(error)} ${JSON.stringify(error)}`
  expect(text).not.toContain('Reader.Name')
  expect(text).not.toContain('example.test')
  expect(text).not.toContain('cannot be used')
  expect(text).not.toContain(KEY)
  return error as MailSendError
}

describe("the Resend transport, against a stand-in for Resend's API on loopback", () => {
  it('posts the send-email JSON with the key, the headers asked for and the idempotency key', async () => {
    const api = await loopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}')
    })
    const transport = resendTransport({ key: KEY, url: `${api.url}/emails`, from: FROM, timeoutMs: 3000 })
    await transport.send(
      message({
        id: 'notification-42',
        headers: {
          'List-Unsubscribe': '<https://comments.example.test/u/abc>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
    )
    expect(api.received).toHaveLength(1)
    const [request] = api.received
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/emails')
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['idempotency-key']).toBe('notification-42')
    expect(request?.headers['user-agent']).toBe('Parley/1')
    expect(JSON.parse(request?.body ?? '')).toEqual({
      from: FROM,
      to: [ADDRESS],
      subject: 'A reply to “Hello world” — ünïcödé',
      text: `Plain text for ${ADDRESS}`,
      html: '<p>HTML body</p>',
      headers: {
        'List-Unsubscribe': '<https://comments.example.test/u/abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    })

    // Without an id or headers, neither is sent; any 2xx is taken.
    api.answer((_req, res) => {
      res.writeHead(202).end()
    })
    await transport.send(message())
    const plain = api.received[1]
    expect(plain?.headers['idempotency-key']).toBeUndefined()
    expect(Object.keys(JSON.parse(plain?.body ?? '') as object).sort()).toEqual(['from', 'html', 'subject', 'text', 'to'])
  })

  it('names the API by scheme and host only', async () => {
    expect(resendTransport({ key: KEY, url: 'https://api.resend.com/emails', from: FROM, timeoutMs: 1 }).describe).toBe(
      'https://api.resend.com',
    )
    expect(resendTransport({ key: KEY, url: 'http://127.0.0.1:8025/v1/emails?x=1', from: FROM, timeoutMs: 1 }).describe).toBe(
      'http://127.0.0.1:8025',
    )
  })

  it('a 400 or 422 about the recipient or the message is permanent, with its status and error name', async () => {
    const api = await loopbackServer(resendError(422, 'validation_error'))
    const transport = resendTransport({ key: KEY, url: api.url, from: FROM, timeoutMs: 3000 })
    const invalid = await failure(transport.send(message()))
    expect(invalid).toMatchObject({ permanent: true, code: 422 })
    expect(invalid.message).toBe('the email API did not take the message (HTTP 422 validation_error)')

    api.answer(resendError(400, 'validation_error'))
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: true, code: 400 })
    // Not JSON, or a name that is no identifier: the status alone, nothing of the body repeated.
    api.answer((_req, res) => {
      res.writeHead(422, { 'Content-Type': 'text/plain' }).end(`bad recipient ${ADDRESS}`)
    })
    const bare = await failure(transport.send(message()))
    expect(bare).toMatchObject({ permanent: true, code: 422, message: 'the email API did not take the message (HTTP 422)' })
    api.answer(resendError(422, `${ADDRESS} is invalid`))
    expect((await failure(transport.send(message()))).message).toBe('the email API did not take the message (HTTP 422)')
  })

  it("a 400 or 422 about Parley's own key, sender or idempotency key is not the address's fault", async () => {
    const api = await loopbackServer(resendError(400, 'validation_error', 'API key is invalid'))
    const transport = resendTransport({ key: KEY, url: api.url, from: FROM, timeoutMs: 3000 })
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 400 })
    api.answer(
      resendError(422, 'validation_error', 'Invalid `from` field. The email address needs to follow the `email@example.com` format.'),
    )
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 422 })
    for (const [status, name] of [
      [422, 'invalid_from_address'],
      [400, 'invalid_idempotency_key'],
      [422, 'invalid_access'],
    ] as const) {
      api.answer(resendError(status, name))
      const error = await failure(transport.send(message({ id: 'x' })))
      expect(error).toMatchObject({ permanent: false, code: status })
      expect(error.message).toContain(name)
    }
  })

  it('401 and 403 (the API key, the sending domain, test mode) are temporary: no address is blamed', async () => {
    const api = await loopbackServer(resendError(401, 'missing_api_key'))
    const transport = resendTransport({ key: KEY, url: api.url, from: FROM, timeoutMs: 3000 })
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 401 })
    for (const name of ['invalid_api_key', 'invalid_from_address', 'validation_error']) {
      api.answer(resendError(403, name, `You can only send testing emails to your own email address, not ${ADDRESS}.`))
      expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 403 })
    }
  })

  it('429, 5xx, 409, 404 and a redirect (not followed) are temporary', async () => {
    const api = await loopbackServer(resendError(429, 'rate_limit_exceeded'))
    const transport = resendTransport({ key: KEY, url: `${api.url}/emails`, from: FROM, timeoutMs: 3000 })
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 429 })
    for (const [status, name] of [
      [429, 'daily_quota_exceeded'],
      [500, 'internal_server_error'],
      [502, ''],
      [503, ''],
      [409, 'concurrent_idempotent_requests'],
      [404, 'not_found'],
    ] as const) {
      api.answer(
        name
          ? resendError(status, name)
          : (_req, res) => {
              res.writeHead(status).end('<html>bad gateway</html>')
            },
      )
      expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: status })
    }
    const before = api.received.length
    api.answer((_req, res) => {
      res.writeHead(307, { Location: `${api.url}/elsewhere` }).end()
    })
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 307 })
    expect(api.received.slice(before).map((r) => r.path)).toEqual(['/emails'])
  })

  it('reads no more than the start of an error body that streams on', async () => {
    const api = await loopbackServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' })
      // Never ends: the transport must stop reading by itself, well before its timeout.
      const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 5)
      res.on('close', () => clearInterval(timer))
    })
    const transport = resendTransport({ key: KEY, url: api.url, from: FROM, timeoutMs: 10_000 })
    const started = Date.now()
    expect(await failure(transport.send(message()))).toMatchObject({ permanent: false, code: 500 })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('no connection and no answer in time are temporary, without a code', async () => {
    const refused = resendTransport({ key: KEY, url: await refusedUrl(), from: FROM, timeoutMs: 3000 })
    const unreachable = await failure(refused.send(message()))
    expect(unreachable).toMatchObject({
      permanent: false,
      code: null,
      message: 'the email API did not take the message (could not connect)',
    })

    // Takes the request and never answers.
    const silent = await loopbackServer(() => undefined)
    const transport = resendTransport({ key: KEY, url: silent.url, from: FROM, timeoutMs: 300 })
    const started = Date.now()
    const late = await failure(transport.send(message()))
    expect(late).toMatchObject({
      permanent: false,
      code: null,
      message: 'the email API did not take the message (no answer within 300 ms)',
    })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(silent.received).toHaveLength(1)
  })

  it('sends with the fetch it is given', async () => {
    const api = await loopbackServer((_req, res) => {
      res.writeHead(200).end('{}')
    })
    const seen: string[] = []
    const transport = resendTransport({
      key: KEY,
      url: api.url,
      from: FROM,
      timeoutMs: 3000,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    await transport.send(message())
    expect(seen).toEqual([`${api.url}/`])
    expect(api.received).toHaveLength(1)
  })
})
