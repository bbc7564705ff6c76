import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { comments } from '../src/db/schema.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/comments/spam-jobs.js'
import { setupTestApp } from './support/test-app.js'
import { postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { loopbackServer, refusedUrl, text, type Answer } from './support/loopback-server.js'

const t = await setupTestApp()
const filter = await loopbackServer(text(200, '{"verdict":"approve"}'))
const siteverify = await loopbackServer(text(200, '{"success":true}'))

const stored = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]
const checkOf = async (id: number, name: string) => (await stored(id))?.checks.find((c) => c.filter === name)
const json =
  (status: number, body: unknown): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

async function setUpFilter(admin: Awaited<ReturnType<typeof signIn>>, extra: Record<string, unknown> = {}) {
  await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
  const res = await admin.send('PATCH', '/api/v1/admin/settings', {
    filterWebhook: { url: `${filter.url}/check`, timeoutMs: 300, ...extra },
  })
  expect(res.status).toBe(200)
  return (await res.json()).filterWebhook.secret as string
}

describe("the site's filter service", () => {
  it('shows its secret once, signs each call, and keeps the email out unless asked', async () => {
    // Receivers refuse signatures more than five minutes off their own clock: sign at the real time.
    t.advance((Date.now() - t.now().getTime()) / 1000)
    const admin = await signIn(t, 'admin')
    const secret = await setUpFilter(admin)
    expect(secret).toMatch(/^whsec_/)
    const read = await (await admin.get('/api/v1/admin/settings')).json()
    expect(read.filterWebhook).toEqual({ url: `${filter.url}/check`, timeoutMs: 300 })
    const again = await (
      await admin.send('PATCH', '/api/v1/admin/settings', { filterWebhook: { url: `${filter.url}/check`, timeoutMs: 400 } })
    ).json()
    expect(again.filterWebhook).toEqual({ url: `${filter.url}/check`, timeoutMs: 400 })

    filter.received.length = 0
    filter.answer(json(200, { verdict: 'approve', reason: 'looks fine' }))
    const { comment } = await postComment(t, 'fw', { email: 'private.person@example.org', body: 'Hello filter' })
    expect(comment.status).toBe('approved')
    const call = filter.received[0]
    expect(call?.path).toBe('/check')
    const verified = new Webhook(secret).verify(call?.body ?? '', {
      'webhook-id': String(call?.headers['webhook-id']),
      'webhook-timestamp': String(call?.headers['webhook-timestamp']),
      'webhook-signature': String(call?.headers['webhook-signature']),
    }) as { data: { comment: { body: string; author: Record<string, unknown> } } }
    expect(verified.data.comment.body).toBe('Hello filter')
    expect(call?.body).not.toContain('private.person')
    expect(await checkOf(comment.id, 'filter-webhook')).toEqual({
      filter: 'filter-webhook',
      verdict: 'approve',
      reason: 'filter: looks fine',
    })

    const withEmail = await admin.send('PATCH', '/api/v1/admin/settings', {
      filterWebhook: { url: `${filter.url}/check`, includeEmail: true },
    })
    expect(withEmail.status, await withEmail.clone().text()).toBe(200)
    await postComment(t, 'fw', { email: 'private.person@example.org', body: 'With email' })
    expect(JSON.parse(filter.received.at(-1)?.body ?? '{}').data.comment.author.email).toBe('private.person@example.org')
  })

  it('takes its spam and hold verdicts', async () => {
    const admin = await signIn(t, 'admin')
    await setUpFilter(admin)
    filter.answer(json(200, { verdict: 'spam', reason: 'mentions a competitor' }))
    const spam = await postComment(t, 'fw')
    expect(spam.comment.status).toBe('pending')
    expect((await stored(spam.comment.id))?.status).toBe('spam')
    filter.answer(json(200, { verdict: 'hold' }))
    expect((await postComment(t, 'fw')).comment.status).toBe('pending')
  })

  for (const [name, answer, reason] of [
    ['times out', (() => {}) as Answer, /no answer within 300 ms/],
    ['answers 500', text(500, 'broken'), /answered 500/],
    ['answers garbage', text(200, '<html>not json</html>'), /not a verdict/],
    ['answers an unknown verdict', json(200, { verdict: 'maybe' }), /not a verdict/],
    // Read up to 64 KiB and no further: a verdict behind 4 MiB of blanks is not taken (nor held in memory).
    [
      'answers past 64 KiB',
      ((_req, res) => {
        res.end(`${' '.repeat(4 << 20)}{"verdict":"approve"}`)
      }) as Answer,
      /not a verdict/,
    ],
    ['refuses connections', null, /unreachable/],
  ] as const) {
    it(`holds the comment when the filter ${name}, and asks again later`, async () => {
      const admin = await signIn(t, 'admin')
      await setUpFilter(admin)
      if (answer) filter.answer(answer)
      else await admin.send('PATCH', '/api/v1/admin/settings', { filterWebhook: { url: await refusedUrl(), timeoutMs: 300 } })
      const { comment } = await postComment(t, 'fw')
      expect((await stored(comment.id))?.status).toBe('pending')
      expect((await checkOf(comment.id, 'filter-webhook'))?.reason).toMatch(reason)
    })
  }

  it('refuses a private filter URL with private_target unless private targets are allowed', async () => {
    const admin = await signIn(t, 'admin')
    t.deps.config.allowPrivateTargets = false
    try {
      const res = await admin.send('PATCH', '/api/v1/admin/settings', { filterWebhook: { url: 'http://127.0.0.1:9/check' } })
      expect(res.status).toBe(422)
      expect((await res.json()).errors[0]).toEqual({
        field: 'filterWebhook.url',
        code: 'private_target',
        message: 'The filter URL cannot be used: the host is a private, loopback or link-local address.',
      })
    } finally {
      t.deps.config.allowPrivateTargets = true
    }
  })

  it('says why it did not call a filter whose URL became private', async () => {
    const admin = await signIn(t, 'admin')
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    expect((await admin.send('PATCH', '/api/v1/admin/settings', { filterWebhook: { url: 'http://127.0.0.1:9/check' } })).status).toBe(200)
    t.deps.config.allowPrivateTargets = false
    try {
      const { comment } = await postComment(t, 'filtered')
      expect((await checkOf(comment.id, 'filter-webhook'))?.reason).toBe(
        'filter not called: the host is a private, loopback or link-local address',
      )
    } finally {
      t.deps.config.allowPrivateTargets = true
    }
  })
})

