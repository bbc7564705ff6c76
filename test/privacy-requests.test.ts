import { describe, expect, it } from 'vitest'
import { asc, eq, inArray } from 'drizzle-orm'
import { articles, comments, moderationLog, webhookDeliveries } from '../src/db/schema.js'
import { anonymizeIp } from '../src/net/ip-networks.js'
import { setupTestApp, ORIGIN } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'

const t = await setupTestApp()

const PERSON = 'Private.Person@Example.org'
const browser = 'PrivacyProbe/1.0 (secret-agent)'

/** Three comments by the person (two spellings of the address, IPv4 and IPv6), one reply to them by someone else. */
async function history() {
  await t.setSettings(openSettings)
  const post = async (key: string, fields: Record<string, unknown>, ip: string) => {
    const res = await t.postJson(
      `/api/v1/articles/${key}/comments`,
      { name: 'Priya Private', url: 'https://priya.example/', ...fields },
      { 'User-Agent': browser },
      ip,
    )
    expect(res.status).toBe(201)
    return (await res.json()).comment.id as number
  }
  const first = await post('one', { email: PERSON, body: 'My first comment' }, '198.51.100.77')
  const other = (await postComment(t, 'one', { body: 'Someone else replies', parentId: first, email: 'other@example.org', name: 'Other' }))
    .comment.id
  t.advance(60)
  const second = await post('two', { email: 'private.person@example.org', body: 'My second comment' }, '2001:db8:5ec:1234::7e57')
  t.advance(60)
  const third = await post('two', { email: ' PRIVATE.PERSON@EXAMPLE.ORG ', body: 'My third comment', parentId: second }, '198.51.100.78')
  return { mine: [first, second, third], other }
}

