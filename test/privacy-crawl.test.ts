import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { spamJobs } from '../src/comments/spam-jobs.js'
import { createLogger } from '../src/logger.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { loopbackServer, text } from './support/loopback-server.js'
import { startSmtpSink } from './support/smtp-sink.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { mailSweeps, notificationJobs } from '../src/runtime/mail-work.js'

const t = await setupTestApp()
const receiver = await loopbackServer(text(204, ''))
// Notifications on: the emails, their links' pages and the mail log lines are crawled too.
const sink = await startSmtpSink()
const transport = nodeSmtpTransport({ url: sink.url, from: 'Crawl <crawl@news.example>', timeoutMs: 5_000 })
afterAll(async () => {
  transport.close()
  await sink.close()
})

const SUBMISSIONS = 300
const KEYS = ['crawl-a', 'crawl-b', 'crawl-c', 'crawl-d', 'crawl-e']

/** A fixed-seed generator (mulberry32): a failure names the same data on every run. */
function random(seed: number) {
  let state = seed
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: T[]): T | undefined => items[Math.floor(next() * items.length)],
  }
}
const rng = random(8_06)

interface Commenter {
  email: string
  ip: string
  userAgent: string
}
/** Distinct, recognizable details per commenter: in mixed case, over IPv4 and IPv6. */
const commenter = (n: number): Commenter => {
  const tag = (rng.int(0xffffff) + 0x100000).toString(16)
  return {
    email: n % 3 === 0 ? `Crawl.Reader-${n}-${tag}@Mail${n}.Example.ORG` : `crawl.reader-${n}-${tag}@mail${n}.example.org`,
    ip: n % 4 === 0 ? `2001:db8:${tag.slice(0, 4)}::${n.toString(16)}` : `100.${64 + rng.int(60)}.${rng.int(250)}.${1 + rng.int(250)}`,
    userAgent: `CrawlBrowser/${n}.${tag} (secret-ua-${tag})`,
  }
}

const hex = (algorithm: string, value: string) => createHash(algorithm).update(value).digest('hex')
/** Every form in which a commenter's details could leak: as typed, normalized, encoded, hashed. */
function needlesOf(people: Commenter[]): { what: string; value: string }[] {
  return people.flatMap(({ email, ip, userAgent }) => {
    const normalized = email.toLowerCase()
    return [
      { what: 'email', value: normalized },
      { what: 'email local part', value: normalized.slice(0, normalized.indexOf('@')) },
      { what: 'URL-encoded email', value: encodeURIComponent(email).toLowerCase() },
      ...['md5', 'sha1', 'sha256'].map((algorithm) => ({ what: `${algorithm} of email`, value: hex(algorithm, normalized) })),
      { what: 'IP', value: ip },
      { what: 'user agent', value: userAgent.toLowerCase() },
      { what: 'user agent token', value: userAgent.slice(userAgent.indexOf('secret-ua-')).replace(')', '') },
    ]
  })
}

