import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { articles, comments, jobs, moderationLog } from '../src/db/schema.js'
import { mailAddresses, mailMessages, subscriptions } from '../src/db/mail-schema.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'
import { ORIGIN, setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { dashboardSession } from './support/dashboard.js'
import { startSmtpSink } from './support/smtp-sink.js'
import { MAIL_FROM, mailHarness } from './support/mail-harness.js'

const t = await setupTestApp()
const inbox = mailHarness(t)
const { runAll, deliver, linkIn, follow, subscribeReader } = inbox

describe('the whole story, through the real SMTP server', () => {
  it('plain-form subscriber confirms; a held reply mails only the moderator; Approve from the email mails the subscriber once; one click unsubscribes', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', allowedOrigins: ['https://news.example'], siteName: 'Daily Example' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })

    // A reader subscribes from WordPress's own form (no JavaScript): Jetpack's field.
    const posted = await t.request('/comment-form', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://news.example' },
      body: new URLSearchParams({
        comment: 'First!',
        author: 'Sub Scriber',
        email: 'subscriber@example.com',
        comment_post_ID: 'story-17',
        comment_parent: '0',
        subscribe_comments: 'subscribe',
        redirect_to: 'https://news.example/story-17/',
      }).toString(),
    })
    expect(posted.status).toBe(303)
    const first = await deliver()
    expect(first.map((m) => [m.to[0], m.mail.subject])).toEqual(
      expect.arrayContaining([
        ['subscriber@example.com', '[Daily Example] Confirm your email address for comment notifications'],
        [mod.email, expect.stringMatching(/^\[Daily Example\] Please moderate/)],
      ]),
    )
    expect(first).toHaveLength(2)
    const confirmation = first.find((m) => m.to[0] === 'subscriber@example.com')
    expect((await follow(linkIn(confirmation!, 'Confirm your email address'))).status).toBe(200)
    const subscriberComment = (await t.deps.db.select().from(comments))[0]
    await mod.send('PATCH', `/api/v1/moderation/comments/${subscriberComment?.id}`, { status: 'approved' })
    await deliver()

    // Another reader replies; held: the moderator hears of it, the subscriber does not.
    await postComment(t, 'story-17', { name: 'Replier', body: 'A held reply', parentId: subscriberComment?.id })
    const held = await deliver()
    expect(held.map((m) => m.to[0])).toEqual([mod.email])

    // Approve from the email: its GET page, then its POST.
    expect((await follow(linkIn(held[0]!, 'Approve it'))).status).toBe(200)
    const told = await deliver()
    expect(told.map((m) => m.to[0])).toEqual(['subscriber@example.com'])
    expect(told[0]?.mail.text).toContain('A held reply')

    // One click in the mail client, then nothing more.
    const headers = told[0]!.mail.headerLines.map((line) => line.line.replace(/\r?\n\s+/g, ' ')).join('\n')
    const url = /List-Unsubscribe: <([^>]+)>/.exec(headers)?.[1] ?? ''
    const oneClick = await t.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    t.advance(3600)
    const { comment: later } = await postComment(t, 'story-17', { body: 'After the unsubscribe' })
    expect((await deliver()).map((m) => m.to[0])).toEqual([mod.email])
    await mod.send('PATCH', `/api/v1/moderation/comments/${later.id}`, { status: 'approved' })
    expect(await deliver()).toEqual([])
    // No address in the logs, whatever was sent.
    expect(t.logLines.join('\n')).not.toMatch(/subscriber@example\.com|Sub Scriber/)
  })

  it('loses nothing while the mail server is down, and sends each email once when it is back', async () => {
    const outage = await startSmtpSink()
    const port = outage.port
    const pooled = nodeSmtpTransport({ url: outage.url, from: MAIL_FROM, timeoutMs: 2_000 })
    t.deps.mail = pooled
    try {
      await t.setSettings({ ...openSettings, moderation: 'all' })
      const mod = await signIn(t)
      await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })
      await outage.close()
      for (let i = 0; i < 3; i++) await postComment(t, 'outage', { body: `During the outage ${i}` })
      const down = await runAll()
      expect(down.sweeps.mail).toMatchObject({ sent: 0, retried: 3 })
      const back = await startSmtpSink(port)
      try {
        // Each was put off by a minute; a second run before then sends nothing twice.
        t.advance(61)
        const up = await runAll()
        expect(up.sweeps.mail).toMatchObject({ sent: 3, retried: 0 })
        t.advance(3600)
        await runAll()
        expect(back.received.map((m) => m.mail.text?.match(/During the outage \d/)?.[0]).sort()).toEqual([
          'During the outage 0',
          'During the outage 1',
          'During the outage 2',
        ])
      } finally {
        await back.close()
      }
    } finally {
      pooled.close()
    }
  })
})

