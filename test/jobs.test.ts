import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { comments, jobs } from '../src/db/schema.js'
import { runJobs, type JobHandler } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/comments/spam-jobs.js'
import { setupTestApp, ORIGIN } from './support/test-app.js'
import { importOk } from './support/imports.js'
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

  it('counts the purge from the status change: an old comment trashed today can still be restored', async () => {
    await t.setSettings({ ...openSettings, purgeAfterDays: 30, ipRetentionDays: 7 })
    const old = await postComment(t, 'trashed-late')
    // Sessions end after 12 hours: a moderator signs in afresh for each change.
    const moderate = async (status: string) =>
      (await (await signIn(t)).send('PATCH', `/api/v1/moderation/comments/${old.comment.id}`, { status })).status
    t.advance(400 * 86_400)
    expect(await moderate('trash')).toBe(200)
    expect((await runJobs(t.deps, t.now(), spamJobs)).purged).toBe(0)
    t.advance(29 * 86_400)
    expect((await runJobs(t.deps, t.now(), spamJobs)).purged).toBe(0)
    expect(await moderate('approved')).toBe(200)
    expect(await stored(old.comment.id)).toMatchObject({ status: 'approved' })
    // Trashed again: thirty days from this second change, not the first.
    expect(await moderate('trash')).toBe(200)
    t.advance(29 * 86_400)
    expect((await runJobs(t.deps, t.now(), spamJobs)).purged).toBe(0)
    t.advance(2 * 86_400)
    expect((await runJobs(t.deps, t.now(), spamJobs)).purged).toBe(1)
    expect(await stored(old.comment.id)).toBeUndefined()
  })

  it('keeps imported spam, trash and IPs for the full retention from the import, however old the comments', async () => {
    await t.setSettings({ ...openSettings, purgeAfterDays: 30, ipRetentionDays: 7 })
    const admin = await signIn(t, 'admin')
    const comment = (
      id: number,
      approved: string,
    ) => `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Old</wp:comment_author>
      <wp:comment_author_email>old${id}@example.com</wp:comment_author_email><wp:comment_author_IP>198.51.100.${id}</wp:comment_author_IP>
      <wp:comment_date_gmt>2009-01-0${id} 10:00:00</wp:comment_date_gmt><wp:comment_content>Years ago ${id}</wp:comment_content>
      <wp:comment_approved>${approved}</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`
    const wxr = `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
      <wp:base_site_url>https://old.example</wp:base_site_url><item><title>Old</title><link>${ORIGIN}/old</link><wp:post_id>7</wp:post_id>
      ${comment(1, 'spam')}${comment(2, 'trash')}${comment(3, '1')}</item></channel></rss>`
    const summary = await importOk(t, admin, wxr)
    expect(summary.comments).toBe(3)
    // In id order: without it PostgreSQL answers in whatever order its pages hold the rows.
    const ids = (await t.deps.db.select({ id: comments.id }).from(comments).orderBy(comments.id)).map((row) => row.id)
    expect(await runJobs(t.deps, t.now(), spamJobs)).toMatchObject({ purged: 0, forgotten: 0 })
    t.advance(8 * 86_400)
    expect(await runJobs(t.deps, t.now(), spamJobs)).toMatchObject({ purged: 0, forgotten: 3 })
    t.advance(23 * 86_400)
    expect(await runJobs(t.deps, t.now(), spamJobs)).toMatchObject({ purged: 2 })
    expect((await t.deps.db.select({ id: comments.id }).from(comments).orderBy(comments.id)).map((row) => row.id)).toEqual(ids.slice(2))
  })

  it('takes at most 1,000 jobs a run, then sends and purges, and says a backlog remains', async () => {
    const seen: number[] = []
    const counted: JobHandler = {
      kind: 'test-count',
      run: async (_deps, job) => {
        seen.push(job.id)
        return { done: true }
      },
    }
    const at = t.now().toISOString()
    await t.deps.db.execute(
      sql`insert into jobs (kind, payload, run_at, created_at) select 'test-count', '{}', ${at}::timestamptz, ${at}::timestamptz from generate_series(1, 1050)`,
    )
    const first = await runJobs(t.deps, t.now(), [counted])
    expect(first).toMatchObject({ ran: 1000, backlog: true })
    const second = await runJobs(t.deps, t.now(), [counted])
    expect(second).toMatchObject({ ran: 50, backlog: false })
    expect(new Set(seen).size).toBe(1050)
  })
})
