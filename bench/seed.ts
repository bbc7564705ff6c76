import { sql } from 'drizzle-orm'
import type { Db } from '../src/db/database.js'
import { queryRows } from '../src/db/database.js'
import { articles, comments } from '../src/db/schema.js'
import { pathSegment } from '../src/comments/comment-path.js'
import { renderBody } from '../src/comments/render-body.js'
import { createSecrets } from '../src/crypto/secrets.js'
import { SettingsStore } from '../src/settings/settings-store.js'
import { COMMENTER_COUNT, commenter, type PlannedArticle } from './dataset.js'

type CommentInsert = typeof comments.$inferInsert

/** Multi-row inserts of this many rows stay well under PostgreSQL's 65,535 bind parameters. */
const BATCH = 1000
export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

export interface SealedCommenter {
  name: string
  url: string | null
  emailEncrypted: string
  emailHash: string
  avatar: number
}

/** The email columns cost three crypto calls each, so they are made once per commenter, not per row. */
export async function sealCommenters(secret: string): Promise<SealedCommenter[]> {
  const secrets = await createSecrets(secret)
  return Promise.all(
    Array.from({ length: COMMENTER_COUNT }, async (_, index) => {
      const person = commenter(index)
      const [emailEncrypted, emailHash, avatar] = await Promise.all([
        secrets.encryptEmail(person.email),
        secrets.emailHash(person.email),
        secrets.avatar(person.email),
      ])
      return { name: person.name, url: person.url, emailEncrypted, emailHash, avatar }
    }),
  )
}

/** Ids come from the table's own sequence, as submitComment takes them, so later submissions follow on. */
async function reserveIds(db: Db, count: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select nextval(pg_get_serial_sequence('comments', 'id'))::int as id from generate_series(1, ${count})`,
  )
  return rows.map((row) => row.id).sort((a, b) => a - b)
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let at = 0; at < rows.length; at += BATCH) await insert(rows.slice(at, at + BATCH))
}

export interface SeedSummary {
  articles: number
  comments: number
  ms: number
}

/**
 * Writes the plan as the app would have: approved and shown, path from (created_at, id) segments,
 * root and depth from the parent, HTML rendered once, the commenter's email sealed with the
 * server's secret, and each article's count and version in step with its approved comments.
 */
export async function seed(db: Db, plan: PlannedArticle[], secret: string, start: Date): Promise<SeedSummary> {
  const started = performance.now()
  const people = await sealCommenters(secret)
  const articleRows = await db
    .insert(articles)
    .values(
      plan.map((article) => ({
        key: article.key,
        url: article.url,
        title: article.title,
        commentCount: article.comments.length,
        version: 1 + article.comments.length,
        createdAt: new Date(start.getTime() - 86_400_000),
      })),
    )
    .returning({ id: articles.id, key: articles.key })
  const articleIds = new Map(articleRows.map((row) => [row.key, row.id]))

  const total = plan.reduce((sum, article) => sum + article.comments.length, 0)
  const ids = await reserveIds(db, total)
  const rows: CommentInsert[] = []
  // One second apart, in plan order: distinct, increasing, parents before their replies.
  let clock = start.getTime()
  for (const article of plan) {
    const articleId = articleIds.get(article.key)
    if (articleId === undefined) throw new Error(`article ${article.key} was not stored`)
    const stored: CommentInsert[] = []
    for (const planned of article.comments) {
      const id = ids[rows.length]
      const person = people[planned.author]
      if (id === undefined || !person) throw new Error('seed plan and reserved ids disagree')
      const createdAt = new Date(clock)
      clock += 1000
      const parent = planned.parent === null ? undefined : stored[planned.parent]
      const row: CommentInsert = {
        id,
        articleId,
        parentId: parent?.id ?? null,
        rootId: parent?.rootId ?? id,
        path: (parent?.path ?? '') + pathSegment(createdAt, id),
        depth: planned.depth,
        status: 'approved',
        shown: true,
        authorName: person.name,
        authorUrl: person.url,
        emailEncrypted: person.emailEncrypted,
        emailHash: person.emailHash,
        avatar: person.avatar,
        ip: '192.0.2.10',
        userAgent: USER_AGENT,
        body: planned.body,
        html: renderBody(planned.body),
        createdAt,
        statusChangedAt: createdAt,
        ipCollectedAt: createdAt,
      }
      stored.push(row)
      rows.push(row)
    }
  }
  await insertInBatches(rows, (batch) => db.insert(comments).values(batch))
  return { articles: articleRows.length, comments: rows.length, ms: Math.round(performance.now() - started) }
}

/**
 * Submissions are measured through the real pipeline, flood control on at its default (every
 * bench post comes from a new commenter on an address of its own, workloads.ts) and first comments
 * not held, as Remark42 and Isso publish them: the settings an admin would choose, stored before
 * the server starts (it caches settings for a second, so it reads them fresh at its first request).
 */
export async function configureForSubmissions(db: Db): Promise<void> {
  await new SettingsStore().update(db, { previouslyApproved: false }, new Date())
}

/**
 * The fault benches (outage, shutdown) post from one address as fast as the server answers, to
 * see what each request gets: flood control off for them, or nearly every post would be a 429.
 */
export async function configureForOneAddress(db: Db): Promise<void> {
  await new SettingsStore().update(db, { floodSeconds: 0, previouslyApproved: false }, new Date())
}
