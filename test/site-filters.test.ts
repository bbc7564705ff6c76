import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import type { SpamFilter } from '../src/spam/spam-filter.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'

const seen: string[] = []
const holdCompetitorMentions: SpamFilter = {
  name: 'competitor-mentions',
  check: (candidate) => {
    seen.push(candidate.articleKey)
    return /\bdaily bugle\b/i.test(candidate.body)
      ? { verdict: 'hold', reason: 'mentions a competitor' }
      : { verdict: 'approve', reason: 'no competitor named' }
  },
}
const throws: SpamFilter = {
  name: 'throws',
  check: (candidate) => {
    if (candidate.body.includes('boom')) throw new Error('the filter broke')
    return { verdict: 'approve', reason: 'fine' }
  },
}
const slow: SpamFilter = {
  name: 'slow',
  timeoutMs: 50,
  check: (candidate) => (candidate.body.includes('slow') ? new Promise(() => {}) : { verdict: 'approve', reason: 'quick' }),
}

const t = await setupTestApp({ spamFilters: [holdCompetitorMentions, throws, slow] })
const checksOf = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]

describe('site filters through Deps.spamFilters', () => {
  it('runs after the built-in rules, in order, each result stored', async () => {
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'sf', { body: 'A fine comment' })
    expect(comment.status).toBe('approved')
    const row = await checksOf(comment.id)
    expect(row?.checks.map((c) => c.filter)).toEqual([
      'honeypot',
      'manual-moderation',
      'link-count',
      'moderation-keys',
      'previously-approved',
      'disallowed-keys',
      'competitor-mentions',
      'throws',
      'slow',
    ])
    expect(seen.at(-1)).toBe('sf')
  })

  it('holds what a site filter holds', async () => {
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'sf', { body: 'The Daily Bugle said otherwise' })
    expect(comment.status).toBe('pending')
    expect((await checksOf(comment.id))?.checks).toContainEqual({
      filter: 'competitor-mentions',
      verdict: 'hold',
      reason: 'mentions a competitor',
    })
  })

  it('holds the comment when a filter throws or runs past its timeout, keeping the error', async () => {
    await t.setSettings(openSettings)
    const broken = await postComment(t, 'sf', { body: 'boom' })
    expect(broken.comment.status).toBe('pending')
    expect((await checksOf(broken.comment.id))?.checks).toContainEqual({
      filter: 'throws',
      verdict: 'hold',
      reason: 'error: the filter broke',
    })
    const late = await postComment(t, 'sf', { body: 'slow one' })
    expect(late.comment.status).toBe('pending')
    expect((await checksOf(late.comment.id))?.checks).toContainEqual({
      filter: 'slow',
      verdict: 'hold',
      reason: 'error: no answer within 50 ms',
    })
  })

  it("runs them again on an author's edit", async () => {
    await t.setSettings({ ...openSettings })
    const { comment, token } = await postComment(t, 'sf', { body: 'Harmless' })
    const res = await t.request(`/api/v1/comments/${comment.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ body: 'Now about the Daily Bugle' }),
    })
    expect((await res.json()).comment.status).toBe('pending')
  })
})
