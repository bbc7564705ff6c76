import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import { articles, comments, moderationLog } from '../src/db/schema.js'
import { openPglite } from '../src/db/pglite.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'
import { openSettings, postComment } from './support/seed.js'
import { counts, fixture, importOk, tableSnapshot } from './support/imports.js'
import { migratedDataDir, openTestDatabase, postgresUrl } from './support/test-database.js'

const t = await setupTestApp()
// On PostgreSQL the CLIs use a database of this file's own; on PGlite, their data directory, which
// starts from the migrated dump (the first CLI run would otherwise create and migrate it).
const cliDatabase = postgresUrl ? await openTestDatabase() : null
const dataDir = await mkdtemp(join(tmpdir(), 'parley-move-'))
if (!cliDatabase) await migratedDataDir(dataDir)
afterAll(async () => {
  await cliDatabase?.close()
  await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
})

interface Page {
  article: { key: string; url: string | null; commentCount: number }
  comments: { id: number; replies: { id: number }[] }[]
}
const thread = async (key: string): Promise<Page> => (await t.request(`/api/v1/articles/${key}/comments`)).json()
const etag = async (key: string) => (await t.request(`/api/v1/articles/${key}/comments`)).headers.get('etag')

describe("moving an article's comments", () => {
  it('renames an article when nothing has the new key: its comments, count and open state follow', async () => {
    const moderator = await signIn(t, 'moderator')
    await t.setSettings(openSettings)
    const first = (await postComment(t, 'old-slug')).comment
    const reply = (await postComment(t, 'old-slug', { parentId: first.id })).comment
    await moderator.send('PUT', '/api/v1/moderation/articles/old-slug', { open: false })
    const before = await etag('old-slug')

    const res = await moderator.send('POST', '/api/v1/moderation/articles/old-slug/move', {
      to: 'new-slug',
      url: 'https://news.example/2026/new-slug/',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      article: {
        key: 'new-slug',
        url: 'https://news.example/2026/new-slug/',
        title: null,
        open: false,
        commentCount: 2,
        commentPolicy: 'anyone',
      },
      merged: false,
      moved: 2,
    })
    const moved = await thread('new-slug')
    expect(moved.comments.map((c) => [c.id, c.replies.map((r) => r.id)])).toEqual([[first.id, [reply.id]]])
    expect((await thread('old-slug')).comments).toEqual([])
    expect(await etag('old-slug')).not.toBe(before)
    expect(await (await t.request('/api/v1/counts?keys=old-slug,new-slug')).json()).toEqual({ counts: { 'old-slug': 0, 'new-slug': 2 } })

    const [entry] = await t.deps.db.select().from(moderationLog).where(eq(moderationLog.action, 'article.move'))
    expect(entry).toMatchObject({
      moderatorId: moderator.id,
      from: 'old-slug',
      to: 'new-slug',
      detail: { merged: false, comments: 2, url: 'https://news.example/2026/new-slug/' },
    })
  })

  it('merges into the article that has the new key: threads interleave by date, counts add up, the old key is gone', async () => {
    const moderator = await signIn(t, 'moderator')
    await t.setSettings(openSettings)
    const a1 = (await postComment(t, '4821')).comment
    t.advance(60)
    const b1 = (await postComment(t, 'story-4821')).comment
    t.advance(60)
    const a2 = (await postComment(t, '4821')).comment
    await t.setSettings({ moderation: 'all' })
    const held = (await postComment(t, '4821')).comment
    expect(held.status).toBe('pending')
    const [target] = await t.deps.db.select().from(articles).where(eq(articles.key, 'story-4821'))

    const res = await moderator.send('POST', '/api/v1/moderation/articles/4821/move', { to: 'story-4821' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ article: { key: 'story-4821', commentCount: 3 }, merged: true, moved: 3 })
    expect((await thread('story-4821')).comments.map((c) => c.id)).toEqual([a1.id, b1.id, a2.id])
    expect(await t.deps.db.select().from(articles).where(eq(articles.key, '4821'))).toEqual([])
    const [after] = await t.deps.db.select().from(articles).where(eq(articles.key, 'story-4821'))
    expect(after).toMatchObject({ id: target?.id, commentCount: 3, version: (target?.version ?? 0) + 1 })
    const [pending] = await t.deps.db.select().from(comments).where(eq(comments.id, held.id))
    expect(pending?.articleId).toBe(target?.id)
    const queue = await (await moderator.get('/api/v1/moderation/comments?article=story-4821')).json()
    expect(queue.comments.map((c: { id: number }) => c.id)).toEqual([held.id])
  })

  it('refuses an unknown article, the same key, a bad key or URL; needs a moderator', async () => {
    const moderator = await signIn(t, 'moderator')
    await t.setSettings(openSettings)
    await postComment(t, 'here')
    const move = (body: unknown) => moderator.send('POST', '/api/v1/moderation/articles/here/move', body)
    const unknown = await moderator.send('POST', '/api/v1/moderation/articles/nowhere/move', { to: 'x' })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).code).toBe('article_not_found')
    expect((await (await move({ to: 'here' })).json()).errors).toEqual([
      { field: 'to', code: 'same_key', message: 'The article already has this key.' },
    ])
    expect((await move({ to: 'has space' })).status).toBe(422)
    expect((await move({ to: 'there', url: 'javascript:alert(1)' })).status).toBe(422)
    expect((await t.postJson('/api/v1/moderation/articles/here/move', { to: 'there' })).status).toBe(401)
    expect((await thread('here')).comments).toHaveLength(1)
  })
})

