import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sql } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { setupTestApp, testTime } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn, type SignedIn } from './support/moderators.js'
import { loopbackServer, text, type Received } from './support/loopback-server.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { webhookDeliveries, webhooks } from '../src/db/schema.js'
import { RETRY_SCHEDULE_MS } from '../src/webhooks/delivery-queue.js'
import { signWebhook } from '../src/crypto/webhook-signing.js'
import { guardedFetch } from '../src/runtime/guarded-fetch.js'

const t = await setupTestApp()
const receiver = await loopbackServer(text(204, ''))

beforeEach(() => {
  receiver.received.length = 0
  receiver.answer(text(204, ''))
})

afterEach(() => {
  t.deps.config.allowPrivateTargets = true
  delete t.deps.config.webhookTimeoutMs
  delete t.deps.resolveHost
})

const ALL_EVENTS = ['comment.created', 'comment.status_changed', 'comment.edited', 'comment.deleted', 'comment.reported']

interface Created {
  id: number
  url: string
  events: string[]
  includeEmail: boolean
  secret: string
}

async function addWebhook(admin: SignedIn, body: { url?: string; events?: string[]; includeEmail?: boolean } = {}): Promise<Created> {
  const res = await admin.send('POST', '/api/v1/admin/webhooks', { url: `${receiver.url}/hook`, events: ALL_EVENTS, ...body })
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`)
  return res.json()
}

const deliver = () => runJobs(t.deps, t.now(), [])
const deliveries = () => t.deps.db.select().from(webhookDeliveries).orderBy(webhookDeliveries.id)

interface Event {
  type: string
  timestamp: string
  data: { comment: Record<string, unknown> & { id: number; status: string }; from?: string; to?: string; [key: string]: unknown }
}

/**
 * Checks a received request with the standardwebhooks package, an implementation independent of
 * ours, at the moment it was signed (the test clock), and returns the parsed event.
 */
function verified(request: Received, secret: string, body = request.body): Event {
  const header = (name: string) => String(request.headers[name] ?? '')
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(t.now())
  try {
    return new Webhook(secret).verify(body, {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    }) as Event
  } finally {
    vi.useRealTimers()
  }
}

describe('webhook signatures', () => {
  it("reproduces the Standard Webhooks specification's test vector", async () => {
    const headers = await signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    )
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
  })
})

describe('webhook endpoints', () => {
  it('shows the secret only at creation, lists endpoints without it, and deletes them', async () => {
    const admin = await signIn(t, 'admin')
    const res = await admin.send('POST', '/api/v1/admin/webhooks', {
      url: `${receiver.url}/hook`,
      events: ['comment.created', 'comment.created'],
    })
    expect(res.status).toBe(201)
    const created = await res.json()
    expect(created).toEqual({
      id: expect.any(Number),
      url: `${receiver.url}/hook`,
      events: ['comment.created'],
      includeEmail: false,
      disabled: false,
      createdAt: testTime(),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    })
    const [row] = await t.deps.db.select().from(webhooks)
    expect(row?.secretSealed).not.toContain(created.secret.slice(6))
    expect(await t.deps.secrets.unseal(row?.secretSealed ?? '')).toBe(created.secret)

    const list = await admin.get('/api/v1/admin/webhooks')
    expect(list.status).toBe(200)
    const { secret: _secret, ...shown } = created
    expect(await list.json()).toEqual({ webhooks: [shown] })

    await t.setSettings(openSettings)
    await postComment(t, 'gone')
    expect(await deliveries()).toHaveLength(1)
    expect((await admin.send('DELETE', `/api/v1/admin/webhooks/${created.id}`)).status).toBe(204)
    expect(await deliveries()).toEqual([])
    expect((await admin.send('DELETE', `/api/v1/admin/webhooks/${created.id}`)).status).toBe(404)
    expect(await (await admin.get('/api/v1/admin/webhooks')).json()).toEqual({ webhooks: [] })
  })

  it('is for admins only and validates events', async () => {
    const mod = await signIn(t, 'moderator')
    expect((await mod.get('/api/v1/admin/webhooks')).status).toBe(403)
    expect((await t.request('/api/v1/admin/webhooks')).status).toBe(401)
    const admin = await signIn(t, 'admin')
    for (const body of [
      { url: `${receiver.url}/hook`, events: [] },
      { url: `${receiver.url}/hook`, events: ['comment.liked'] },
      { events: ['comment.created'] },
      { url: `${receiver.url}/hook`, events: ['comment.created'], secret: 'mine' },
    ]) {
      const res = await admin.send('POST', '/api/v1/admin/webhooks', body)
      expect(res.status).toBe(422)
      expect((await res.json()).code).toBe('validation_failed')
    }
  })

  it('refuses private, loopback and link-local targets unless private targets are allowed', async () => {
    const admin = await signIn(t, 'admin')
    t.deps.config.allowPrivateTargets = false
    const refused = async (url: string) => {
      const res = await admin.send('POST', '/api/v1/admin/webhooks', { url, events: ['comment.created'] })
      expect(res.status, url).toBe(422)
      const problem = await res.json()
      expect(problem.code).toBe('validation_failed')
      return problem.errors[0]
    }
    for (const url of [
      receiver.url,
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.0.10/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/',
      'http://0x7f.1/',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://localhost:8080/',
      'http://app.localhost/',
      // SIIT (IPv4-translated ::ffff:0:0:0/96) and Teredo (2001::/32) hide an IPv4 address behind IPv6.
      'http://[::ffff:0:7f00:1]/',
      'http://[::ffff:0:a00:1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      // Discard-only 100::/64 and the deprecated 6to4 relay anycast 192.88.99.0/24.
      'http://[100::1]/',
      'http://192.88.99.1/',
    ]) {
      expect(await refused(url)).toMatchObject({ field: 'url', code: 'private_target' })
    }
    for (const url of ['ftp://example.com/', 'not a url', 'https://user:pass@example.com/']) {
      expect(await refused(url)).toMatchObject({ field: 'url', code: 'invalid_url' })
    }
    // A name is judged by what it resolves to.
    t.deps.resolveHost = async (host) => (host === 'intranet.example' ? ['203.0.113.9', '10.0.0.7'] : ['203.0.113.10'])
    expect(await refused('https://intranet.example/hook')).toMatchObject({ field: 'url', code: 'private_target' })
    expect(
      (await admin.send('POST', '/api/v1/admin/webhooks', { url: 'https://hooks.example/in', events: ['comment.created'] })).status,
    ).toBe(201)
    t.deps.config.allowPrivateTargets = true
    expect((await admin.send('POST', '/api/v1/admin/webhooks', { url: receiver.url, events: ['comment.created'] })).status).toBe(201)
  })
})

describe('webhook events', () => {
  it('delivers comment.created, signed, with no email address', async () => {
    const admin = await signIn(t, 'admin')
    const hook = await addWebhook(admin, { events: ['comment.created'] })
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'signed', {
      name: 'Ada',
      email: 'ada.reader@example.org',
      body: 'Hello <b>there</b>',
      url: 'https://ada.example',
    })
    const report = await deliver()
    expect(report.webhooks).toEqual({ delivered: 1, retried: 0, failed: 0, disabled: 0 })
    expect(receiver.received).toHaveLength(1)
    const [request] = receiver.received
    if (!request) throw new Error('nothing received')
    expect(request).toMatchObject({ method: 'POST', path: '/hook' })
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(request.headers['webhook-timestamp']).toBe(String(t.now().getTime() / 1000))
    const event = verified(request, hook.secret)
    expect(event).toEqual({
      type: 'comment.created',
      timestamp: testTime(),
      data: {
        comment: {
          id: comment.id,
          parentId: null,
          depth: 0,
          status: 'approved',
          author: {
            name: 'Ada',
            url: 'https://ada.example/',
            avatar: expect.any(Number),
            moderator: false,
            verified: false,
            avatarUrl: null,
          },
          html: '<p>Hello <b>there</b></p>',
          createdAt: testTime(),
          editedAt: null,
          featured: false,
          votes: 0,
          article: { key: 'signed', url: null, title: null },
        },
      },
    })
    expect(request.body).not.toContain('ada.reader')
    expect(() => verified(request, hook.secret, request.body.replace('Ada', 'Eve'))).toThrow(/signature/i)
    const [row] = await deliveries()
    expect(row).toMatchObject({ attempts: 1, lastStatus: 204, deliveredAt: t.now(), emailSealed: null })
    await deliver()
    expect(receiver.received).toHaveLength(1)
  })

  it("includes the commenter's email only for endpoints configured for it, sealed until sending", async () => {
    const admin = await signIn(t, 'admin')
    const plain = await addWebhook(admin, { url: `${receiver.url}/plain`, events: ['comment.created'] })
    const withEmail = await addWebhook(admin, { url: `${receiver.url}/email`, events: ['comment.created'], includeEmail: true })
    expect(withEmail.includeEmail).toBe(true)
    // A spam verdict is announced too: endpoints are the site's own systems.
    await t.setSettings({ ...openSettings, disallowedKeys: ['casino'] })
    await postComment(t, 'mail', { email: 'Grace.Hopper@Example.org', body: 'casino night' })
    const rows = await deliveries()
    expect(rows.map((row) => row.emailSealed === null)).toEqual([true, false])
    expect(JSON.stringify(rows)).not.toMatch(/grace/i)
    await deliver()
    const byPath = new Map(receiver.received.map((request) => [request.path, request]))
    const forPlain = byPath.get('/plain')
    const forEmail = byPath.get('/email')
    if (!forPlain || !forEmail) throw new Error('a delivery is missing')
    expect(verified(forPlain, plain.secret).data.comment).not.toHaveProperty('email')
    expect(verified(forEmail, withEmail.secret).data.comment).toMatchObject({ status: 'spam', email: 'Grace.Hopper@Example.org' })
    expect((await deliveries()).every((row) => row.emailSealed === null && row.deliveredAt !== null)).toBe(true)
  })

  it('announces status changes, edits, reports and deletions, each from a real action', async () => {
    const admin = await signIn(t, 'admin')
    const mod = await signIn(t, 'moderator', 'Mo')
    const hook = await addWebhook(admin)
    await t.setSettings({ floodSeconds: 0 })
    const { comment, token } = await postComment(t, 'all', { body: 'First draft' })
    expect(comment.status).toBe('pending')
    await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { body: 'Edited by Mo' })
    expect((await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse', note: 'Rude' })).status).toBe(202)
    const authorEdit = await t.request(`/api/v1/comments/${comment.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ body: 'Second draft' }),
    })
    expect(authorEdit.status).toBe(200)
    const reply = await mod.send('POST', `/api/v1/moderation/comments/${comment.id}/replies`, { body: 'Thanks' })
    const replyId = (await reply.json()).id
    expect(
      (await t.request(`/api/v1/comments/${comment.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(204)
    expect((await mod.send('DELETE', `/api/v1/moderation/comments/${comment.id}`)).status).toBe(204)

    await deliver()
    const events = receiver.received.map((request) => verified(request, hook.secret))
    const summary = events
      .map((event) => ({
        type: event.type,
        id: event.data.comment.id,
        status: event.data.comment.status,
        html: event.data.comment.html,
        from: event.data.from,
        to: event.data.to,
        by: event.data.by,
      }))
      .sort(
        (a, b) =>
          ALL_EVENTS.indexOf(a.type) - ALL_EVENTS.indexOf(b.type) ||
          a.id - b.id ||
          String(a.to).localeCompare(String(b.to)) ||
          String(a.html).localeCompare(String(b.html)),
      )
    expect(summary).toEqual([
      {
        type: 'comment.created',
        id: comment.id,
        status: 'pending',
        html: '<p>First draft</p>',
        from: undefined,
        to: undefined,
        by: undefined,
      },
      { type: 'comment.created', id: replyId, status: 'approved', html: '<p>Thanks</p>', from: undefined, to: undefined, by: undefined },
      {
        type: 'comment.status_changed',
        id: comment.id,
        status: 'approved',
        html: '<p>First draft</p>',
        from: 'pending',
        to: 'approved',
        by: undefined,
      },
      // The author's only approved comment does not vouch for its own rewrite: held again, then
      // approved by the moderator's reply (as WordPress approves a held parent it replies to).
      {
        type: 'comment.status_changed',
        id: comment.id,
        status: 'approved',
        html: '<p>Second draft</p>',
        from: 'pending',
        to: 'approved',
        by: undefined,
      },
      {
        type: 'comment.status_changed',
        id: comment.id,
        status: 'pending',
        html: '<p>Second draft</p>',
        from: 'approved',
        to: 'pending',
        by: undefined,
      },
      {
        type: 'comment.status_changed',
        id: comment.id,
        status: 'trash',
        html: '<p>Second draft</p>',
        from: 'approved',
        to: 'trash',
        by: undefined,
      },
      {
        type: 'comment.edited',
        id: comment.id,
        status: 'approved',
        html: '<p>Edited by Mo</p>',
        from: undefined,
        to: undefined,
        by: 'moderator',
      },
      {
        type: 'comment.edited',
        id: comment.id,
        status: 'pending',
        html: '<p>Second draft</p>',
        from: undefined,
        to: undefined,
        by: 'author',
      },
      {
        type: 'comment.deleted',
        id: comment.id,
        status: 'trash',
        html: '<p>Second draft</p>',
        from: undefined,
        to: undefined,
        by: undefined,
      },
      {
        type: 'comment.reported',
        id: comment.id,
        status: 'approved',
        html: '<p>Edited by Mo</p>',
        from: undefined,
        to: undefined,
        by: undefined,
      },
    ])
    const reported = events.find((event) => event.type === 'comment.reported')
    expect(reported?.data.report).toEqual({ id: expect.any(Number), reason: 'abuse', note: 'Rude' })
    const replied = events.find((event) => event.data.comment.id === replyId)
    expect(replied?.data.comment).toMatchObject({ parentId: comment.id, depth: 1, author: { name: 'Mo', moderator: true } })
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(10)
  })

  it('sends only the events an endpoint subscribed to', async () => {
    const admin = await signIn(t, 'admin')
    const mod = await signIn(t, 'moderator')
    await addWebhook(admin, { events: ['comment.status_changed'] })
    await t.setSettings({ floodSeconds: 0 })
    const { comment } = await postComment(t, 'sub')
    expect(await deliveries()).toEqual([])
    await mod.send('POST', '/api/v1/moderation/comments/bulk', { ids: [comment.id], status: 'spam' })
    expect((await deliveries()).map((row) => row.type)).toEqual(['comment.status_changed'])
  })
})

describe('webhook delivery', () => {
  it('retries on the schedule, with the same message, and gives up after the last retry', async () => {
    const admin = await signIn(t, 'admin')
    const hook = await addWebhook(admin, { events: ['comment.created'] })
    receiver.answer(text(500, 'down'))
    await t.setSettings(openSettings)
    await postComment(t, 'retry')
    expect((await deliver()).webhooks).toEqual({ delivered: 0, retried: 1, failed: 0, disabled: 0 })
    let [row] = await deliveries()
    expect(row).toMatchObject({
      attempts: 1,
      lastStatus: 500,
      lastError: 'answered 500',
      nextAt: new Date(t.now().getTime() + 5000),
      deliveredAt: null,
      failedAt: null,
    })
    await deliver()
    expect(receiver.received).toHaveLength(1)
    for (const [index, wait] of RETRY_SCHEDULE_MS.entries()) {
      t.advance(wait / 1000 - 1)
      await deliver()
      expect(receiver.received).toHaveLength(index + 1)
      t.advance(1)
      await deliver()
      expect(receiver.received).toHaveLength(index + 2)
      const latest = receiver.received.at(-1)
      if (!latest) throw new Error('nothing received')
      expect(verified(latest, hook.secret).type).toBe('comment.created')
    }
    ;[row] = await deliveries()
    expect(row).toMatchObject({ attempts: 10, lastStatus: 500, failedAt: t.now(), deliveredAt: null })
    t.advance(7 * 86_400)
    await deliver()
    expect(receiver.received).toHaveLength(10)
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(1)
  })

  it('delivers on a retry once the receiver recovers, and never follows a redirect', async () => {
    const admin = await signIn(t, 'admin')
    await addWebhook(admin, { events: ['comment.created'] })
    receiver.answer(text(302, '', { Location: `${receiver.url}/elsewhere` }))
    await t.setSettings(openSettings)
    await postComment(t, 'recover')
    await deliver()
    expect(receiver.received.map((request) => request.path)).toEqual(['/hook'])
    expect((await deliveries())[0]).toMatchObject({ attempts: 1, lastStatus: 302 })
    receiver.answer(text(200, 'ok'))
    t.advance(5)
    expect((await deliver()).webhooks.delivered).toBe(1)
    expect((await deliveries())[0]).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null, deliveredAt: t.now() })
  })

  it('disables an endpoint that answers 410 and ends its pending deliveries', async () => {
    const admin = await signIn(t, 'admin')
    const hook = await addWebhook(admin, { events: ['comment.created'] })
    await t.setSettings(openSettings)
    receiver.answer(text(503, ''))
    await postComment(t, 'gone', { body: 'One' })
    await deliver()
    receiver.answer(text(410, 'Gone'))
    t.advance(1)
    await postComment(t, 'gone', { body: 'Two' })
    expect((await deliver()).webhooks).toEqual({ delivered: 0, retried: 0, failed: 0, disabled: 1 })
    expect(receiver.received).toHaveLength(2)
    const rows = await deliveries()
    expect(rows.map((row) => [row.lastStatus, row.failedAt])).toEqual([
      [503, t.now()],
      [410, t.now()],
    ])
    expect((await (await admin.get('/api/v1/admin/webhooks')).json()).webhooks[0]).toMatchObject({ id: hook.id, disabled: true })
    t.advance(60)
    await postComment(t, 'gone', { body: 'Three' })
    await deliver()
    expect(receiver.received).toHaveLength(2)
    expect(await deliveries()).toHaveLength(2)
  })

  it('delivers at least once: a receiver that does not answer in time gets the same event again', async () => {
    const admin = await signIn(t, 'admin')
    const hook = await addWebhook(admin, { events: ['comment.created'] })
    t.deps.config.webhookTimeoutMs = 300
    // Receives the request, then never answers.
    receiver.answer(() => undefined)
    await t.setSettings(openSettings)
    await postComment(t, 'slow')
    await deliver()
    expect(receiver.received).toHaveLength(1)
    expect((await deliveries())[0]).toMatchObject({
      attempts: 1,
      lastStatus: null,
      lastError: 'no answer within 300 ms',
      deliveredAt: null,
    })
    receiver.answer(text(204, ''))
    t.advance(5)
    await deliver()
    expect(receiver.received).toHaveLength(2)
    const [first, second] = receiver.received.map((request) => ({
      id: request.headers['webhook-id'],
      event: verified(request, hook.secret),
    }))
    expect(second).toEqual(first)
    expect((await deliveries())[0]?.deliveredAt).toEqual(t.now())
  })

  it('refuses at delivery a target that is no longer allowed, and retries it later', async () => {
    const admin = await signIn(t, 'admin')
    await addWebhook(admin, { events: ['comment.created'] })
    await t.setSettings(openSettings)
    await postComment(t, 'guard')
    t.deps.config.allowPrivateTargets = false
    await deliver()
    expect(receiver.received).toEqual([])
    expect((await deliveries())[0]).toMatchObject({
      attempts: 1,
      lastStatus: null,
      lastError: 'target refused: the host is a private, loopback or link-local address',
      nextAt: new Date(t.now().getTime() + 5000),
    })
    // The same for a name that now resolves to a private address.
    await t.deps.db.update(webhooks).set({ url: 'http://hooks.example/in' })
    t.deps.resolveHost = async () => ['192.168.1.20']
    t.advance(5)
    await deliver()
    expect(receiver.received).toEqual([])
    expect((await deliveries())[0]).toMatchObject({
      attempts: 2,
      lastError: 'target refused: the host name resolves to a private, loopback or link-local address',
    })
  })

  it('checks the address it connects to, not only the one it checked: a name rebound to loopback is refused', async () => {
    const admin = await signIn(t, 'admin')
    t.deps.config.allowPrivateTargets = false
    // The guard's look-up answers a public address; the name then points at loopback (DNS
    // rebinding) by the time the delivery connects, through Node's real guarded fetch.
    t.deps.resolveHost = async () => ['203.0.113.10']
    t.deps.targetFetch = guardedFetch((_host, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]))
    try {
      await addWebhook(admin, { url: `http://rebound.example:${new URL(receiver.url).port}/hook`, events: ['comment.created'] })
      await t.setSettings(openSettings)
      await postComment(t, 'rebind')
      await deliver()
      expect(receiver.received).toEqual([])
      expect((await deliveries())[0]).toMatchObject({
        attempts: 1,
        lastStatus: null,
        lastError: 'fetch failed: the host name resolves to a private, loopback or link-local address',
      })
      // The filter service too: the comment is held with the reason, and asked again later.
      const filter = await admin.send('PATCH', '/api/v1/admin/settings', {
        filterWebhook: { url: `http://rebound.example:${new URL(receiver.url).port}/check` },
      })
      expect(filter.status).toBe(200)
      const { comment } = await postComment(t, 'rebind')
      expect(comment.status).toBe('pending')
      expect(receiver.received).toEqual([])
    } finally {
      delete t.deps.targetFetch
    }
  })
})

