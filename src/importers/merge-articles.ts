import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'

export interface ArticleMerge {
  created: number
  updated: number
  existing: number
}

/** One row per key (two threads may share an identifier: their comments join one article). */
const wanted = sql`select distinct on (key) key, url, title, open, created_at from import_articles order by key, ref`

/**
 * Creates the file's articles that Parley does not know. A known article keeps its state (a
 * moderator may have reopened it since an earlier import) and only gains a URL or title it
 * lacks, so that importing the same file again changes nothing.
 */
export async function mergeArticles(db: Db, now: Date): Promise<ArticleMerge> {
  const [created] = await queryRows<{ n: number }>(db, sql`
    with ins as (
      insert into articles (key, url, title, open, created_at)
      select key, url, title, open, coalesce(created_at, ${now.toISOString()}::timestamptz) from (${wanted}) w
      on conflict (key) do nothing
      returning 1
    )
    select count(*)::int as n from ins`)
  const [updated] = await queryRows<{ n: number }>(db, sql`
    with upd as (
      update articles a set url = coalesce(a.url, w.url), title = coalesce(a.title, w.title), version = a.version + 1
      from (${wanted}) w
      where a.key = w.key and ((a.url is null and w.url is not null) or (a.title is null and w.title is not null))
      returning 1
    )
    select count(*)::int as n from upd`)
  await db.execute(sql`update import_articles s set article_id = a.id from articles a where a.key = s.key`)
  const [keys] = await queryRows<{ n: number }>(db, sql`select count(distinct key)::int as n from import_articles`)
  const createdCount = created?.n ?? 0
  return { created: createdCount, updated: updated?.n ?? 0, existing: (keys?.n ?? 0) - createdCount }
}