/** A WXR file: items by post id, each with comments [id, parent]. */
function wxr(items: Record<string, [number, number][]>): string {
  const comment = ([id, parent]: [number, number]) =>
    `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>A ${id}</wp:comment_author>` +
    `<wp:comment_author_email>a${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-01-0${id} 10:00:00</wp:comment_date_gmt>` +
    `<wp:comment_content>Comment ${id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://moving.example/</link>
${Object.entries(items)
  .map(([id, list]) => `<item><title>Post ${id}</title><wp:post_id>${id}</wp:post_id>${list.map(comment).join('')}</item>`)
  .join('\n')}
</channel></rss>`
}

describe('re-importing after a move', () => {
  it('follows a rename: nothing comes back under the old key, and a new reply joins its parent in the moved article', async () => {
    const moderator = await signIn(t, 'moderator')
    const admin = await signIn(t, 'admin')
    await importOk(
      t,
      admin,
      wxr({
        7: [
          [1, 0],
          [2, 1],
        ],
      }),
    )
    expect((await moderator.send('POST', '/api/v1/moderation/articles/7/move', { to: 'story-7' })).status).toBe(200)
    const before = await tableSnapshot(t)
    expect(
      await importOk(
        t,
        admin,
        wxr({
          7: [
            [1, 0],
            [2, 1],
          ],
        }),
      ),
    ).toMatchObject({ articles: 0, comments: 0, details: { existingArticles: 1, alreadyImported: 2 } })
    expect(await tableSnapshot(t)).toEqual(before)

    expect(
      await importOk(
        t,
        admin,
        wxr({
          7: [
            [1, 0],
            [2, 1],
            [3, 2],
          ],
        }),
      ),
    ).toMatchObject({ articles: 0, comments: 1, warnings: [] })
    expect(await t.deps.db.select().from(articles).where(eq(articles.key, '7'))).toEqual([])
    const moved = await thread('story-7')
    expect(moved.comments.map((c) => [c.id, c.replies.map((r) => r.id)])).toEqual([[1, [2]]])
    const [reply] = await t.deps.db.select().from(comments).where(eq(comments.id, 3))
    expect(reply).toMatchObject({ parentId: 2, depth: 2 })
  })

  it("follows merges and renames one after the other, and a key moved back is the article's own again", async () => {
    const moderator = await signIn(t, 'moderator')
    const admin = await signIn(t, 'admin')
    await importOk(t, admin, wxr({ 7: [[1, 0]], 8: [[2, 0]] }))
    expect((await (await moderator.send('POST', '/api/v1/moderation/articles/7/move', { to: '8' })).json()).merged).toBe(true)
    expect((await moderator.send('POST', '/api/v1/moderation/articles/8/move', { to: 'eight' })).status).toBe(200)
    expect(
      await importOk(
        t,
        admin,
        wxr({
          7: [
            [1, 0],
            [3, 1],
          ],
          8: [
            [2, 0],
            [4, 2],
          ],
        }),
      ),
    ).toMatchObject({ articles: 0, comments: 2, warnings: [] })
    expect(await counts(t)).toEqual({ articles: 1, comments: 4 })
    const [eight] = await t.deps.db.select().from(articles).where(eq(articles.key, 'eight'))
    const rows = await t.deps.db.select().from(comments).orderBy(asc(comments.id))
    expect(rows.map((c) => [c.id, c.articleId, c.parentId])).toEqual([
      [1, eight?.id, null],
      [2, eight?.id, null],
      [3, eight?.id, 1],
      [4, eight?.id, 2],
    ])

    expect((await moderator.send('POST', '/api/v1/moderation/articles/eight/move', { to: '8' })).status).toBe(200)
    expect(
      await importOk(
        t,
        admin,
        wxr({
          7: [
            [1, 0],
            [3, 1],
          ],
          8: [
            [2, 0],
            [4, 2],
          ],
        }),
      ),
    ).toMatchObject({ articles: 0, comments: 0, details: { existingArticles: 1 } })
    expect(await counts(t)).toEqual({ articles: 1, comments: 4 })
  })
})