describe('the outbox and transactions', () => {
  const failOn = async (table: string, when: string, run: () => Promise<void>) => {
    await t.deps.db.execute(
      sql.raw(
        "create or replace function parley_test_fail() returns trigger language plpgsql as $$ begin raise exception 'provoked failure'; end $$",
      ),
    )
    await t.deps.db.execute(
      sql.raw(`create trigger parley_test_fail before ${when} on ${table} for each row execute function parley_test_fail()`),
    )
    try {
      await run()
    } finally {
      await t.deps.db.execute(sql.raw(`drop trigger parley_test_fail on ${table}`))
    }
  }

  it('writes no event for a moderator change that rolls back', async () => {
    const admin = await signIn(t, 'admin')
    const mod = await signIn(t, 'moderator')
    await addWebhook(admin)
    await t.setSettings({ floodSeconds: 0 })
    const { comment } = await postComment(t, 'rollback')
    await t.deps.db.delete(webhookDeliveries)
    // The status change and its event are written, then the audit log entry fails: all of it rolls back.
    await failOn('moderation_log', 'insert', async () => {
      expect((await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })).status).toBe(500)
    })
    expect(await deliveries()).toEqual([])
    expect((await (await mod.get(`/api/v1/moderation/comments?status=pending`)).json()).comments.map((c: { id: number }) => c.id)).toEqual([
      comment.id,
    ])
    await deliver()
    expect(receiver.received).toEqual([])
  })

  it('writes no event for a submission whose one statement fails, nor for one refused by flood control', async () => {
    const admin = await signIn(t, 'admin')
    await addWebhook(admin)
    await t.setSettings(openSettings)
    await postComment(t, 'atomic')
    await t.deps.db.delete(webhookDeliveries)
    // The fast path's single statement: the article's count cannot be bumped, so neither the comment nor its event is stored.
    await failOn('articles', 'update', async () => {
      const res = await t.postJson('/api/v1/articles/atomic/comments', { name: 'Ann', email: 'ann@example.com', body: 'Lost' })
      expect(res.status).toBe(500)
    })
    expect(await deliveries()).toEqual([])
    await t.setSettings({ floodSeconds: 60 })
    await postComment(t, 'atomic', { body: 'Counted' }, '198.51.100.1')
    expect(await deliveries()).toHaveLength(1)
    const res = await t.postJson(
      '/api/v1/articles/atomic/comments',
      { name: 'Ann', email: 'ann@example.com', body: 'Too soon' },
      {},
      '198.51.100.1',
    )
    expect(res.status).toBe(429)
    expect(await deliveries()).toHaveLength(1)
    await deliver()
    expect(receiver.received).toHaveLength(1)
  })
})
