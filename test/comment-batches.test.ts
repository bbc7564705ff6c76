import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { articles, comments, webhookDeliveries, webhooks } from '../src/db/schema.js'
import { queryRows } from '../src/db/database.js'
import { isAboutValues, storeComment } from '../src/comments/comment-batches.js'
import type { NewComment } from '../src/comments/insert-comment.js'
import { setupTestApp } from './support/test-app.js'
import { postComment } from './support/seed.js'

const t = await setupTestApp({ readCache: true })

async function articleRow(key: string) {
  const [row] = await t.deps.db.select().from(articles).where(eq(articles.key, key))
  if (!row) throw new Error(`no article ${key}`)
  return row
}

/** A comment as storeComment takes it, published, on `articleId`. */
function newComment(articleId: number, body: string, parent?: NewComment['parent']): NewComment {
  return {
    articleId,
    parent,
    status: 'approved',
    authorName: 'Batch Reader',
    authorUrl: null,
    emailEncrypted: null,
    emailHash: null,
    avatar: null,
    ip: '198.51.100.7',
    userAgent: null,
    body,
    html: `<p>${body}</p>`,
    checks: [],
    tokenHash: null,
    createdAt: t.now(),
  }
}

describe('comments posted to one article at the same moment', () => {
  it('are all stored, counted and announced once each', async () => {
    // Flood control as it comes (15 s): each reader posts from a network of its own.
    await t.setSettings({ previouslyApproved: false })
    await postComment(t, 'hot', { body: 'The first comment registers the article.' }, '203.0.113.1')
    await t.deps.db
      .insert(webhooks)
      .values({ url: 'https://hooks.example/parley', events: ['comment.created'], secretSealed: 'x', createdAt: t.now() })
    const before = await articleRow('hot')
    const burst = 40
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        t.postJson(
          '/api/v1/articles/hot/comments',
          { name: `Reader ${i}`, email: `reader-${i}@example.com`, body: `Comment ${i} on the breaking story: the vote is tonight.` },
          {},
          `198.51.100.${i + 10}`,
        ),
      ),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(burst).fill(201))
    const ids = await Promise.all(answers.map(async (res) => ((await res.json()) as { comment: { id: number } }).comment.id))
    expect(new Set(ids).size).toBe(burst)

    const after = await articleRow('hot')
    expect(after.commentCount).toBe(before.commentCount + burst)
    expect(after.version).toBeGreaterThan(before.version)

    const stored = await t.deps.db.select({ id: comments.id, path: comments.path }).from(comments).where(eq(comments.articleId, after.id))
    expect(stored).toHaveLength(burst + 1)
    const [announced] = await queryRows<{ ids: number[] }>(
      t.deps.db,
      sql`select array_agg((${webhookDeliveries.payload} #>> '{data,comment,id}')::int order by 1) as ids from ${webhookDeliveries}`,
    )
    // The endpoint came after the first comment: one event for each comment of the burst, none twice.
    expect([...(announced?.ids ?? [])].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b))

    const page = await t.request('/api/v1/articles/hot/comments?limit=100')
    const thread = (await page.json()) as { article: { commentCount: number }; comments: { id: number }[] }
    expect(thread.article.commentCount).toBe(burst + 1)
    expect(thread.comments.map((c) => c.id).sort((a, b) => a - b)).toEqual(stored.map((row) => row.id).sort((a, b) => a - b))
  })

  it('go to the database together: those that arrive while statements run share the next one', async () => {
    await postComment(t, 'k', { body: 'Registers the article.' }, '203.0.113.4')
    const before = await articleRow('k')
    const rows = await Promise.all(
      Array.from({ length: 10 }, (_, i) => storeComment(t.deps.db, newComment(before.id, `Wave comment ${i}`))),
    )
    expect(new Set(rows.map((row) => row.id)).size).toBe(10)
    const after = await articleRow('k')
    expect(after.commentCount).toBe(before.commentCount + 10)
    // One bump of the version per statement: two run at once, the eight that waited share a third.
    expect(after.version - before.version).toBe(3)
  })

  it('fail one by one: a comment PostgreSQL refuses costs its neighbours in the batch nothing', async () => {
    await postComment(t, 'k', { body: 'Registers the article.' }, '203.0.113.2')
    const article = await articleRow('k')
    const orphan = newComment(article.id, 'A reply to a comment that does not exist.', {
      id: 2_000_000_000,
      rootId: 2_000_000_000,
      path: '',
      depth: 0,
    })
    const outcomes = await Promise.allSettled([
      storeComment(t.deps.db, newComment(article.id, 'Goes first, alone.')),
      storeComment(t.deps.db, newComment(article.id, 'Waits for the first, then goes with the others.')),
      storeComment(t.deps.db, orphan),
      storeComment(t.deps.db, newComment(article.id, 'Goes with the orphan, and is stored all the same.')),
    ])
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    const rejected = outcomes[2]
    expect(rejected?.status === 'rejected' && isAboutValues(rejected.reason)).toBe(true)
    expect((await articleRow('k')).commentCount).toBe(article.commentCount + 3)
  })

  it("leave out a comment whose request's deadline answered while it waited", async () => {
    await postComment(t, 'k', { body: 'Registers the article.' }, '203.0.113.3')
    const article = await articleRow('k')
    const late = new Error('the deadline answered 503')
    const outcomes = await Promise.allSettled([
      storeComment(t.deps.db, newComment(article.id, 'In flight.')),
      storeComment(t.deps.db, newComment(article.id, 'Its request gave up while it waited.'), () => {
        throw late
      }),
      storeComment(t.deps.db, newComment(article.id, 'Waited, and is stored.'), () => undefined),
    ])
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(outcomes[1]?.status === 'rejected' && outcomes[1].reason).toBe(late)
    const bodies = (await t.deps.db.select({ body: comments.body }).from(comments).where(eq(comments.articleId, article.id))).map(
      (row) => row.body,
    )
    expect(bodies).not.toContain('Its request gave up while it waited.')
    expect((await articleRow('k')).commentCount).toBe(article.commentCount + 2)
  })
})
