import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments, jobs } from '../src/db/schema.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/spam/spam-jobs.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { loopbackServer } from './support/loopback-server.js'

const t = await setupTestApp()
const akismet = await loopbackServer((req, res) => {
  res.end(req.path === '/1.1/comment-check' ? 'false' : 'Thanks for making the web a better place.')
})
const stored = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]

describe('runJobs', () => {
  it('does each job once however many instances run at the same time', async () => {
    await t.setSettings(openSettings)
    const mod = await signIn(t)
    t.deps.config.akismet = { key: 'k', blog: 'https://news.example', url: akismet.url }
    try {
      for (let i = 0; i < 12; i++) {
        const { comment } = await postComment(t, 'jobs')
        await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'spam' })
      }
      expect(await t.deps.db.select().from(jobs)).toHaveLength(12)
      akismet.received.length = 0
      const reports = await Promise.all(Array.from({ length: 4 }, () => runJobs(t.deps, t.now(), spamJobs)))
      expect(reports.reduce((sum, report) => sum + report.ran, 0)).toBe(12)
      expect(akismet.received.filter((r) => r.path === '/1.1/submit-spam')).toHaveLength(12)
      expect(await t.deps.db.select().from(jobs)).toEqual([])
    } finally {
      t.deps.config.akismet = null
    }
  })

  it('purges old spam and trash, keeping those with replies, and forgets old IPs and user agents', async () => {
    await t.setSettings({ ...openSettings, purgeAfterDays: 30, ipRetentionDays: 7 })
    const mod = await signIn(t)
    const spam = await postComment(t, 'old')
    const trashedParent = await postComment(t, 'old')
    const reply = await postComment(t, 'old', { parentId: trashedParent.comment.id })
    const kept = await postComment(t, 'old')
    await mod.send('PATCH', `/api/v1/moderation/comments/${spam.comment.id}`, { status: 'spam' })
    await mod.send('PATCH', `/api/v1/moderation/comments/${trashedParent.comment.id}`, { status: 'trash' })

    t.advance(8 * 86_400)
    const fresh = await postComment(t, 'old')
    let report = await runJobs(t.deps, t.now(), spamJobs)
    expect(report).toMatchObject({ purged: 0, forgotten: 4 })
    expect(await stored(kept.comment.id)).toMatchObject({ ip: null, userAgent: null, status: 'approved' })
    expect((await stored(fresh.comment.id))?.ip).toBe('203.0.113.7')

    t.advance(23 * 86_400)
    report = await runJobs(t.deps, t.now(), spamJobs)
    expect(report.purged).toBe(1)
    expect(await stored(spam.comment.id)).toBeUndefined()
    expect((await stored(trashedParent.comment.id))?.status).toBe('trash')
    expect((await stored(reply.comment.id))?.status).toBe('approved')
  })
})
