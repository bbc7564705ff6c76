import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { MAX_DEPTH, SEGMENT_LENGTH, pathSegmentOfColumns } from '../comments/comment-path.js'
import type { ProblemList } from './import-summary.js'
import { analyzed, report } from './staging-queries.js'

/**
 * Where a reply to `parent` goes: under it, or, when the parent is at MAX_DEPTH (or deeper, from
 * before the cap), beside its ancestor at MAX_DEPTH - 1, so that no path grows past the index's
 * row limit. Columns of the child: parent_id, path (without its own segment), depth.
 */
function under(parent: { id: SQL; path: SQL; depth: SQL }) {
  return {
    parentId: sql`case when ${parent.depth} < ${MAX_DEPTH} then ${parent.id}
      else ('x' || substr(${parent.path}, ${(MAX_DEPTH - 1) * SEGMENT_LENGTH + 13}, 8))::bit(32)::int end`,
    path: sql`left(${parent.path}, least(${parent.depth} + 1, ${MAX_DEPTH}) * ${SEGMENT_LENGTH})`,
    depth: sql`least(${parent.depth} + 1, ${MAX_DEPTH})::int`,
    flattened: sql`${parent.depth} >= ${MAX_DEPTH}`,
  }
}

/**
 * Links each comment to import to its parent: another comment of this import on the same article
 * (`parent_seq`), else a comment here already on that article (the parent imported before, found
 * through its own record in the file or, for files whose ids are their sources', by its source
 * identity), else none. `parent_removed`: the parent was deleted here for good.
 */
async function linkParents(db: Db): Promise<void> {
  await db.execute(sql`
    create temp table import_links on commit drop as
    select i.seq, i.ref, i.article_id, i.id, i.created_at, i.parent_ref, inside.seq as parent_seq,
      coalesce(e1.id, e2.id) as e_id, coalesce(e1.root_id, e2.root_id) as e_root,
      coalesce(e1.path, e2.path) as e_path, coalesce(e1.depth, e2.depth)::int as e_depth,
      coalesce(record.removed, false) or (record.seq is null and gone.seq is not null) as parent_removed
    from import_ids i
    left join lateral (
      select p.seq from import_ids p where p.ref = i.parent_ref and p.article_id = i.article_id order by p.seq limit 1
    ) inside on i.parent_ref is not null
    left join lateral (
      select r.seq, r.existing_id, r.removed from import_rows r where r.ref = i.parent_ref and not r.duplicate order by r.seq limit 1
    ) record on i.parent_ref is not null and inside.seq is null
    left join lateral (
      select c.id, c.root_id, c.path, c.depth from comments c where c.id = record.existing_id and c.article_id = i.article_id
    ) e1 on true
    left join lateral (
      select c.id, c.root_id, c.path, c.depth from comments c
      where i.ref = i.source_id and c.source = i.source and c.source_id = i.parent_ref and c.source_site in (i.source_site, '')
        and c.article_id = i.article_id
      order by c.source_site = i.source_site desc limit 1
    ) e2 on i.parent_ref is not null and inside.seq is null and record.seq is null
    left join lateral (
      select 1 as seq from removed_sources d
      where i.ref = i.source_id and d.source = i.source and d.source_id = i.parent_ref and d.source_site in (i.source_site, '') limit 1
    ) gone on i.parent_ref is not null and inside.seq is null and record.seq is null and e2.id is null`)
  await analyzed(db, 'import_links', [sql`parent_seq`, sql`seq`])
}

/** Rows of the tree grown from `anchors` (rows of import_links, with parent columns p_id, p_root, p_path, p_depth or nulls). */
function grow(anchors: SQL, excluded: SQL): SQL {
  const segment = (alias: string) => pathSegmentOfColumns(sql.raw(`${alias}.created_at`), sql.raw(`${alias}.id`))
  const top = under({ id: sql`a.p_id`, path: sql`a.p_path`, depth: sql`a.p_depth` })
  const below = under({ id: sql`t.id`, path: sql`t.path`, depth: sql`t.depth` })
  return sql`
    with recursive tree (seq, id, parent_id, root_id, path, depth, flattened) as (
      select a.seq, a.id,
        case when a.p_id is null then null else ${top.parentId} end,
        coalesce(a.p_root, a.id),
        (case when a.p_id is null then '' else ${top.path} end || ${segment('a')})::text collate "C",
        case when a.p_id is null then 0 else ${top.depth} end,
        coalesce(${top.flattened}, false)
      from (${anchors}) a
      union all
      select l.seq, l.id, ${below.parentId}, t.root_id, (${below.path} || ${segment('l')})::text collate "C", ${below.depth}, ${below.flattened}
      from tree t join import_links l on l.parent_seq = t.seq
      where not ${excluded}
    )
    select seq, id, parent_id, root_id, path, depth, flattened from tree`
}

