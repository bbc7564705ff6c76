import { describe, expect, it } from 'vitest'
import { and, asc, eq, sql } from 'drizzle-orm'
import { articles, comments, moderationLog } from '../src/db/schema.js'
import { setupTestApp } from './support/test-app.js'
import { postComment } from './support/seed.js'
import { signIn } from './support/moderators.js'

const t = await setupTestApp()

/** Each comment's log must chain (every entry starts where the last ended) and end at its status. */
async function expectLogMatches(ids: number[], start: string) {
  for (const id of ids) {
    const [row] = await t.deps.db.select({ status: comments.status }).from(comments).where(eq(comments.id, id))
    const entries = await t.deps.db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.commentId, id), eq(moderationLog.action, 'status')))
      .orderBy(asc(moderationLog.id))
    let at = start
    for (const entry of entries) {
      expect(entry.from, `comment ${id}`).toBe(at)
      at = entry.to ?? ''
    }
    expect(at, `comment ${id}`).toBe(row?.status)
  }
}

/** The article's counter and version-visible state agree with the rows themselves. */
async function expectCountsConsistent(key: string) {
  const [article] = await t.deps.db.select().from(articles).where(eq(articles.key, key))
  const [actual] = await t.deps.db
    .select({ count: sql<number>`count(*)::int` })
    .from(comments)
    .where(and(eq(comments.articleId, article?.id ?? 0), eq(comments.status, 'approved')))
  expect(article?.commentCount).toBe(actual?.count)
  const thread = await (await t.request(`/api/v1/articles/${key}/comments?limit=100`)).json()
  expect(thread.article.commentCount).toBe(actual?.count)
}

describe('concurrent moderation', () => {
  it('ends approve-versus-trash races in one state with a matching log', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const [alice, bob] = [await signIn(t), await signIn(t)]
    const ids: number[] = []
    for (let i = 0; i < 8; i++) ids.push((await postComment(t, 'race')).comment.id)
    const results = await Promise.all(
      ids.flatMap((id) => [
        alice.send('PATCH', `/api/v1/moderation/comments/${id}`, { status: 'approved' }),
        bob.send('PATCH', `/api/v1/moderation/comments/${id}`, { status: 'trash' }),
      ]),
    )
    expect(results.map((r) => r.status).every((s) => s === 200)).toBe(true)
    await expectLogMatches(ids, 'pending')
    await expectCountsConsistent('race')
  })

  it('lets two overlapping bulk actions both finish, consistently', async () => {
    await t.setSettings({ floodSeconds: 0 })
    const [alice, bob] = [await signIn(t), await signIn(t)]
    const ids: number[] = []
    for (let i = 0; i < 30; i++) ids.push((await postComment(t, 'bulk')).comment.id)
    const [first, second] = await Promise.all([
      alice.send('POST', '/api/v1/moderation/comments/bulk', { ids: ids.slice(0, 20), status: 'approved' }),
      bob.send('POST', '/api/v1/moderation/comments/bulk', { ids: ids.slice(10).reverse(), status: 'spam' }),
    ])
    expect([first?.status, second?.status]).toEqual([200, 200])
    const updatedBy = async (res: Response | undefined) => ((await res?.json()) as { updated: number } | undefined)?.updated ?? 0
    const updated = (await updatedBy(first)) + (await updatedBy(second))
    // Every comment changed once, the overlap's ten perhaps twice (approved, then spam, or the other way).
    expect(updated).toBeGreaterThanOrEqual(30)
    await expectLogMatches(ids, 'pending')
    await expectCountsConsistent('bulk')
    const statuses = await t.deps.db.select({ id: comments.id, status: comments.status }).from(comments)
    for (const row of statuses) {
      const index = ids.indexOf(row.id)
      if (index < 10) expect(row.status).toBe('approved')
      else if (index >= 20) expect(row.status).toBe('spam')
    }
  })

  it('never deadlocks when a parent and its replies change at once', async () => {
    await t.setSettings({ floodSeconds: 0, previouslyApproved: false })
    const [alice, bob] = [await signIn(t), await signIn(t)]
    const parent = (await postComment(t, 'tree')).comment.id
    const replies: number[] = []
    for (let i = 0; i < 10; i++) replies.push((await postComment(t, 'tree', { parentId: parent })).comment.id)
    const results = await Promise.all([
      alice.send('POST', '/api/v1/moderation/comments/bulk', { ids: replies, status: 'trash' }),
      bob.send('PATCH', `/api/v1/moderation/comments/${parent}`, { status: 'spam' }),
      alice.send('POST', '/api/v1/moderation/comments/bulk', { ids: [...replies].reverse(), status: 'approved' }),
      bob.send('PATCH', `/api/v1/moderation/comments/${parent}`, { status: 'approved' }),
    ])
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200])
    await expectLogMatches([parent, ...replies], 'approved')
    await expectCountsConsistent('tree')
  })
})
