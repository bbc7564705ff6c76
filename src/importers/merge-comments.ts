import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import type { Origin } from './import-records.js'
import type { ProblemList } from './import-summary.js'
import type { Nouns } from './merge-articles.js'
import { existingCommentId, removedBefore } from './match-existing.js'
import { analyzed, report } from './staging-queries.js'

// Every step builds a narrow temporary table from the last (CREATE TABLE AS): the wide staged
// rows (bodies, HTML) are read once more, by the final insert, and never rewritten by UPDATEs.

const sequence = sql`pg_get_serial_sequence('comments', 'id')`

export interface Classified {
  /** Comments of the file already here (imported before, or written here and exported). */
  alreadyImported: number
  /** Comments of the file that were here once and were deleted for good. */
  removedBefore: number
}

const identity = { source: sql`x.source`, site: sql`x.site`, sourceId: sql`s.source_id`, createdAt: sql`s.created_at` }

/**
 * Sorts the staged comments: those whose article has no usable key, and second copies of one
 * comment, are errors; those here already (by their source identity, see match-existing.ts) or
 * deleted here for good are skipped (counted); the rest go on.
 */
export async function classifyComments(
  db: Db,
  problems: { errors: ProblemList; warnings: ProblemList },
  nouns: Nouns,
  origin: Origin,
  instanceId: string,
): Promise<Classified> {
  await db.execute(sql`
    create temp table import_rows on commit drop as
    select s.seq, s.ref, x.source, x.site as source_site, s.source_id, s.parent_ref, s.preferred_id, s.created_at, s.undated,
      s.status, s.article_ref, a.article_id, a.problem,
      (row_number() over (partition by s.ref order by s.seq) > 1
        or row_number() over (partition by x.source, s.source_id, x.site order by s.seq) > 1) as duplicate,
      ${existingCommentId(identity, instanceId)} as existing_id,
      ${removedBefore(identity)} as removed
    from import_comments s
    left join lateral (select a.article_id, a.problem, a.source_site from import_articles a where a.ref = s.article_ref order by a.seq limit 1) a on true
    cross join lateral (select coalesce(s.source, ${origin.source}) as source, coalesce(s.source_site, a.source_site, ${origin.site}) as site) x`)
  // By seq too: reportCommentWarnings joins the staged comments on it. With (ref, seq) alone,
  // PostgreSQL probed that index by its second column, the whole index per comment: 100,000
  // comments took 137 s to import instead of 13.
  await analyzed(db, 'import_rows', [sql`ref, seq`, sql`seq`])
  await report<{ ref: string; problem: string | null; article_ref: string }>(
    db,
    sql`select seq, ref, problem, article_ref from import_rows where article_id is null`,
    problems.errors,
    (row) => ({ record: nouns.comment, id: row.ref, reason: row.problem ?? `its ${nouns.article} ${row.article_ref} is not in the file` }),
  )
  await report<{ ref: string }>(
    db,
    sql`select seq, ref from import_rows where article_id is not null and duplicate`,
    problems.errors,
    (row) => ({ record: nouns.comment, id: row.ref, reason: 'it appears twice in the file: the first is imported' }),
  )
  // The same source, site and id with another date: one comment whose date was changed, or two
  // installations of one site (both numbered from 1). Taken for the one here, and said so.
  await report<{ ref: string; there: string }>(
    db,
    sql`
    select r.seq, r.ref, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as there
    from import_rows r join comments c on c.id = r.existing_id
    where r.article_id is not null and not r.duplicate and not r.undated and c.source = r.source
      and date_trunc('second', c.created_at) <> date_trunc('second', r.created_at)`,
    problems.warnings,
    (row) => ({
      record: nouns.comment,
      id: row.ref,
      reason: `a comment with its source and id was imported before, dated ${row.there} UTC: taken for it, not imported (if this file is another site's, import it naming its site)`,
    }),
  )
  const [counts] = await queryRows<Classified>(
    db,
    sql`
    select (count(*) filter (where existing_id is not null))::int as "alreadyImported",
      (count(*) filter (where existing_id is null and removed))::int as "removedBefore"
    from import_rows where article_id is not null and not duplicate`,
  )
  return counts ?? { alreadyImported: 0, removedBefore: 0 }
}

/**
 * The warnings the readers and staging kept with each comment, said for the comments that are
 * imported: one skipped as here already (or deleted here, or an error) was reported when it was
 * imported, so a re-import of the same file does not repeat them. Read after classifyComments.
 */
export async function reportCommentWarnings(db: Db, warnings: ProblemList, nouns: Nouns): Promise<void> {
  await report<{ ref: string; reason: string }>(
    db,
    sql`
    select r.seq, w.n, r.ref, w.reason from import_rows r
    join import_comments s on s.seq = r.seq
    cross join lateral jsonb_array_elements_text(s.warnings) with ordinality w (reason, n)
    where r.article_id is not null and not r.duplicate and r.existing_id is null and not r.removed`,
    warnings,
    (row) => ({ record: nouns.comment, id: row.ref, reason: row.reason }),
    sql`seq, n`,
  )
}

/**
 * Gives every comment to import its id: the one it had (WordPress's, Parley's) where that id is
 * free, else a new one from the sequence, in date order. The sequence first moves past every
 * id kept, so that no comment submitted meanwhile can draw one of them.
 */
export async function assignIds(db: Db): Promise<void> {
  const usable = sql`article_id is not null and not duplicate and existing_id is null and not removed`
  await db.execute(sql`
    select setval(${sequence}, m) from (select max(preferred_id) as m from import_rows where ${usable}) x
    where m > coalesce(pg_sequence_last_value(${sequence}::regclass), 0)`)
  await db.execute(sql`
    create temp table import_ids on commit drop as
    select seq, ref, source, source_site, source_id, parent_ref, created_at, status, article_id,
      case when keep then preferred_id else nextval(${sequence})::int end as id
    from (
      select r.*, (preferred_id is not null and row_number() over (partition by preferred_id order by seq) = 1
        and not exists (select 1 from comments c where c.id = r.preferred_id)) as keep
      from import_rows r where ${usable}
    ) x
    order by created_at, seq`)
  await analyzed(db, 'import_ids', [sql`ref, article_id`, sql`seq`])
}