/**
 * Picks one comment in each loop of parents (the first in the file): it becomes a top-level
 * comment, as WordPress imports such comments, and the rest of its loop hangs below it.
 */
async function breakLoops(db: Db): Promise<number[]> {
  const rows = await queryRows<{ seq: number; parent_seq: number }>(
    db,
    sql`
    select l.seq, l.parent_seq from import_links l where not exists (select 1 from import_tree t where t.seq = l.seq)`,
  )
  const parentOf = new Map(rows.map((row) => [row.seq, row.parent_seq]))
  const state = new Map<number, 'walking' | 'done'>()
  const roots: number[] = []
  for (const start of parentOf.keys()) {
    const walked: number[] = []
    let at: number | undefined = start
    while (at !== undefined && parentOf.has(at) && !state.has(at)) {
      state.set(at, 'walking')
      walked.push(at)
      at = parentOf.get(at)
    }
    // Back on this walk: `at` is on a loop; its members are the walk from `at` on.
    if (at !== undefined && state.get(at) === 'walking') roots.push(walked.slice(walked.indexOf(at)).reduce((a, b) => Math.min(a, b)))
    for (const seq of walked) state.set(seq, 'done')
  }
  return roots
}

/**
 * Links replies to their parents and computes root, depth and path in one recursive query from
 * the top down. A chain deeper than MAX_DEPTH continues beside its deepest allowed ancestor (a
 * warning); a reply whose parent is nowhere becomes a top-level comment (a warning), and so does
 * the first comment of a loop of parents (a warning), the rest of the loop staying below it.
 */
export async function buildTree(db: Db, warnings: ProblemList, commentNoun: string): Promise<void> {
  await linkParents(db)
  const anchors = sql`select l.*, l.e_id as p_id, l.e_root as p_root, l.e_path as p_path, l.e_depth as p_depth from import_links l where l.parent_seq is null`
  await db.execute(sql`create temp table import_tree on commit drop as ${grow(anchors, sql`false`)}`)
  await db.execute(sql`create temp table import_loop_roots (seq int primary key) on commit drop`)
  const loopRoots = await breakLoops(db)
  if (loopRoots.length > 0) {
    await db.execute(sql`insert into import_loop_roots select unnest(${`{${loopRoots.join(',')}}`}::int[])`)
    const roots = sql`select l.*, null::int as p_id, null::int as p_root, null::text as p_path, null::int as p_depth
      from import_links l join import_loop_roots r on r.seq = l.seq`
    await db.execute(sql`insert into import_tree ${grow(roots, sql`exists (select 1 from import_loop_roots r where r.seq = l.seq)`)}`)
  }
  await analyzed(db, 'import_tree', [sql`seq`, sql`id`])
  const reason = sql`case
    when exists (select 1 from import_loop_roots r where r.seq = l.seq) then 'its chain of parents loops back on itself: imported as a top-level comment'
    when l.parent_removed then 'its parent was deleted here: imported as a top-level comment'
    else 'its parent is not among its article''s comments: imported as a top-level comment' end`
  await report<{ ref: string; reason: string }>(
    db,
    sql`
    select l.seq, l.ref, ${reason} as reason from import_tree t join import_links l on l.seq = t.seq
    where l.parent_ref is not null and t.parent_id is null`,
    warnings,
    (row) => ({ record: commentNoun, id: row.ref, reason: row.reason }),
  )
  await report<{ ref: string }>(
    db,
    sql`select l.seq, l.ref from import_tree t join import_links l on l.seq = t.seq where t.flattened`,
    warnings,
    (row) => ({
      record: commentNoun,
      id: row.ref,
      reason: `its chain of replies is deeper than ${MAX_DEPTH + 1} comments: imported beside its parent, at that depth`,
    }),
  )
}
