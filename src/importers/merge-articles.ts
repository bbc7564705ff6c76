import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { articleKeyPattern } from '../articles/articles.js'
import type { ProblemList } from './import-summary.js'
import { report } from './staging-queries.js'

export interface ArticleMerge {
  created: number
  updated: number
  existing: number
}

export interface Nouns {
  comment: string
  article: string
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

/**
 * A Disqus post whose thread is not in the file, or a Parley comment whose article is not, is
 * not lost: its article is made from what the comment says (the thread's id, the article's key),
 * with a warning naming it.
 */
export async function addMissingArticles(db: Db, keyPrefix: string, warnings: ProblemList, nouns: Nouns): Promise<void> {
  const key = sql`${keyPrefix} || m.ref`
  await db.execute(sql`
    insert into import_articles (seq, ref, label, key, problem, open, missing)
    select (select coalesce(max(seq), 0) from import_articles) + row_number() over (order by m.ref), m.ref, m.ref,
      case when ${key} ~ ${articleKeyPattern.source} then ${key} end,
      case when not ${key} ~ ${articleKeyPattern.source} then ${`its ${nouns.article} is not in the file, and its id is no article key`} end,
      true, true
    from (select distinct c.article_ref as ref from import_comments c where not exists (select 1 from import_articles a where a.ref = c.article_ref)) m`)
  await report<{ ref: string; key: string; n: number }>(
    db,
    sql`
    select a.seq, a.ref, a.key, (select count(*) from import_comments c where c.article_ref = a.ref)::int as n
    from import_articles a where a.missing and a.key is not null`,
    warnings,
    (row) => ({
      record: nouns.article,
      id: row.ref,
      reason: `it is not in the file, but ${plural(row.n, nouns.comment)} name${row.n === 1 ? 's' : ''} it: imported under key ${row.key}`,
    }),
  )
}

/** Two records of the file with one key (a post id twice, two threads with one identifier) make one article: said so. */
async function reportSharedKeys(db: Db, warnings: ProblemList, nouns: Nouns): Promise<void> {
  await report<{ label: string; key: string; first: string }>(
    db,
    sql`
    select s.seq, s.label, s.key, f.label as first from import_articles s
    join lateral (select f.seq, f.label from import_articles f where f.key = s.key order by f.seq limit 1) f on f.seq <> s.seq
    where s.key is not null`,
    warnings,
    (row) => ({
      record: nouns.article,
      id: row.label,
      reason:
        row.label === row.first
          ? "it appears twice in the file: the comments of both join one article, with the first one's link and title"
          : `its key ${row.key} is also that of ${nouns.article} ${row.first}: the comments of both join one article`,
    }),
  )
}

/** One row per article: the first record of the file that names it. */
const firstOfEach = sql`select distinct on (article_id) article_id, url, title from import_articles where article_id is not null order by article_id, seq`

/**
 * Finds or creates each article of the file. A key an article had before a move or merge leads to
 * that article (so a re-import follows the move), else the key itself. A known article keeps its
 * state (a moderator may have reopened it since an earlier import) and only gains a URL or title
 * it lacks, so that importing the same file again changes nothing.
 */
export async function mergeArticles(db: Db, now: Date, warnings: ProblemList, nouns: Nouns): Promise<ArticleMerge> {
  await reportSharedKeys(db, warnings, nouns)
  await db.execute(sql`
    update import_articles s set article_id = coalesce(
      (select l.article_id from article_aliases l where l.key = s.key),
      (select a.id from articles a where a.key = s.key))
    where s.key is not null`)
  const [existing] = await queryRows<{ n: number }>(db, sql`select count(distinct article_id)::int as n from import_articles`)
  const [created] = await queryRows<{ n: number }>(
    db,
    sql`
    with ins as (
      insert into articles (key, url, title, open, created_at)
      select key, url, title, open, coalesce(created_at, ${now.toISOString()}::timestamptz) from (
        select distinct on (key) key, url, title, open, created_at from import_articles where key is not null and article_id is null order by key, seq
      ) w
      on conflict (key) do nothing
      returning 1
    )
    select count(*)::int as n from ins`,
  )
  await db.execute(
    sql`update import_articles s set article_id = a.id, created = true from articles a where a.key = s.key and s.article_id is null`,
  )
  const [updated] = await queryRows<{ n: number }>(
    db,
    sql`
    with upd as (
      update articles a set url = coalesce(a.url, w.url), title = coalesce(a.title, w.title), version = a.version + 1
      from (${firstOfEach}) w
      where a.id = w.article_id and ((a.url is null and w.url is not null) or (a.title is null and w.title is not null))
      returning 1
    )
    select count(*)::int as n from upd`,
  )
  return { created: created?.n ?? 0, updated: updated?.n ?? 0, existing: existing?.n ?? 0 }
}

/** A source and site as a sentence names them: `the WordPress site blog.example`, `the Disqus forum news`. */
export function originName(source: string, site: string): string {
  const kind: Record<string, [string, string]> = {
    wordpress: ['WordPress', 'site'],
    disqus: ['Disqus', 'forum'],
    parley: ['Parley', 'instance'],
  }
  const [name, noun] = kind[source] ?? [source, 'site']
  return site ? `the ${name} ${noun} ${site}` : `a ${name} ${noun} the file does not name`
}

/**
 * Comments of another origin joining an article: the same key means the same article, whichever
 * site or source the comments come from (a publisher moving two sites into one Parley), but two
 * threads becoming one is never silent. For each article that already holds imported comments of
 * another source or site than this file's (readers' own comments here, and the file's own site,
 * are not another), a warning names the key, both origins and whether the URLs agree (two sites
 * whose post ids overlap: a key prefix keeps them apart). Read once the comments to import are
 * known (import_ids), before they are stored.
 */
export async function reportSharedArticles(db: Db, warnings: ProblemList, nouns: Nouns): Promise<void> {
  await report<{
    label: string
    key: string
    source: string
    site: string
    other_source: string
    other_site: string
    file_url: string | null
    here_url: string | null
  }>(
    db,
    sql`
    select distinct on (i.article_id) i.seq, a.label, a.key, i.source, i.source_site as site, other.source as other_source,
      other.source_site as other_site, a.url as file_url, here.url as here_url
    from import_ids i
    join articles here on here.id = i.article_id
    join lateral (select label, key, url from import_articles s where s.article_id = i.article_id order by s.seq limit 1) a on true
    join lateral (
      select c.source, c.source_site from comments c
      where c.article_id = i.article_id and c.source is not null
        and not (c.source = i.source and (c.source_site = i.source_site or c.source_site = '' or i.source_site = ''))
      limit 1
    ) other on true
    order by i.article_id, i.seq`,
    warnings,
    (row) => {
      const urls =
        row.file_url && row.here_url && row.file_url !== row.here_url
          ? `, whose URL for it is ${row.file_url}, not ${row.here_url}: joined as one article (if they are two, import with a key prefix)`
          : row.file_url && row.file_url === row.here_url
            ? ', at the same URL: joined as one article'
            : ': joined as one article (if they are two, import with a key prefix)'
      return {
        record: nouns.article,
        id: row.label,
        reason: `its article ${row.key} already holds comments from ${originName(row.other_source, row.other_site)}; these come from ${originName(row.source, row.site)}${urls}`,
      }
    },
  )
}

/**
 * An article this import creates whose URL is an article's here under another key: kept apart (the
 * key is what pages name; a guess could join two stories), and said so, with the move that joins
 * them. Read once mergeArticles has created the articles.
 */
export async function reportSameUrls(db: Db, warnings: ProblemList, nouns: Nouns): Promise<void> {
  await report<{ label: string; key: string; other: string }>(
    db,
    sql`
    select distinct on (s.article_id) s.seq, s.label, s.key, a.key as other
    from import_articles s join articles a on a.url = s.url
    where s.created and not exists (select 1 from import_articles n where n.created and n.article_id = a.id)
    order by s.article_id, s.seq, a.id`,
    warnings,
    (row) => ({
      record: nouns.article,
      id: row.label,
      reason: `its URL is also that of article ${row.other}: imported apart, under key ${row.key} (if they are one article, join them with \`npm run move -- ${row.key} ${row.other}\`)`,
    }),
  )
}