describe('moderators are emailed about held comments, with one-click decisions', () => {
  it('emails a held comment with its checks and Approve / Spam / Trash links that act once, as that moderator', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all', siteName: 'The Daily\nExample' })
    const mod = await signIn(t)
    const prefs = await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })
    expect(prefs.status).toBe(200)
    expect((await prefs.json()).mail).toMatchObject({ enabled: true, transport: expect.stringMatching(/^smtp:\/\/127\.0\.0\.1:\d+$/) })
    await t.request('/api/v1/articles/held-story/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify({ name: 'Ann', email: 'ann@example.com', body: 'Please <b>check</b> me', article: { title: 'Budget vote' } }),
    })
    const [comment] = await t.deps.db.select().from(comments)
    expect(comment?.status).toBe('pending')

    const [mail, ...more] = await deliver()
    expect(more).toHaveLength(0)
    expect(mail?.to).toEqual([mod.email])
    expect(mail?.mail.subject).toBe('[The Daily Example] Please moderate: “Budget vote”')
    expect(mail?.mail.text).toContain('Author: Ann')
    expect(mail?.mail.text).toContain('Email: ann@example.com')
    expect(mail?.mail.text).toContain('Spam checks: ')
    expect(mail?.mail.html).toContain('<b>check</b>')

    // A mail scanner's GET changes nothing.
    const approve = linkIn(mail!, 'Approve it')
    expect((await t.request(approve)).status).toBe(200)
    expect((await t.request(approve)).status).toBe(200)
    expect((await t.deps.db.select().from(comments))[0]?.status).toBe('pending')

    expect((await follow(approve)).status).toBe(200)
    expect((await t.deps.db.select().from(comments))[0]?.status).toBe('approved')
    const log = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'status'))
    expect(log).toEqual([expect.objectContaining({ moderatorId: mod.id, from: 'pending', to: 'approved', commentId: comment?.id })])

    // Single-use: the same link again, and the email's other links still work once each.
    const again = await t.request(approve.replace(ORIGIN, ''), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    })
    expect(again.status).toBe(410)
    expect((await follow(linkIn(mail!, 'Trash it'))).status).toBe(200)
    expect((await t.deps.db.select().from(comments))[0]?.status).toBe('trash')
  })

  it("refuses forged, retargeted and expired links, and a disabled moderator's", async () => {
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: false, every: false, digest: 'off' })
    await postComment(t, 'forgery')
    const [mail] = await deliver()
    const approve = linkIn(mail!, 'Approve it')
    const token = new URL(approve).searchParams.get('t') ?? ''
    const [payload, mac] = token.split('.')
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
    forged.commentId = 999
    const forgedToken = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`
    for (const bad of [`${token}x`, forgedToken, 'a.b', '', 'x'.repeat(5000)]) {
      const res = await t.request(`/mail/act?t=${encodeURIComponent(bad)}`, { method: 'POST' })
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
    }
    // A moderation token is no confirmation or unsubscription.
    expect((await t.request(`/mail/confirm?t=${encodeURIComponent(token)}`, { method: 'POST' })).status).toBe(404)
    t.advance(8 * 86_400)
    expect((await t.request(approve)).status).toBe(410)
    expect((await t.request(`/mail/act?t=${encodeURIComponent(token)}`, { method: 'POST' })).status).toBe(410)
    expect((await t.deps.db.select().from(comments))[0]?.status).toBe('pending')
  })

  it('gathers a spam wave into one digest an hour instead of one email each', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: true, every: false, digest: 'hourly' })
    for (let i = 0; i < 5; i++) await postComment(t, 'wave', { body: `Wave ${i}` })
    expect(await deliver()).toHaveLength(0)
    t.advance(3600)
    const [digest, ...more] = await deliver()
    expect(more).toHaveLength(0)
    expect(digest?.mail.subject).toBe('5 comments need your attention')
    for (let i = 0; i < 5; i++) expect(digest?.mail.text).toContain(`Wave ${i}`)
    expect(await deliver()).toHaveLength(0)
  })

  it('emails reports to those who asked', async () => {
    await t.setSettings(openSettings)
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: false, reported: true, every: false, digest: 'off' })
    const { comment } = await postComment(t, 'reported', { body: 'Rude words' })
    expect(await deliver()).toHaveLength(0)
    const res = await t.postJson(`/api/v1/comments/${comment.id}/reports`, { reason: 'abuse', note: 'Insulting' })
    expect(res.status).toBe(202)
    const [mail] = await deliver()
    expect(mail?.mail.subject).toMatch(/^Reported comment/)
    expect(mail?.mail.text).toContain('Reports: Abusive or harmful: Insulting')
  })
})

describe('readers follow threads with double opt-in', () => {
  it('sends only the confirmation before the address is confirmed, then approved comments by others, coalesced, with RFC 8058 unsubscribe', async () => {
    await t.setSettings(openSettings)
    const res = await t.postJson('/api/v1/articles/story/comments', {
      name: 'Follower',
      email: 'follower@example.com',
      body: 'Interesting',
      subscribeComments: true,
    })
    expect(res.status).toBe(201)
    const [confirmation, ...others] = await deliver()
    expect(others).toHaveLength(0)
    expect(confirmation?.to).toEqual(['follower@example.com'])

    // Unconfirmed: nothing about the thread, and no second confirmation the same day.
    await postComment(t, 'story', { body: 'Before confirming' })
    await t.postJson('/api/v1/articles/story/comments', {
      name: 'Follower',
      email: 'follower@example.com',
      body: 'Again',
      subscribeComments: true,
    })
    expect(await deliver()).toHaveLength(0)

    expect((await follow(linkIn(confirmation!, 'Confirm your email address'))).status).toBe(200)
    await postComment(t, 'story', { name: 'Bob', body: 'A reply worth reading' })
    const [first, ...rest] = await deliver()
    expect(rest).toHaveLength(0)
    expect(first?.to).toEqual(['follower@example.com'])
    expect(first?.mail.subject).toMatch(/^New comment on/)
    expect(first?.mail.text).toContain('A reply worth reading')
    expect(first?.mail.text).not.toContain('Before confirming')
    // Long header lines come folded (RFC 5322 §2.2.3): unfolded here.
    const headers = first!.mail.headerLines.map((line) => line.line.replace(/\r?\n\s+/g, ' ')).join('\n')
    expect(headers).toMatch(/List-Unsubscribe: <http:\/\/parley\.test\/mail\/unsubscribe\?t=[^>]+>/)
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')

    // Their own comment is no news to them; two more within 15 minutes go together, once the 15 minutes are up.
    await t.postJson('/api/v1/articles/story/comments', { name: 'Follower', email: 'follower@example.com', body: 'My own' })
    await postComment(t, 'story', { body: 'Second' })
    await postComment(t, 'story', { body: 'Third' })
    expect(await deliver()).toHaveLength(0)
    t.advance(15 * 60)
    const [gathered, ...none] = await deliver()
    expect(none).toHaveLength(0)
    expect(gathered?.mail.subject).toMatch(/^2 new comments on/)
    expect(gathered?.mail.text).toContain('Second')
    expect(gathered?.mail.text).toContain('Third')
    expect(gathered?.mail.text).not.toContain('My own')

    // A mail client's one-click unsubscribe: a POST to the header's URL, no cookie, no page.
    const oneClick = /List-Unsubscribe: <([^>]+)>/.exec(headers)?.[1] ?? ''
    const form = new FormData()
    form.set('List-Unsubscribe', 'One-Click')
    expect((await t.request(oneClick, { method: 'POST', body: form })).status).toBe(200)
    t.advance(3600)
    await postComment(t, 'story', { body: 'After unsubscribing' })
    expect(await deliver()).toHaveLength(0)
  })

  it('never tells readers of held or spam comments; tells them once approved, and the author of the approval', async () => {
    await t.setSettings({ ...openSettings, moderation: 'all' })
    const mod = await signIn(t)
    await subscribeReader('held-thread', 'watcher@example.com')
    const res = await t.postJson('/api/v1/articles/held-thread/comments', {
      name: 'Author',
      email: 'author@example.com',
      body: 'Held for now',
      notifyApproval: true,
    })
    const { comment } = (await res.json()) as { comment: { id: number; status: string } }
    expect(comment.status).toBe('pending')
    const [authorConfirmation, ...others] = await deliver()
    expect(others).toHaveLength(0)
    expect(authorConfirmation?.to).toEqual(['author@example.com'])
    await follow(linkIn(authorConfirmation!, 'Confirm your email address'))

    expect((await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })).status).toBe(200)
    const sent = await deliver()
    expect(sent.map((m) => m.to[0]).sort()).toEqual(['author@example.com', 'watcher@example.com'])
    expect(sent.find((m) => m.to[0] === 'author@example.com')?.mail.subject).toMatch(/^Your comment on .* was approved$/)
  })

  it('subscribes no one from a comment caught as spam', async () => {
    await t.setSettings({ ...openSettings, disallowedKeys: ['casino'] })
    const res = await t.postJson('/api/v1/articles/spammy/comments', {
      name: 'X',
      email: 'x@example.com',
      body: 'best casino',
      subscribeComments: true,
    })
    expect(res.status).toBe(201)
    expect(await deliver()).toHaveLength(0)
    expect(await t.deps.db.select().from(mailAddresses)).toHaveLength(0)
  })

  it('stops mail to an address the server refused for good, until it is confirmed again', async () => {
    await t.setSettings(openSettings)
    await subscribeReader('bouncy', 'gone@example.com')
    inbox.sink().refuse('gone@example.com', 550)
    await postComment(t, 'bouncy', { body: 'Will bounce' })
    const report = await runAll()
    expect(report.sweeps.mail).toMatchObject({ failed: 1 })
    const [address] = await t.deps.db.select().from(mailAddresses)
    expect(address?.bouncedAt).not.toBeNull()
    t.advance(3600)
    await postComment(t, 'bouncy', { body: 'Not even queued' })
    await runAll()
    const queued = await t.deps.db.select().from(mailMessages).where(eq(mailMessages.state, 'queued'))
    expect(queued).toHaveLength(0)
    expect(t.logLines.join('\n')).not.toContain('gone@example.com')
  })

  it('retries a temporary failure with backoff', async () => {
    await t.setSettings(openSettings)
    await subscribeReader('flaky', 'later@example.com')
    inbox.sink().refuse('later@example.com', 451)
    await postComment(t, 'flaky', { body: 'Try again' })
    expect((await runAll()).sweeps.mail).toMatchObject({ retried: 1 })
    inbox.sink().refuse('later@example.com', 0)
    expect(await deliver()).toHaveLength(0)
    t.advance(60)
    const [mail] = await deliver()
    expect(mail?.mail.text).toContain('Try again')
  })

  it('sends a batch several at a time, each email settled on its own', async () => {
    await t.setSettings(openSettings)
    await postComment(t, 'busy', { body: 'The first' })
    const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, 'busy'))
    // Confirmed followers written as a confirmation leaves them: more than the sweep sends at once.
    const followers = ['one', 'two', 'three', 'four', 'five', 'six'].map((name) => `${name}@busy.example`)
    for (const email of followers) {
      const emailHash = await t.deps.secrets.emailHash(email)
      const emailSealed = await t.deps.secrets.encryptEmail(email)
      await t.deps.db.insert(mailAddresses).values({ emailHash, emailSealed, confirmedAt: t.now(), createdAt: t.now() })
      await t.deps.db
        .insert(subscriptions)
        .values({ emailHash, articleId: article!.id, kind: 'thread', createdAt: t.now(), confirmedAt: t.now() })
    }
    inbox.sink().refuse('two@busy.example', 550)
    inbox.sink().refuse('five@busy.example', 451)
    try {
      await postComment(t, 'busy', { body: 'News for everyone' })
      const before = inbox.sink().received.length
      const report = await runAll()
      expect(report.sweeps.mail).toEqual({ sent: 4, retried: 1, failed: 1, dropped: 0 })
      const delivered = inbox
        .sink()
        .received.slice(before)
        .map((mail) => mail.to[0])
      expect(delivered.sort()).toEqual(['four@busy.example', 'one@busy.example', 'six@busy.example', 'three@busy.example'])
      const stateOf = async (email: string) => {
        const emailHash = await t.deps.secrets.emailHash(email)
        const rows = await t.deps.db.select().from(mailMessages).where(eq(mailMessages.emailHash, emailHash))
        const [address] = await t.deps.db.select().from(mailAddresses).where(eq(mailAddresses.emailHash, emailHash))
        return { states: rows.map((row) => row.state), bounced: address?.bouncedAt !== null }
      }
      expect(await stateOf('one@busy.example')).toEqual({ states: ['sent'], bounced: false })
      expect(await stateOf('two@busy.example')).toEqual({ states: ['failed'], bounced: true })
      expect(await stateOf('five@busy.example')).toEqual({ states: ['queued'], bounced: false })
      expect(await deliver()).toHaveLength(0)
    } finally {
      inbox.sink().refuse('two@busy.example', 0)
      inbox.sink().refuse('five@busy.example', 0)
    }
  })

  it('gathers at most 25 comments into one reader email on a busy thread', async () => {
    await t.setSettings(openSettings)
    await subscribeReader('busy-thread', 'reader@busy.example')
    await postComment(t, 'busy-thread', { body: 'Comment 0' })
    expect(await deliver()).toHaveLength(1)
    for (let i = 1; i <= 30; i++) await postComment(t, 'busy-thread', { body: `Comment ${i}` })
    await runAll()
    t.advance(15 * 60)
    const [gathered, ...more] = await deliver()
    expect(more).toHaveLength(0)
    expect(gathered?.mail.subject).toMatch(/^25 new comments on/)
    // Which 25 depends on the order the jobs ran in (the same run_at): only how many is fixed.
    expect(gathered?.mail.text?.match(/ wrote:/g)).toHaveLength(25)
  })

  it('puts subscriptions in the privacy export and removes them on erase', async () => {
    await t.setSettings(openSettings)
    await subscribeReader('private', 'me@example.com')
    const admin = await signIn(t, 'admin')
    const exported = await (await admin.get('/api/v1/admin/privacy/export?email=me@example.com')).json()
    expect(exported.notifications).toMatchObject({ subscriptions: [{ kind: 'thread', articleKey: 'private' }] })
    expect(exported.notifications.confirmedAt).not.toBeNull()
    const erased = await (await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'me@example.com' })).json()
    expect(erased).toMatchObject({ erased: 1, notifications: true })
    expect(await t.deps.db.select().from(mailAddresses)).toHaveLength(0)
  })
})

describe("the dashboard's notifications page", () => {
  it("saves a moderator's choices with CSRF and says where mail goes", async () => {
    // The dashboard's sign-in is over https, which PARLEY_PUBLIC_URL=http://parley.test would refuse.
    t.deps.config.publicUrl = null
    const dash = await dashboardSession(t)
    const page = await (await dash.get('/admin/notifications')).text()
    expect(page).toContain(`Email me at <strong>${dash.email}</strong>`)
    expect(page).toMatch(/Mail goes out through <code>smtp:\/\/127\.0\.0\.1:\d+<\/code>/)
    expect((await dash.post('/admin/notifications', { held: 'on', digest: 'daily', csrf: 'forged' })).status).toBe(403)
    const saved = await dash.post('/admin/notifications', { held: 'on', every: 'on', digest: 'daily' })
    expect(saved.status).toBe(303)
    const after = await (await dash.get('/admin/notifications?done=notifications')).text()
    expect(after).toContain('Notification settings saved.')
    expect(after).toMatch(/name="held" value="on" checked/)
    expect(after).not.toMatch(/name="reported" value="on" checked/)
    expect(after).toMatch(/value="daily" selected/)
    t.deps.mail = undefined
    expect(await (await dash.get('/admin/notifications')).text()).toContain('Notifications are off')
  })
})

describe('without a transport', () => {
  it('queues nothing and says notifications are off', async () => {
    t.deps.mail = undefined
    t.deps.config.mail = null
    await t.setSettings(openSettings)
    const mod = await signIn(t)
    await mod.send('PUT', '/api/v1/moderation/notifications', { held: true, reported: true, every: true, digest: 'off' })
    await t.postJson('/api/v1/articles/quiet/comments', { name: 'Q', email: 'q@example.com', body: 'Hello', subscribeComments: true })
    expect(await t.deps.db.select().from(jobs)).toHaveLength(0)
    const state = await (await mod.get('/api/v1/moderation/notifications')).json()
    expect(state.mail).toMatchObject({ enabled: false, transport: null })
  })
})