describe('privacy crawl', () => {
  it("finds no commenter's email, IP or user agent in any public response, header, redirect, webhook payload or info log line", async () => {
    // The default level, as production runs: captured instead of printed.
    const infoLog: string[] = []
    t.deps.logger = createLogger('info', (line) => infoLog.push(line))
    t.deps.mail = transport
    t.deps.config.mail = { from: 'Crawl <crawl@news.example>', smtpUrl: sink.url, api: null, coalesceMinutes: 0 }
    t.deps.config.publicUrl = ORIGIN
    await t.setSettings({ floodSeconds: 0, previouslyApproved: true, maxLinks: 2 })
    const admin = await signIn(t, 'admin')
    await admin.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: true, every: true, digest: 'off' })
    const hook = await admin.send('POST', '/api/v1/admin/webhooks', {
      url: `${receiver.url}/hook`,
      events: ['comment.created', 'comment.status_changed', 'comment.edited', 'comment.deleted', 'comment.reported'],
    })
    expect(hook.status).toBe(201)

    const seen: { where: string; text: string }[] = []
    const record = async (where: string, res: Response) => {
      const headers: string[] = []
      res.headers.forEach((value, name) => headers.push(`${name}: ${value}`))
      seen.push({ where, text: `${res.status}\n${headers.join('\n')}\n\n${await res.clone().text()}` })
      return res
    }

    // Submissions: JSON and the plain form, replies, links (held), honeypot (spam), some refused.
    const people: Commenter[] = []
    const created: { id: number; token: string | null; key: string; who: Commenter }[] = []
    for (let n = 0; n < SUBMISSIONS; n++) {
      const who = commenter(n)
      people.push(who)
      const key = rng.pick(KEYS) ?? 'crawl-a'
      const parent = rng.next() < 0.4 ? rng.pick(created.filter((c) => c.key === key)) : undefined
      const body = [
        `Comment ${n} on ${key}.`,
        rng.next() < 0.1 ? ' http://a.example http://b.example' : '',
        rng.next() < 0.1 ? ` I am ${who.email}? no.`.replace(who.email, 'someone') : '',
      ].join('')
      t.advance(1)
      if (n % 5 === 4) {
        const form = new URLSearchParams({
          comment: body,
          author: `Form ${n}`,
          email: who.email,
          url: '',
          comment_post_ID: key,
          comment_parent: String(parent?.id ?? 0),
          redirect_to: `${ORIGIN}/posts/${key}`,
          ...(n % 3 === 0 ? { subscribe_comments: 'subscribe' } : {}),
        })
        const res = await record(
          `form ${n}`,
          await t.request(
            '/comment-form',
            { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': who.userAgent }, body: form },
            who.ip,
          ),
        )
        const id = Number(/#comment-(\d+)$/.exec(res.headers.get('location') ?? '')?.[1])
        if (res.status === 303 && id > 0) created.push({ id, token: null, key, who })
        continue
      }
      const fields = {
        name: `Reader ${n}`,
        email: who.email,
        body,
        ...(parent ? { parentId: parent.id } : {}),
        ...(n % 17 === 0 ? { hp: 'spam' } : {}),
        ...(n % 23 === 0 ? { email: 'not an address' } : {}),
        ...(n % 4 === 1 ? { subscribeComments: true, notifyApproval: true } : {}),
      }
      const res = await record(
        `submit ${n}`,
        await t.postJson(`/api/v1/articles/${key}/comments`, fields, { 'User-Agent': who.userAgent }, who.ip),
      )
      if (res.status === 201) {
        const { comment, token } = (await res.clone().json()) as { comment: { id: number }; token: string }
        created.push({ id: comment.id, token, key, who })
      }
      // Moderators approve as they go, so that replies have approved parents and later comments publish at once.
      if (n % 10 === 9)
        await admin.send('POST', '/api/v1/moderation/comments/bulk', { ids: created.slice(-10).map((c) => c.id), status: 'approved' })
    }
    // Replies to a comment still held are refused (422), as are the bad addresses: most are stored.
    expect(created.length).toBeGreaterThan(SUBMISSIONS * 0.5)

    // Moderators: approve, spam, trash, bulk, edit, reply.
    const ids = created.map((c) => c.id)
    await admin.send('POST', '/api/v1/moderation/comments/bulk', { ids: ids.filter((_, i) => i % 3 === 0), status: 'approved' })
    for (const [i, id] of ids.entries()) {
      if (i % 11 === 0) await admin.send('PATCH', `/api/v1/moderation/comments/${id}`, { status: 'spam' })
      if (i % 11 === 5) await admin.send('PATCH', `/api/v1/moderation/comments/${id}`, { status: 'trash' })
      if (i % 29 === 1) await admin.send('PATCH', `/api/v1/moderation/comments/${id}`, { body: `Edited by a moderator ${id}.` })
      if (i % 31 === 2) await admin.send('POST', `/api/v1/moderation/comments/${id}/replies`, { body: 'Thanks for writing.' })
      if (i % 37 === 3) await admin.send('DELETE', `/api/v1/moderation/comments/${id}`)
    }
    // Then authors edit, withdraw and report (approved comments), from their own IP and browser.
    for (const [index, { id, token, who }] of created.entries()) {
      if (!token) continue
      const as = { 'User-Agent': who.userAgent, Authorization: `Bearer ${token}` }
      if (index % 7 === 0)
        await record(
          `edit ${id}`,
          await t.request(
            `/api/v1/comments/${id}`,
            { method: 'PATCH', headers: { ...as, 'Content-Type': 'application/json' }, body: JSON.stringify({ body: `Edited ${id}.` }) },
            who.ip,
          ),
        )
      if (index % 19 === 0)
        await record(`withdraw ${id}`, await t.request(`/api/v1/comments/${id}`, { method: 'DELETE', headers: as }, who.ip))
      if (index % 13 === 0)
        await record(
          `report ${id}`,
          await t.postJson(`/api/v1/comments/${id}/reports`, { reason: 'abuse', note: 'Rude.' }, { 'User-Agent': who.userAgent }, who.ip),
        )
    }
    // The jobs, emails among them; every third confirmation link is followed (its page, then its POST).
    const runAll = () => runJobs(t.deps, t.now(), notificationJobs, mailSweeps)
    await runAll()
    const linksOf = (mailText: string, label: string) => [...mailText.matchAll(new RegExp(`${label}: (\\S+)`, 'g'))].map((m) => m[1] ?? '')
    for (const [i, mail] of sink.received.entries()) {
      for (const url of linksOf(mail.mail.text ?? '', 'Confirm your email address')) {
        const page = await record(`confirm page ${i}`, await t.request(url))
        if (i % 3 === 0) await record(`confirm ${i}`, await t.request(url, { method: 'POST' }))
        expect(page.status).toBe(200)
      }
    }
    await admin.send('POST', '/api/v1/moderation/comments/bulk', {
      ids: created.map((c) => c.id).filter((id) => id % 5 === 0),
      status: 'approved',
    })
    for (let round = 0; round < 3; round++) await runAll()
    for (const [i, mail] of sink.received.entries()) {
      for (const url of [
        ...linksOf(mail.mail.text ?? '', 'Stop emails about this article'),
        ...linksOf(mail.mail.text ?? '', 'Approve it'),
      ].slice(0, 2))
        await record(`email link ${i}`, await t.request(url))
    }
    expect(sink.received.some((m) => /new comment/i.test(m.mail.subject ?? ''))).toBe(true)

    // The crawl: every page of every thread, counts, each comment, the pages and files.
    for (const key of [...KEYS, 'unknown-key']) {
      for (const [order, limit] of [
        ['oldest', 3],
        ['newest', 100],
      ] as const) {
        let cursor: string | null = null
        do {
          const res = await record(
            `thread ${key}`,
            await t.request(
              `/api/v1/articles/${key}/comments?order=${order}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            ),
          )
          expect(res.status).toBe(200)
          cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor
        } while (cursor)
      }
    }
    await record('counts', await t.request(`/api/v1/counts?keys=${KEYS.join(',')}`))
    for (let id = 1; id <= Math.max(...ids) + 5; id++) await record(`comment ${id}`, await t.request(`/api/v1/comments/${id}`))
    for (const { id, token } of created.filter((c) => c.token).slice(0, 60))
      await record(`own comment ${id}`, await t.request(`/api/v1/comments/${id}`, { headers: { Authorization: `Bearer ${token}` } }))
    for (const path of ['/widget.js', '/demo', '/demo/plain', '/docs', '/openapi.json', '/healthz', '/readyz']) {
      expect((await record(path, await t.request(path))).status, path).toBe(200)
    }

    // The details did reach Parley (the moderators' columns), so the search below looks for real values.
    const stored = await t.deps.db.select({ ip: comments.ip, userAgent: comments.userAgent }).from(comments)
    expect(stored.filter((row) => row.ip?.startsWith('100.') || row.ip?.startsWith('2001:db8:')).length).toBeGreaterThan(SUBMISSIONS * 0.5)
    expect(stored.filter((row) => row.userAgent?.startsWith('CrawlBrowser/')).length).toBeGreaterThan(SUBMISSIONS * 0.5)

    const needles = needlesOf(people)
    const leaks = (haystack: string) => {
      const lower = haystack.toLowerCase()
      return needles.filter((needle) => lower.includes(needle.value.toLowerCase())).map((needle) => `${needle.what} ${needle.value}`)
    }
    // The detector works: it finds planted values however they are cased or escaped.
    const planted = people[7] ?? commenter(7)
    expect(leaks(JSON.stringify({ e: planted.email.toUpperCase() }))).toContain(`email ${planted.email.toLowerCase()}`)
    expect(leaks(`x-forwarded-for: ${planted.ip}`)).toContain(`IP ${planted.ip}`)
    expect(leaks(`ua=${encodeURIComponent(planted.userAgent)}`).length).toBeGreaterThan(0)

    const webhookTexts = receiver.received.map((r) => ({ where: `webhook ${r.path}`, text: `${JSON.stringify(r.headers)}\n${r.body}` }))
    expect(new Set(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type))).toEqual(
      new Set(['comment.created', 'comment.status_changed', 'comment.edited', 'comment.deleted', 'comment.reported']),
    )
    expect(seen.length).toBeGreaterThan(SUBMISSIONS + 100)
    expect(seen.filter((s) => s.where.startsWith('form')).every((s) => /location: /.test(s.text) || !s.text.startsWith('303'))).toBe(true)
    expect([...seen, ...webhookTexts].map((s) => ({ where: s.where, leaks: leaks(s.text) })).filter((s) => s.leaks.length > 0)).toEqual([])
    expect(infoLog.map((line) => ({ line, leaks: leaks(line) })).filter((l) => l.leaks.length > 0)).toEqual([])
    // A reader's email names no other reader: only moderators' emails show an author's address.
    const readerMails = sink.received.filter((m) => !/@news\.example$/.test(m.to[0] ?? ''))
    expect(readerMails.length).toBeGreaterThan(10)
    const othersIn = readerMails
      .map((m) => ({
        to: m.to[0],
        leaks: leaks(`${m.mail.subject}\n${m.mail.text}\n${String(m.mail.html)}`).filter((l) => !l.includes((m.to[0] ?? '').toLowerCase())),
      }))
      .filter((m) => m.leaks.length > 0)
    expect(othersIn).toEqual([])
  }, 120_000)

  it('logs no commenter detail when the database fails in the middle of a post, an edit or a job', async () => {
    const log: string[] = []
    t.deps.logger = createLogger('debug', (line) => log.push(line))
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    // A real database error, raised by the database itself while it stores a row the app sent:
    // its message quotes the statement with every parameter (name, email ciphertext, IP, user agent, body).
    await t.deps.db.execute(sql`create or replace function parley_test_fail() returns trigger language plpgsql as $$
      begin if new.body like '%fail-here%' then raise exception 'refused by a test trigger'; end if; return new; end $$`)
    await t.deps.db.execute(
      sql`create trigger parley_test_fail before insert or update on comments for each row execute function parley_test_fail()`,
    )
    try {
      const who = commenter(9001)
      const name = 'Zebedee Quintana-Unlikely'
      const post = await t.postJson(
        '/api/v1/articles/db-error/comments',
        { name, email: who.email, url: 'https://zebedee.example/home', body: 'Please fail-here now' },
        { 'User-Agent': who.userAgent },
        who.ip,
      )
      expect(post.status).toBe(500)
      expect(await post.json()).toMatchObject({ code: 'internal_error' })
      const ok = await t.postJson(
        '/api/v1/articles/db-error/comments',
        { name, email: who.email, body: 'Fine' },
        { 'User-Agent': who.userAgent },
        who.ip,
      )
      const { comment, token } = (await ok.json()) as { comment: { id: number }; token: string }
      const edit = await t.request(
        `/api/v1/comments/${comment.id}`,
        {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'User-Agent': who.userAgent },
          body: JSON.stringify({ body: 'Edited to fail-here' }),
        },
        who.ip,
      )
      expect(edit.status).toBe(500)
      // A job that fails on the same trigger: an Akismet re-check of a held comment whose filter now answers.
      await t.deps.db.execute(sql`update comments set status = 'pending' where id = ${comment.id}`)
      await t.deps.db.execute(sql`alter table comments disable trigger parley_test_fail`)
      await t.deps.db.execute(sql`update comments set body = 'Retried fail-here' where id = ${comment.id}`)
      await t.deps.db.execute(sql`alter table comments enable trigger parley_test_fail`)
      await t.deps.db.execute(
        sql`insert into jobs (kind, comment_id, payload, run_at, created_at) values ('spam-recheck', ${comment.id}, '{}', ${t.now().toISOString()}::timestamptz, ${t.now().toISOString()}::timestamptz)`,
      )
      t.deps.spamFilters = [{ name: 'decides', check: () => ({ verdict: 'approve', reason: 'fine' }) }]
      expect((await runJobs(t.deps, t.now(), spamJobs)).failed).toBe(1)

      const errors = log.filter((line) => /"level":"error"/.test(line))
      expect(errors.length).toBe(3)
      const needles = [
        ...needlesOf([who]),
        { what: 'name', value: name },
        { what: 'url', value: 'zebedee.example' },
        { what: 'body', value: 'fail-here' },
      ]
      const found = log.flatMap((line) =>
        needles.filter((n) => line.toLowerCase().includes(n.value.toLowerCase())).map((n) => `${n.what} in ${line.slice(0, 200)}`),
      )
      expect(found).toEqual([])
      // What is logged still says what failed and where.
      expect(JSON.parse(errors[0] ?? '{}')).toMatchObject({
        message: 'unhandled error',
        code: 'P0001',
        path: '/api/v1/articles/db-error/comments',
      })
    } finally {
      await t.deps.db.execute(sql`drop trigger if exists parley_test_fail on comments`)
      await t.deps.db.execute(sql`drop function if exists parley_test_fail()`)
    }
  })
})
