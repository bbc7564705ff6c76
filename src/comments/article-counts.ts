import { inArray } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles } from '../db/schema.js'
import { toHex, utf8 } from '../crypto/encoding.js'

/** Approved-comment counts for the given keys (0 for unknown ones), and an ETag over their versions. */
export async function articleCounts(db: Db, keys: string[]): Promise<{ counts: Record<string, number>; etag: string }> {
  const rows = await db
    .select({ key: articles.key, count: articles.commentCount, version: articles.version })
    .from(articles)
    .where(inArray(articles.key, keys))
  const found = new Map(rows.map((row) => [row.key, row]))
  const counts: Record<string, number> = {}
  const parts: string[] = []
  for (const key of keys) {
    const row = found.get(key)
    counts[key] = row?.count ?? 0
    parts.push(`${key}:${row?.version ?? 0}`)
  }
  const digest = await crypto.subtle.digest('SHA-256', utf8.encode(parts.join('\n')))
  return { counts, etag: `"${toHex(digest).slice(0, 32)}"` }
}
