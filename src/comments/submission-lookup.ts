import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { compiledStatement } from '../db/compiled-statement.js'
import type { Article } from '../articles/articles.js'

interface LookupValues extends Record<string, unknown> {
  key: string
  body: string
  parentId: number | null
  emailHash: string | null
  name: string
}

interface LookupRow {
  id: number
  key: string
  url: string | null
  title: string | null
  details_verified: boolean
  open: boolean
  comment_count: number
  version: number
  created_at: string | Date
  duplicate_ips: (string | null)[] | null
}

// As WordPress: same article, parent and text, from the same name or email, not in the trash. A
// missing email matches no row's (null = null is not true), so the name alone decides then.
const lookup = compiledStatement<LookupValues>(
  ($) => sql`
  select a.id, a.key, a.url, a.title, a.details_verified, a.open, a.comment_count, a.version, a.created_at,
    (select array_agg(c.ip) from comments c
     where c.article_id = a.id and md5(c.body) = md5(${$('body')}::text) and c.body = ${$('body')}::text
       and c.parent_id is not distinct from ${$('parentId')}::int and c.status <> 'trash'
       and (c.email_hash = ${$('emailHash')}::text or c.author_name = ${$('name')}::text)) as duplicate_ips
  from articles a where a.key = ${$('key')}::text`,
)

/**
 * The article a submission names and the IPs its text was already posted from (its duplicates),
 * in one round trip: undefined for an unknown article.
 */
export async function lookUpSubmission(
  db: Db,
  values: LookupValues,
): Promise<{ article: Article; duplicateIps: (string | null)[] } | undefined> {
  const [row] = await lookup<LookupRow>(db, values)
  if (!row) return undefined
  return {
    article: {
      id: row.id,
      key: row.key,
      url: row.url,
      title: row.title,
      detailsVerified: row.details_verified,
      open: row.open,
      commentCount: row.comment_count,
      version: row.version,
      createdAt: new Date(row.created_at),
    },
    duplicateIps: row.duplicate_ips ?? [],
  }
}
