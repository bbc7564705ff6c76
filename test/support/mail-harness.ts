import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { runJobs } from '../../src/jobs/run-jobs.js'
import { spamJobs } from '../../src/comments/spam-jobs.js'
import { mailSweeps, notificationJobs } from '../../src/runtime/mail-work.js'
import { nodeSmtpTransport } from '../../src/runtime/node-mail.js'
import { ORIGIN, type TestApp } from './test-app.js'
import { startSmtpSink, type Received, type SmtpSink } from './smtp-sink.js'

export const MAIL_FROM = 'News comments <comments@news.example>'

/**
 * Notifications on for a test file: a real SMTP server on loopback and Parley's own SMTP transport
 * to it, configured before each test (PARLEY_PUBLIC_URL at the test origin), and what a person does
 * with the emails: run the jobs as the Node timer does, read a link, follow it (its page, then the
 * page's form).
 */
export function mailHarness(t: TestApp) {
  let sink: SmtpSink | undefined
  let transport: ReturnType<typeof nodeSmtpTransport> | undefined
  beforeAll(async () => {
    sink = await startSmtpSink()
    transport = nodeSmtpTransport({ url: sink.url, from: MAIL_FROM, timeoutMs: 5_000 })
  })
  afterAll(async () => {
    transport?.close()
    await sink?.close()
  })
  beforeEach(() => {
    const { sink: s, transport: mail } = started()
    s.received.length = 0
    t.deps.mail = mail
    t.deps.config.mail = { from: MAIL_FROM, smtpUrl: s.url, api: null, coalesceMinutes: 15 }
    t.deps.config.publicUrl = ORIGIN
  })
  const started = () => {
    if (!sink || !transport) throw new Error('the mail harness is used before its beforeAll ran')
    return { sink, transport }
  }

  /** What the Node entry's timer does: the jobs, then the mail sweep. */
  const runAll = (now = t.now()) => runJobs(t.deps, now, [...spamJobs, ...notificationJobs], mailSweeps)

  /** Runs the jobs and returns the emails that arrived meanwhile (sends finish inside the run). */
  async function deliver(now = t.now()): Promise<Received[]> {
    const received = started().sink.received
    const before = received.length
    const report = await runAll(now)
    expect(report.failed).toBe(0)
    return received.slice(before)
  }

  const linkIn = (mail: Received, label: string): string => {
    const match = new RegExp(`${label}: (\\S+)`).exec(mail.mail.text ?? '')
    if (!match?.[1]) throw new Error(`no "${label}" link in: ${mail.mail.text}`)
    return match[1]
  }

  const postToken = (path: string, token: string) =>
    t.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ t: token }).toString(),
    })

  /** Follows an emailed link as a person would: its GET page, then the page's form posted back. */
  async function follow(url: string): Promise<Response> {
    const page = await t.request(url)
    expect(page.status).toBe(200)
    const text = await page.text()
    const token = /name="t" value="([^"]+)"/.exec(text)?.[1]
    expect(token).toBeTruthy()
    const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1] ?? ''
    return postToken(action, token ?? '')
  }

  /** A reader follows article `key` and confirms it from the email (found by recipient: emails go four at a time). */
  async function subscribeReader(key: string, email: string, ip?: string): Promise<{ commentId: number; confirmation: Received }> {
    const res = await t.postJson(
      `/api/v1/articles/${key}/comments`,
      { name: 'Follower', email, body: `Following ${key} as ${email}`, subscribeComments: true },
      {},
      ip,
    )
    expect(res.status).toBe(201)
    const confirmation = (await deliver()).find((mail) => mail.to[0] === email)
    expect(confirmation?.mail.subject).toMatch(/Confirm your email/)
    expect((await follow(linkIn(confirmation!, 'Confirm your email address'))).status).toBe(200)
    return { commentId: ((await res.json()) as { comment: { id: number } }).comment.id, confirmation: confirmation! }
  }

  return { sink: () => started().sink, transport: () => started().transport, runAll, deliver, linkIn, postToken, follow, subscribeReader }
}