describe('npm run move and npm run import', () => {
  const database = cliDatabase
  function run(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_SECRET: 'cli-secret-that-is-long-enough-for-hkdf-0123456789',
    }
    if (database?.url) env.DATABASE_URL = database.url
    else delete env.DATABASE_URL
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })))
  }

  it('imports a file from the command line (no progress bar off a terminal), then moves an article', async () => {
    const file = join(dataDir, 'sample.xml')
    await writeFile(file, fixture('disqus/export-sample.xml'))
    const imported = await run('src/cli/import.ts', [file])
    expect(imported.output).toBe(
      [
        'Imported 6 comments (5 approved, 0 pending, 0 spam, 1 trash; 2 replies, longest chain 2) into 4 new and 0 existing articles, from a disqus file.',
        'Skipped 0: 0 pingbacks/trackbacks, 0 of other types, 0 imported before, 0 deleted here before.',
        'Warning: thread 3: it has no identifier: imported under key 3',
        'Warning: thread 7: it has no identifier: imported under key 7',
        'Warning: thread 1337: it is not in the file, but 1 post names it: imported under key 1337',
        '',
      ].join('\n'),
    )
    expect(imported.code).toBe(0)
    const moved = await run('src/cli/move.ts', ['some-id', 'hello-world', '--url', 'https://example.org/hello-world/'])
    expect(moved.output).toBe('Renamed some-id to hello-world (3 published comments), at https://example.org/hello-world/.\n')
    const refused = await run('src/cli/move.ts', ['some-id', 'x'])
    expect(refused).toEqual({ code: 1, output: 'Not moved: There is no article with this key.\n' })
    // A mistyped name is one line and exit 2, never a stack trace.
    const missing = join(dataDir, 'missing.xml')
    expect(await run('src/cli/import.ts', [missing])).toEqual({
      code: 2,
      output: `Not imported (nothing was): cannot read ${missing}: no such file.\n`,
    })
    expect(await run('src/cli/import.ts', [dataDir])).toEqual({
      code: 2,
      output: `Not imported (nothing was): cannot read ${dataDir}: it is a directory.\n`,
    })
    // The gzipped export Disqus mails is read as it is: the same posts, known again.
    const gzipped = join(dataDir, 'sample.xml.gz')
    await writeFile(gzipped, gzipSync(fixture('disqus/export-sample.xml')))
    const again = await run('src/cli/import.ts', [gzipped])
    expect(again.output.split('\n').slice(0, 2)).toEqual([
      'Imported 0 comments (0 approved, 0 pending, 0 spam, 0 trash; 0 replies, longest chain 0) into 0 new and 4 existing articles, from a disqus file.',
      'Skipped 6: 0 pingbacks/trackbacks, 0 of other types, 6 imported before, 0 deleted here before.',
    ])
    expect(again.code).toBe(0)

    const reader = database ?? (await openPglite(`${dataDir}/pgdata`))
    try {
      const rows = await reader.db
        .select({ key: articles.key, url: articles.url, count: articles.commentCount })
        .from(articles)
        .orderBy(asc(articles.key))
      expect(rows).toEqual([
        { key: '1337', url: null, count: 1 },
        { key: '3', url: null, count: 0 },
        { key: '7', url: 'http://localhost:4000/blog/2013/02/12/redacted/index.html', count: 1 },
        { key: 'hello-world', url: 'https://example.org/hello-world/', count: 3 },
      ])
    } finally {
      if (reader !== database) await reader.close()
    }
  }, 120_000)
})
