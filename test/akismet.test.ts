import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments, jobs } from '../src/db/schema.js'
import { runJobs } from '../src/jobs/run-jobs.js'
import { spamJobs } from '../src/comments/spam-jobs.js'
import { setupTestApp, testTime } from './support/test-app.js'
import { postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'
import { loopbackServer, refusedUrl, text } from './support/loopback-server.js'

const t = await setupTestApp()
const akismet = await loopbackServer(text(200, 'false'))
const config = { key: 'test-key-123', blog: 'https://news.example', url: akismet.url }

const stored = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]
const akismetCheck = async (id: number) => (await stored(id))?.checks.find((c) => c.filter === 'akismet')
const fields = (index = -1) => new URLSearchParams(akismet.received.at(index)?.body ?? '')

async function withAkismet<T>(run: () => Promise<T>): Promise<T> {
  await t.setSettings({ previouslyApproved: false, floodSeconds: 0 })
  t.deps.config.akismet = config
  akismet.received.length = 0
  try {
    return await run()
  } finally {
    t.deps.config.akismet = null
  }
}

describe('Akismet', () => {
  it('sends WordPress\'s comment-check fields and publishes on "false"', () =>
    withAkismet(async () => {
      akismet.answer(text(200, 'false'))
      await t.setSettings({ allowedOrigins: ['https://news.example'] })
      const parent = await t.postJson(
        '/api/v1/articles/ak/comments',
        {
          name: 'Ann',
          email: 'ann@example.com',
          url: 'https://ann.example',
          body: 'Fine words',
          article: { url: 'https://news.example/ak' },
        },
        { 'User-Agent': 'Test Browser/1.0', Referer: 'https://news.example/ak' },
      )
      const { comment } = await parent.json()
      expect(comment.status).toBe('approved')
      expect(akismet.received[0]?.path).toBe('/1.1/comment-check')
      expect(Object.fromEntries(fields(0))).toMatchObject({
        api_key: 'test-key-123',
        blog: 'https://news.example',
        user_ip: '203.0.113.7',
        user_agent: 'Test Browser/1.0',
        referrer: 'https://news.example/ak',
        permalink: 'https://news.example/ak',
        comment_type: 'comment',
        comment_author: 'Ann',
        comment_author_email: 'ann@example.com',
        comment_author_url: 'https://ann.example/',
        comment_content: 'Fine words',
        comment_date_gmt: testTime(),
        honeypot_field_name: 'hp',
        hp: '',
      })
      await postComment(t, 'ak', { parentId: comment.id })
      expect(fields().get('comment_type')).toBe('reply')
      expect(await akismetCheck(comment.id)).toEqual({ filter: 'akismet', verdict: 'approve', reason: 'Akismet has no objection' })
    }))

  it('marks "true" as spam, answered as pending', () =>
    withAkismet(async () => {
      akismet.answer(text(200, 'true'))
      const { comment } = await postComment(t, 'ak')
      expect(comment.status).toBe('pending')
      expect((await stored(comment.id))?.status).toBe('spam')
    }))

  for (const [name, setup] of [
    ['answers "invalid"', async () => akismet.answer(text(200, 'invalid', { 'X-akismet-debug-help': 'Empty "api_key" value' }))],
    ['answers 500', async () => akismet.answer(text(500, 'oops'))],
    [
      'is slower than its timeout',
      async () =>
        akismet.answer((_req, res) => {
          setTimeout(() => res.end('false'), 6000)
        }),
    ],
    [
      'refuses connections',
      async () => {
        t.deps.config.akismet = { ...config, url: await refusedUrl() }
      },
    ],
  ] as const) {
    it(
      `holds the comment and retries every 20 minutes when Akismet ${name}`,
      () =>
        withAkismet(async () => {
          await setup()
          const { comment } = await postComment(t, 'ak')
          expect(comment.status).toBe('pending')
          expect((await stored(comment.id))?.status).toBe('pending')
          expect(await akismetCheck(comment.id)).toMatchObject({ verdict: 'hold', retry: true })
          const [job] = await t.deps.db.select().from(jobs)
          expect(job).toMatchObject({ kind: 'spam-recheck', commentId: comment.id, runAt: new Date(testTime(20 * 60)) })

          // Akismet recovers: the retry lets the other rules decide, and they approve.
          t.deps.config.akismet = config
          akismet.answer(text(200, 'false'))
          await runJobs(t.deps, t.now(), spamJobs)
          expect((await stored(comment.id))?.status).toBe('pending')
          t.advance(20 * 60)
          await runJobs(t.deps, t.now(), spamJobs)
          expect((await stored(comment.id))?.status).toBe('approved')
          expect(await t.deps.db.select().from(jobs)).toEqual([])
          expect((await (await t.request('/api/v1/articles/ak/comments')).json()).comments.map((c: { id: number }) => c.id)).toContain(
            comment.id,
          )
        }),
      20_000,
    )
  }

  it("on a late ham answer, lets another filter's hold stand; on a late spam answer, marks spam", () =>
    withAkismet(async () => {
      akismet.answer(text(500, ''))
      await t.setSettings({ moderationKeys: ['hold-me'] })
      const held = await postComment(t, 'ak', { body: 'please hold-me' })
      const spam = await postComment(t, 'ak', { body: 'something else' })
      t.advance(20 * 60)
      akismet.answer((req, res) => {
        res.end(new URLSearchParams(req.body).get('comment_content') === 'something else' ? 'true' : 'false')
      })
      await runJobs(t.deps, t.now(), spamJobs)
      expect((await stored(held.comment.id))?.status).toBe('pending')
      expect((await stored(spam.comment.id))?.status).toBe('spam')
    }))

  it("drops a late answer about text the author has since edited: the edit's own checks decide", () =>
    withAkismet(async () => {
      await t.setSettings({ editWindowSeconds: 7200 })
      akismet.answer(text(500, ''))
      const { comment, token } = await postComment(t, 'ak', { body: 'Harmless at first' })
      t.advance(20 * 60)
      // The re-check asks about the old text and is answered only after the author's edit, whose own
      // check cannot be answered (Akismet down again): the edit is held, waiting for its own re-check.
      let answerOld: () => void = () => {}
      const oldAsked = new Promise<void>((asked) => {
        akismet.answer((req, res) => {
          if (new URLSearchParams(req.body).get('comment_content') === 'Harmless at first') {
            answerOld = () => res.end('false')
            asked()
          } else {
            res.statusCode = 500
            res.end('')
          }
        })
      })
      const job = runJobs(t.deps, t.now(), spamJobs)
      await oldAsked
      const edit = await t.request(`/api/v1/comments/${comment.id}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: 'Buy cheap pills now' }),
      })
      expect(edit.status).toBe(200)
      answerOld()
      await job
      expect(await stored(comment.id)).toMatchObject({ status: 'pending', body: 'Buy cheap pills now' })
      expect(await akismetCheck(comment.id)).toMatchObject({ verdict: 'hold', retry: true })
      // The edit's own re-check is still to come, and it decides on the new text.
      expect(await t.deps.db.select({ kind: jobs.kind }).from(jobs).where(eq(jobs.commentId, comment.id))).toEqual([
        { kind: 'spam-recheck' },
      ])
      akismet.answer(text(200, 'true'))
      t.advance(20 * 60)
      await runJobs(t.deps, t.now(), spamJobs)
      expect((await stored(comment.id))?.status).toBe('spam')
    }))

  it('gives up after 15 days, leaving the comment held for a moderator', () =>
    withAkismet(async () => {
      akismet.answer(text(503, ''))
      const { comment } = await postComment(t, 'ak')
      for (let day = 0; day < 16; day++) {
        t.advance(86_400)
        await runJobs(t.deps, t.now(), spamJobs)
      }
      expect(await t.deps.db.select().from(jobs)).toEqual([])
      expect((await stored(comment.id))?.status).toBe('pending')
    }))

  it('leaves a comment a moderator already decided', () =>
    withAkismet(async () => {
      akismet.answer(text(500, ''))
      const mod = await signIn(t)
      const { comment } = await postComment(t, 'ak')
      await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'trash' })
      akismet.answer(text(200, 'false'))
      t.advance(20 * 60)
      await runJobs(t.deps, t.now(), spamJobs)
      expect((await stored(comment.id))?.status).toBe('trash')
    }))

  it("feeds moderators' decisions back through submit-spam and submit-ham", () =>
    withAkismet(async () => {
      akismet.answer(text(200, 'false'))
      const mod = await signIn(t)
      const { comment } = await postComment(t, 'ak', { email: 'fed@example.com' })
      akismet.answer((req, res) => {
        res.end(req.path === '/1.1/comment-check' ? 'false' : 'Thanks for making the web a better place.')
      })
      await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'spam' })
      await runJobs(t.deps, t.now(), spamJobs)
      expect(akismet.received.at(-1)?.path).toBe('/1.1/submit-spam')
      expect(fields().get('comment_author_email')).toBe('fed@example.com')
      await mod.send('PATCH', `/api/v1/moderation/comments/${comment.id}`, { status: 'approved' })
      await runJobs(t.deps, t.now(), spamJobs)
      expect(akismet.received.at(-1)?.path).toBe('/1.1/submit-ham')
      expect(await t.deps.db.select().from(jobs)).toEqual([])
    }))
})
