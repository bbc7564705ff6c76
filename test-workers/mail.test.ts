import { env } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { MailSendError } from '../src/mail/mail-transport.js'
import { resendTransport } from '../src/mail/resend-transport.js'
import { readWorkerConfig } from '../src/runtime/worker-config.js'
import { workerMailTransport } from '../src/runtime/worker-mail.js'
import type { ReceivedMail } from './support/mail-api.js'

// The stand-in for Resend's API runs in Node (test-workers/global-setup.ts); this code runs in
// workerd, so the transport's requests go out through workerd's own fetch.
const api = inject('mailApiUrl')
const FROM = 'Parley <comments@example.test>'
const ADDRESS = 'edge.reader@example.test'

async function received(): Promise<ReceivedMail[]> {
  return (await fetch(`${api}/received`)).json<ReceivedMail[]>()
}

describe('the Resend transport inside workerd, against a stand-in on loopback', () => {
  it('builds from the Worker configuration and posts the send-email JSON with its headers', async () => {
    const config = readWorkerConfig({
      ...env,
      PARLEY_MAIL_API_KEY: 're_workers_test_key',
      PARLEY_MAIL_API_URL: `${api}/emails`,
      PARLEY_MAIL_FROM: FROM,
    })
    const transport = workerMailTransport(config)
    expect(transport?.describe).toBe(api)
    await transport?.send({
      id: 'notification-edge-1',
      to: ADDRESS,
      subject: 'A reply at the edge — ünïcödé',
      text: 'Plain',
      html: '<p>HTML</p>',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
    const sent = (await received()).filter((r) => r.path === '/emails')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.headers).toMatchObject({
      authorization: 'Bearer re_workers_test_key',
      'content-type': 'application/json',
      'idempotency-key': 'notification-edge-1',
      'user-agent': 'Parley/1',
    })
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({
      from: FROM,
      to: [ADDRESS],
      subject: 'A reply at the edge — ünïcödé',
      text: 'Plain',
      html: '<p>HTML</p>',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
  })

  it('classifies refusals and times out with workerd’s AbortSignal.timeout, quoting no address', async () => {
    const send = (path: string, timeoutMs = 5000) =>
      resendTransport({ key: 're_workers_test_key', url: `${api}${path}`, from: FROM, timeoutMs })
        .send({ to: ADDRESS, subject: 's', text: 't', html: '<p>t</p>' })
        .then(
          () => expect.unreachable('the send was taken'),
          (error: unknown) => error,
        )
    const [refused, failed, silent] = await Promise.all([send('/status/422'), send('/status/503'), send('/silent', 300)])
    expect(refused).toBeInstanceOf(MailSendError)
    expect(refused).toMatchObject({
      permanent: true,
      code: 422,
      message: 'the email API did not take the message (HTTP 422 validation_error)',
    })
    expect(failed).toMatchObject({ permanent: false, code: 503 })
    expect(silent).toMatchObject({
      permanent: false,
      code: null,
      message: 'the email API did not take the message (no answer within 300 ms)',
    })
    for (const error of [refused, failed, silent]) expect(String(error)).not.toContain('edge.reader')
  })

  it('turns SMTP_URL alone into no transport, with a warning: Workers cannot speak SMTP', () => {
    const warnings: string[] = []
    const config = readWorkerConfig({ ...env, SMTP_URL: 'smtp://mail.example.test:587', PARLEY_MAIL_FROM: FROM })
    expect(workerMailTransport(config, { warn: (message) => warnings.push(message) })).toBeUndefined()
    expect(warnings).toEqual([expect.stringContaining('PARLEY_MAIL_API_KEY')])
    expect(workerMailTransport(readWorkerConfig(env))).toBeUndefined()
  })
})
