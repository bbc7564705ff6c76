import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { pathSegmentOfColumns } from '../comments/comment-path.js'
import { LISTED_PROBLEMS, type ProblemList } from './import-summary.js'

// Every step builds a narrow temporary table from the last (CREATE TABLE AS): the wide staged
// rows (bodies, HTML) are read once more, by the final insert, and never rewritten by UPDATEs.

const sequence = sql`pg_get_serial_sequence('comments', 'id')`

/** Records a problem for each row of `query` (columns `ref`, `detail`): at most LISTED_PROBLEMS listed, all counted. */
async function report(db: Db, query: SQL, list: ProblemList, describe: (row: { ref: string; detail: string | null }) => { record: string; id: string; reason: string }): Promise<number> {
  const rows = await queryRows<{ ref: string; detail: string | null; total: number }>(db, sql`
    select ref, detail, (count(*) over ())::int as total from (${query}) q order by seq limit ${LISTED_PROBLEMS}`)
  for (const row of rows) list.add(describe(row))
  const total = rows[0]?.total ?? 0
  list.count += total - rows.length
  return total
}

async function analyzed(db: Db, table: string, indexes: SQL[]): Promise<void> {
  for (const columns of indexes) await db.execute(sql`create index on ${sql.identifier(table)} (${columns})`)
  // Temporary tables are never analyzed by autovacuum: without statistics the plans below go wrong.
  await db.execute(sql`analyze ${sql.identifier(table)}`)
}

/**
 * Sorts the staged comments: those whose article is not in the file and second copies of one
 * comment are errors, those imported before are skipped (counted), the rest go on. Returns how
 * many were imported before.
 */
export async function classifyComments(db: Db, errors: ProblemList, nouns: { comment: string; article: string }): Promise<number> {
  await db.execute(sql`
    create temp table import_rows on commit drop as
    select s.seq, s.ref, s.source, s.parent_ref, s.preferred_id, s.created_at, s.status, s.article_ref, a.article_id,
      (row_number() over (partition by s.ref order by s.seq) > 1 or row_number() over (partition by s.source, s.source_id order by s.seq) > 1) as duplicate,
      exists (select 1 from comments c where c.source = s.source and c.source_id = s.source_id) as imported_before
    from import_comments s left join import_articles a on a.ref = s.article_ref`)
  await report(db, sql`select seq, ref, article_ref as detail from import_rows where article_id is null`, errors,
    (row) => ({ record: nouns.comment, id: row.ref, reason: `its ${nouns.article} ${row.detail ?? ''} is not in the file` }))
  await report(db, sql`select seq, ref, null as detail from import_rows where article_id is not null and duplicate`, errors,
    (row) => ({ record: nouns.comment, id: row.ref, reason: 'it appears twice in the file: the first is imported' }))
  const [before] = await queryRows<{ n: number }>(db, sql`
    select count(*)::int as n from import_rows where article_id is not null and not duplicate and imported_before`)
  return before?.n ?? 0
}

/**
 * Gives every comment to import its id: the one it had (WordPress's, Parley's) where that id is
 * free, else a new one from the sequence, in date order. The sequence first moves past every
 * id kept, so that no comment submitted meanwhile can draw one of them.
 */
export async function assignIds(db: Db): Promise<void> {
  const usable = sql`article_id is not null and not duplicate and not imported_before`
  await db.execute(sql`
    select setval(${sequence}, m) from (select max(preferred_id) as m from import_rows where ${usable}) x
    where m > coalesce(pg_sequence_last_value(${sequence}::regclass), 0)`)
  await db.execute(sql`
    create temp table import_ids on commit drop as
    select seq, ref, source, parent_ref, created_at, status, article_id,
      case when keep then preferred_id else nextval(${sequence})::int end as id
    from (
      select r.*, (preferred_id is not null and row_number() over (partition by preferred_id order by seq) = 1
        and not exists (select 1 from comments c where c.id = r.preferred_id)) as keep
      from import_rows r where ${usable}
    ) x
    order by created_at, seq`)
  await analyzed(db, 'import_ids', [sql`ref, article_id`, sql`seq`])
}

/**
 * Links replies to their parents (in the file, else among comments imported before from the
 * same source; always on the same article) and computes root, depth and path in one recursive
 * query from the top down. However deep a chain, it is kept as it was: the thread display clamps
 * depth, the data does not. A reply whose parent is nowhere becomes a top-level comment (a
 * warning); replies that never reach a top (a loop of parents) are errors.
 */
export async function buildTree(db: Db, problems: { errors: ProblemList; warnings: ProblemList }, commentNoun: string): Promise<void> {
  const segment = pathSegmentOfColumns(sql`i.created_at`, sql`i.id`)
  const inFile = sql`exists (select 1 from import_ids p where p.ref = i.parent_ref and p.article_id = i.article_id)`
  await db.execute(sql`
    create temp table import_tree on commit drop as
    with recursive tree (seq, ref, article_id, id, parent_id, root_id, path, depth) as (
      select i.seq, i.ref, i.article_id, i.id, c.id, coalesce(c.root_id, i.id),
        (coalesce(c.path, '') || ${segment})::text collate "C", coalesce(c.depth + 1, 0)::int
      from import_ids i
      left join comments c on i.parent_ref is not null and c.source = i.source and c.source_id = i.parent_ref and c.article_id = i.article_id
      where i.parent_ref is null or c.id is not null or not ${inFile}
      union all
      select i.seq, i.ref, i.article_id, i.id, t.id, t.root_id, (t.path || ${segment})::text collate "C", t.depth + 1
      from tree t join import_ids i on i.parent_ref = t.ref and i.article_id = t.article_id
    )
    select seq, id, parent_id, root_id, path, depth from tree`)
  await analyzed(db, 'import_tree', [sql`seq`, sql`id`])
  await report(db, sql`
    select i.seq, i.ref, null as detail from import_tree t join import_ids i on i.seq = t.seq
    where i.parent_ref is not null and t.parent_id is null`, problems.warnings,
  (row) => ({ record: commentNoun, id: row.ref, reason: 'its parent is not among its article\'s comments: imported as a top-level comment' }))
  await report(db, sql`select i.seq, i.ref, null as detail from import_ids i where not exists (select 1 from import_tree t where t.seq = i.seq)`, problems.errors,
    (row) => ({ record: commentNoun, id: row.ref, reason: 'its chain of parents loops back on itself' }))
}
