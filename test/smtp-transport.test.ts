import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type AddressInfo } from 'node:net'
import { describeSmtpUrl, nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { MailSendError } from '../src/mail/mail-transport.js'
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js'

const FROM = 'Parley <comments@example.test>'
let sink: SmtpSink | undefined
const transports: { close(): void }[] = []

afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close()
  await sink?.close()
  sink = undefined
})

function transportTo(url: string) {
  const transport = nodeSmtpTransport({ url, from: FROM, timeoutMs: 3_000 })
  transports.push(transport)
  return transport
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('the Node SMTP transport, against a real SMTP server on loopback', () => {
  it('delivers text and HTML alternatives with the headers asked for, from PARLEY_MAIL_FROM', async () => {
    sink = await startSmtpSink()
    const transport = transportTo(sink.url)
    await transport.send({
      to: 'Reader@Example.test',
      subject: 'A reply to “Hello world” — ünïcödé',
      text: 'Plain text body\nsecond line',
      html: '<p style="margin:0">HTML body</p>',
      headers: {
        'List-Unsubscribe': '<https://comments.example.test/u/abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    })
    const [received] = await sink.waitFor(1)
    // nodemailer lowercases the domain (IDN normalisation), never the local part.
    expect(received?.to).toEqual(['Reader@example.test'])
    expect(received?.from).toBe('comments@example.test')
    const mail = received!.mail
    expect(mail.subject).toBe('A reply to “Hello world” — ünïcödé')
    expect(mail.text?.trim()).toBe('Plain text body\nsecond line')
    expect(mail.html).toContain('<p style="margin:0">HTML body</p>')
    // mailparser folds the List-* headers into one `list` entry: the lines as sent are what RFC 8058 reads.
    const lines = mail.headerLines.map((header) => header.line)
    expect(lines).toContain('List-Unsubscribe: <https://comments.example.test/u/abc>')
    expect(lines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    expect(mail.from?.value).toEqual([{ name: 'Parley', address: 'comments@example.test' }])
  })

  it('reuses its connection for many messages', async () => {
    sink = await startSmtpSink()
    const transport = transportTo(sink.url)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => transport.send({ to: `r${i}@example.test`, subject: `m${i}`, text: 't', html: '<p>t</p>' })),
    )
    const received = await sink.waitFor(20)
    expect(new Set(received.map((r) => r.mail.subject)).size).toBe(20)
  })

  it('a 5xx to RCPT TO is permanent, a 4xx is not; neither error quotes the address', async () => {
    sink = await startSmtpSink()
    sink.refuse('gone@example.test', 550)
    sink.refuse('busy@example.test', 451)
    const transport = transportTo(sink.url)
    const gone = await transport
      .send({ to: 'gone@example.test', subject: 's', text: 't', html: '<p>t</p>' })
      .catch((error: unknown) => error)
    expect(gone).toBeInstanceOf(MailSendError)
    expect(gone).toMatchObject({ permanent: true, code: 550 })
    expect(String((gone as Error).message)).not.toContain('gone@')
    const busy = await transport
      .send({ to: 'busy@example.test', subject: 's', text: 't', html: '<p>t</p>' })
      .catch((error: unknown) => error)
    expect(busy).toMatchObject({ permanent: false, code: 451 })
    expect(String((busy as Error).message)).not.toContain('busy@')
    // The connection still serves the next recipient.
    await transport.send({ to: 'fine@example.test', subject: 's', text: 't', html: '<p>t</p>' })
    await sink.waitFor(1)
  })

  it('no server listening is a temporary failure', async () => {
    const transport = transportTo(`smtp://127.0.0.1:${await closedPort()}`)
    const error = await transport.send({ to: 'a@example.test', subject: 's', text: 't', html: '<p>t</p>' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MailSendError)
    expect(error).toMatchObject({ permanent: false, code: null })
  })

  it('names the server without its credentials, and refuses other schemes', () => {
    expect(describeSmtpUrl('smtps://user%40x:p%3Ass@mail.example.test:465?requireTLS=true')).toBe('smtps://mail.example.test:465')
    expect(() => nodeSmtpTransport({ url: 'http://mail.example.test', from: FROM })).toThrow(/smtp:\/\/ or smtps:\/\//)
  })
})