describe("a person's data", () => {
  it('exports every comment an address wrote, found by its keyed hash, as moderators see them', async () => {
    const admin = await signIn(t, 'admin')
    const { mine } = await history()
    const res = await admin.get(`/api/v1/admin/privacy/export?email=${encodeURIComponent('private.person@EXAMPLE.org')}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = await res.json()
    expect(body.email).toBe('private.person@EXAMPLE.org')
    expect(body.comments.map((c: { id: number }) => c.id)).toEqual(mine)
    expect(body.comments[1]).toMatchObject({
      status: 'approved',
      email: 'private.person@example.org',
      ip: '2001:db8:5ec:1234::7e57',
      userAgent: browser,
      author: { name: 'Priya Private', url: 'https://priya.example/' },
      article: { key: 'two' },
      html: '<p>My second comment</p>',
    })
    expect((await (await admin.get('/api/v1/admin/privacy/export?email=nobody@example.org')).json()).comments).toEqual([])

    const log = await t.deps.db
      .select()
      .from(moderationLog)
      .where(eq(moderationLog.action, 'privacy.export'))
      .orderBy(asc(moderationLog.id))
    expect(log.map((entry) => [entry.moderatorId, entry.detail])).toEqual([
      [admin.id, { comments: 3, subscriptions: 0 }],
      [admin.id, { comments: 0, subscriptions: 0 }],
    ])
    expect(JSON.stringify(log).toLowerCase()).not.toContain('private.person')
  })

  it('erases as WordPress does: Anonymous, no email, URL or browser, the IP cut to its network; the text stays', async () => {
    const admin = await signIn(t, 'admin')
    const { mine, other } = await history()
    const hook = await admin.send('POST', '/api/v1/admin/webhooks', {
      url: 'https://hooks.example/parley',
      events: ['comment.created'],
      includeEmail: true,
    })
    expect(hook.status).toBe(201)
    await t.postJson(
      '/api/v1/articles/two/comments',
      { name: 'Priya Private', url: 'https://priya.example/', email: PERSON, body: 'After the hook' },
      {},
      '198.51.100.79',
    )
    const versions = async () => (await t.deps.db.select().from(articles).orderBy(asc(articles.key))).map((a) => a.version)
    const before = await versions()

    const res = await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'PRIVATE.person@example.org' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ erased: 4, notifications: false, commenterRules: 0, moderatorNotes: 0, votes: 0 })

    const rows = await t.deps.db.select().from(comments).where(inArray(comments.id, mine)).orderBy(asc(comments.id))
    expect(rows.map((r) => [r.authorName, r.authorUrl, r.emailEncrypted, r.emailHash, r.avatar, r.userAgent, r.ip, r.body])).toEqual([
      ['Anonymous', null, null, null, null, null, '198.51.100.0', 'My first comment'],
      ['Anonymous', null, null, null, null, null, '2001:db8:5ec::', 'My second comment'],
      ['Anonymous', null, null, null, null, null, '198.51.100.0', 'My third comment'],
    ])
    const [untouched] = await t.deps.db.select().from(comments).where(eq(comments.id, other))
    expect(untouched).toMatchObject({ authorName: 'Other', body: 'Someone else replies' })
    expect(untouched?.emailHash).toBe(await t.deps.secrets.emailHash('other@example.org'))

    // Readers see it at once: new versions, so no cached page still names the person.
    const after = await versions()
    expect(after.every((version, i) => version > (before[i] ?? 0))).toBe(true)
    const page = await (await t.request('/api/v1/articles/two/comments')).json()
    expect(page.comments[0].author).toEqual({
      name: 'Anonymous',
      url: null,
      avatar: null,
      moderator: false,
      verified: false,
      avatarUrl: null,
    })
    // The webhook outbox forgets them too.
    const [delivery] = await t.deps.db.select().from(webhookDeliveries)
    expect(delivery?.emailSealed).toBeNull()
    expect(JSON.stringify(delivery?.payload)).not.toMatch(/Priya|priya\.example/)

    // Nothing finds the person any more; the log says what happened, not to whom.
    expect((await (await admin.get(`/api/v1/admin/privacy/export?email=${encodeURIComponent(PERSON)}`)).json()).comments).toEqual([])
    const [entry] = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'privacy.erase'))
    expect(entry).toMatchObject({ moderatorId: admin.id, detail: { comments: 4 } })
    const everything = JSON.stringify(await t.deps.db.select().from(moderationLog)).toLowerCase()
    expect(everything).not.toContain('private.person')
  })

  it('erases nothing for an address with no comments, and still logs the request', async () => {
    const admin = await signIn(t, 'admin')
    await history()
    const res = await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'nobody@example.org' })
    expect(await res.json()).toEqual({ erased: 0, notifications: false, commenterRules: 0, moderatorNotes: 0, votes: 0 })
    expect(await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'privacy.erase'))).toHaveLength(1)
  })

  it('is for admins, and wants an address', async () => {
    const moderator = await signIn(t, 'moderator')
    expect((await moderator.get(`/api/v1/admin/privacy/export?email=${encodeURIComponent(PERSON)}`)).status).toBe(403)
    expect((await moderator.send('POST', '/api/v1/admin/privacy/erase', { email: PERSON })).status).toBe(403)
    expect(
      (
        await t.request('/api/v1/admin/privacy/erase', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
          body: '{}',
        })
      ).status,
    ).toBe(401)
    const admin = await signIn(t, 'admin')
    const missing = await admin.get('/api/v1/admin/privacy/export')
    expect(missing.status).toBe(422)
    expect((await missing.json()).errors[0].field).toBe('email')
    expect((await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'no-at-sign' })).status).toBe(422)
  })
})

describe('anonymizeIp', () => {
  it("keeps an IPv4 address's /24 and an IPv6 address's /48", () => {
    expect(anonymizeIp('198.51.100.77')).toBe('198.51.100.0')
    expect(anonymizeIp('2001:db8:5ec:1234::7e57')).toBe('2001:db8:5ec::')
    expect(anonymizeIp('2001:0DB8:0000:1:2:3:4:5')).toBe('2001:db8:0::')
    expect(anonymizeIp('::ffff:203.0.113.9')).toBe('::ffff:203.0.113.0')
    expect(anonymizeIp('fe80::1%eth0')).toBe('fe80:0:0::')
    expect(anonymizeIp('::1')).toBe('::')
    expect(anonymizeIp('not an ip')).toBeNull()
    expect(anonymizeIp('1:2:3:4:5:6:7:8:9')).toBeNull()
  })
})