describe('Cloudflare Turnstile', () => {
  const withTurnstile = async (run: () => Promise<void>) => {
    await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
    t.deps.config.turnstile = { secret: 'turnstile-secret', url: `${siteverify.url}/siteverify` }
    siteverify.received.length = 0
    try {
      await run()
    } finally {
      t.deps.config.turnstile = null
    }
  }
  const post = (body: Record<string, unknown>) =>
    t.postJson('/api/v1/articles/ts/comments', { name: 'Ann', email: 'ann@example.com', ...body })

  it("verifies the widget's token server-side and publishes on success", () =>
    withTurnstile(async () => {
      siteverify.answer(json(200, { success: true }))
      const res = await post({ body: 'human', turnstileToken: 'token-abc' })
      expect((await res.json()).comment.status).toBe('approved')
      expect(Object.fromEntries(new URLSearchParams(siteverify.received[0]?.body ?? ''))).toEqual({
        secret: 'turnstile-secret',
        response: 'token-abc',
        remoteip: '203.0.113.7',
      })
    }))

  it('marks a missing or refused token as spam, and holds when siteverify fails', () =>
    withTurnstile(async () => {
      const missing = await (await post({ body: 'no token' })).json()
      expect((await stored(missing.comment.id))?.status).toBe('spam')
      siteverify.answer(json(200, { success: false, 'error-codes': ['invalid-input-response'] }))
      const refused = await (await post({ body: 'bad token', turnstileToken: 'forged' })).json()
      expect(await checkOf(refused.comment.id, 'turnstile')).toEqual({
        filter: 'turnstile',
        verdict: 'spam',
        reason: 'Turnstile refused the token (invalid-input-response)',
      })
      siteverify.answer(text(500, ''))
      const down = await (await post({ body: 'siteverify down', turnstileToken: 'x' })).json()
      expect((await stored(down.comment.id))?.status).toBe('pending')
      t.deps.config.turnstile = { secret: 'turnstile-secret', url: await refusedUrl() }
      const unreachable = await (await post({ body: 'siteverify unreachable', turnstileToken: 'x' })).json()
      expect((await checkOf(unreachable.comment.id, 'turnstile'))?.verdict).toBe('hold')
    }))

  it("reads the plain form's cf-turnstile-response", () =>
    withTurnstile(async () => {
      siteverify.answer(json(200, { success: true }))
      const res = await t.request('/comment-form', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          comment: 'From the form',
          author: 'Ann',
          email: 'ann@example.com',
          comment_post_ID: 'ts',
          'cf-turnstile-response': 'form-token',
        }).toString(),
      })
      expect(res.status).toBe(201)
      expect(new URLSearchParams(siteverify.received[0]?.body ?? '').get('response')).toBe('form-token')
    }))
})

describe('the guarantee', () => {
  it('holds every comment while Akismet is down and the filter times out, then settles them once both recover', async () => {
    const admin = await signIn(t, 'admin')
    await setUpFilter(admin)
    filter.answer(() => {})
    t.deps.config.akismet = { key: 'k', blog: 'https://news.example', url: await refusedUrl() }
    try {
      const ids: number[] = []
      for (let batch = 0; batch < 10; batch++) {
        const posted = await Promise.all(Array.from({ length: 10 }, () => postComment(t, 'g')))
        ids.push(...posted.map((p) => p.comment.id))
      }
      const rows = await t.deps.db.select({ status: comments.status }).from(comments)
      expect(rows).toHaveLength(100)
      expect(rows.every((row) => row.status === 'pending')).toBe(true)
      expect((await (await t.request('/api/v1/articles/g/comments')).json()).comments).toEqual([])

      const akismet = await loopbackServer(text(200, 'false'))
      t.deps.config.akismet = { key: 'k', blog: 'https://news.example', url: akismet.url }
      filter.answer(json(200, { verdict: 'approve' }))
      t.advance(20 * 60)
      await runJobs(t.deps, t.now(), spamJobs)
      const settled = await t.deps.db.select({ status: comments.status }).from(comments)
      expect(settled).toHaveLength(100)
      expect(settled.every((row) => row.status === 'approved')).toBe(true)
      expect((await (await t.request('/api/v1/articles/g/comments?limit=100')).json()).article.commentCount).toBe(100)
    } finally {
      t.deps.config.akismet = null
    }
  }, 60_000)
})
