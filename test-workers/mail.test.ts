import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import worker from '../src/runtime/worker.js'
import { nobleArgon2 } from '../src/auth/argon2-noble.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { comments } from '../src/db/schema.js'
import { ORIGIN, db } from './support/edge.js'
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
      PARLEY_PUBLIC_URL: 'https://comments.example.test',
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
    const config = readWorkerConfig({
      ...env,
      SMTP_URL: 'smtp://mail.example.test:587',
      PARLEY_MAIL_FROM: FROM,
      PARLEY_PUBLIC_URL: 'https://comments.example.test',
    })
    expect(workerMailTransport(config, { warn: (message) => warnings.push(message) })).toBeUndefined()
    expect(warnings).toEqual([expect.stringContaining('PARLEY_MAIL_API_KEY')])
    expect(workerMailTransport(readWorkerConfig(env))).toBeUndefined()
  })
})

describe('notifications through the deployed Worker, its Cron Trigger and the email API', () => {
  // The Worker's bindings with mail on: a new object, so the isolate reads its configuration anew.
  const mailEnv = {
    ...env,
    PARLEY_MAIL_API_KEY: 're_workers_test_key',
    PARLEY_MAIL_API_URL: `${api}/emails`,
    PARLEY_MAIL_FROM: FROM,
    PARLEY_PUBLIC_URL: ORIGIN,
  }
  const fetchWorker = async (path: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext()
    const headers = new Headers(init.headers)
    headers.set('CF-Connecting-IP', '203.0.113.77')
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }), mailEnv, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }

  it('emails a held comment to the moderator who asked, and its Approve link approves it', async () => {
    const email = 'edge-notified@news.example'
    const password = 'correct horse notified'
    await createModerator(db, nobleArgon2, { email, name: 'Edge notified', role: 'moderator', password }, new Date())
    const json = { 'Content-Type': 'application/json', Origin: ORIGIN }
    const login = await fetchWorker('/api/v1/auth/login', { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })
    const { token } = await login.json<{ token: string }>()
    const prefs = await fetchWorker('/api/v1/moderation/notifications', {
      method: 'PUT',
      headers: { ...json, Authorization: `Bearer ${token}` },
      body: JSON.stringify({ held: true, reported: false, every: false, digest: 'off' }),
    })
    expect(await prefs.json()).toMatchObject({ mail: { enabled: true, transport: api } })
    const posted = await fetchWorker('/api/v1/articles/edge-mail/comments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'Edge commenter', email: 'edge.commenter@example.test', body: 'Held at the edge' }),
    })
    const { comment } = await posted.json<{ comment: { id: number; status: string } }>()
    expect(comment.status).toBe('pending')

    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime: new Date() }), mailEnv, ctx)
    await waitOnExecutionContext(ctx)
    const mail = (await received())
      .map((r) => JSON.parse(r.body) as { to: string[]; subject: string; text: string })
      .find((m) => m.to[0] === email)
    expect(mail?.subject).toBe('Please moderate: “edge-mail”')
    const approve = /Approve it: (\S+)/.exec(mail?.text ?? '')?.[1] ?? ''
    expect(approve.startsWith(`${ORIGIN}/mail/act?t=`)).toBe(true)
    const done = await fetchWorker(approve.slice(ORIGIN.length), { method: 'POST' })
    expect(done.status).toBe(200)
    const [row] = await db.select({ status: comments.status }).from(comments).where(eq(comments.id, comment.id))
    expect(row?.status).toBe('approved')
  })
})
