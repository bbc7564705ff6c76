import { describe, expect, it } from 'vitest'
import { asc, eq, max } from 'drizzle-orm'
import { comments } from '../src/db/schema.js'
import { MAX_DEPTH } from '../src/comments/comment-path.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { importOk, tableSnapshot } from './support/imports.js'

const t = await setupTestApp()

/** A WXR file of one item with a reply chain: comment 1 top-level, each next one answering the one before. */
function chain(length: number, from = 1): string {
  const items = Array.from({ length }, (_, i) => {
    const id = from + i
    const seconds = id % 60
    const minutes = Math.floor(id / 60) % 60
    const hours = Math.floor(id / 3600)
    const date = `2020-01-01 ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`
    return (
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Author ${id}</wp:comment_author><wp:comment_author_email>a${id}@example.org</wp:comment_author_email>` +
      `<wp:comment_date_gmt>${date}</wp:comment_date_gmt><wp:comment_content>Reply ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>` +
      `<wp:comment_parent>${id - 1}</wp:comment_parent></wp:comment>`
    )
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Deep</title><link>https://deep.example/</link>
<item><title>Deep</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
${items.join('\n')}
</item></channel></rss>`
}

const depthOf = async (id: number) => (await t.deps.db.select().from(comments).where(eq(comments.id, id)))[0]

describe('reply chains deeper than Parley keeps', () => {
  it('imports a 1,000-deep chain: the first 100 as they were, each deeper reply beside the 99th, with a warning; the thread reads', async () => {
    const admin = await signIn(t, 'admin')
    const file = chain(1000)
    const summary = await importOk(t, admin, file)
    expect(summary).toMatchObject({ comments: 1000, errors: [], details: { replies: 999, longestChain: 100, warningCount: 900 } })
    expect(summary.warnings[0]).toEqual({
      record: 'comment',
      id: '101',
      reason: 'its chain of replies is deeper than 100 comments: imported beside its parent, at that depth',
    })
    const [deepest] = await t.deps.db.select({ depth: max(comments.depth) }).from(comments)
    expect(deepest?.depth).toBe(MAX_DEPTH)
    expect(await depthOf(100)).toMatchObject({ parentId: 99, depth: 99 })
    expect(await depthOf(101)).toMatchObject({ parentId: 99, depth: 99, rootId: 1 })
    expect(await depthOf(1000)).toMatchObject({ parentId: 99, depth: 99, rootId: 1 })

    const page = await t.request('/api/v1/articles/7/comments?limit=100')
    expect(page.status).toBe(200)
    const before = await tableSnapshot(t)
    expect(await importOk(t, admin, file)).toMatchObject({ comments: 0, details: { alreadyImported: 1000 } })
    expect(await tableSnapshot(t)).toEqual(before)
  }, 120_000)

  it("attaches a later export's reply to a comment at the cap beside it", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, chain(100))
    expect(await depthOf(100)).toMatchObject({ depth: 99 })
    const summary = await importOk(t, admin, chain(101))
    expect(summary).toMatchObject({ comments: 1, details: { alreadyImported: 100 } })
    expect(await depthOf(101)).toMatchObject({ parentId: 99, depth: 99, rootId: 1 })
  })

  it("places a reader's or a moderator's reply to a comment at the cap beside it", async () => {
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, chain(100))
    await t.setSettings(openSettings)
    const reader = (await postComment(t, '7', { parentId: 100 })).comment
    expect(reader.parentId).toBe(99)
    expect(await depthOf(reader.id)).toMatchObject({ parentId: 99, depth: 99 })
    const res = await admin.send('POST', '/api/v1/moderation/comments/100/replies', { body: 'From the desk' })
    expect(res.status).toBe(201)
    expect(await depthOf((await res.json()).id)).toMatchObject({ parentId: 99, depth: 99 })
    // Under the cap, a reply is a reply.
    expect(await depthOf((await postComment(t, '7', { parentId: 99 })).comment.id)).toMatchObject({ parentId: 99, depth: 99 })
    expect(await depthOf((await postComment(t, '7', { parentId: 98 })).comment.id)).toMatchObject({ parentId: 98, depth: 98 })
    const thread = await t.deps.db.select().from(comments).orderBy(asc(comments.path))
    expect(thread.every((c) => c.depth <= MAX_DEPTH)).toBe(true)
  })
})
