import { sql, type SQL } from 'drizzle-orm'

/**
 * A comment's path is its ancestors' segments and its own. A segment is the creation time (ms)
 * and the id, fixed-width hex, so that sorting paths as bytes lists a thread depth first, oldest
 * first, even for imported comments whose ids do not follow their dates.
 */
export const SEGMENT_LENGTH = 20
const TIME_DIGITS = 12
const ID_DIGITS = 8

export function pathSegment(createdAt: Date, id: number): string {
  return createdAt.getTime().toString(16).padStart(TIME_DIGITS, '0') + id.toString(16).padStart(ID_DIGITS, '0')
}

/** The same segment computed by PostgreSQL from the time in ms, for an id drawn in the same statement. */
export function pathSegmentOfMs(createdMs: SQL, id: SQL): SQL {
  return sql`lpad(to_hex(${createdMs}::bigint), ${sql.raw(String(TIME_DIGITS))}, '0') || lpad(to_hex(${id}), ${sql.raw(String(ID_DIGITS))}, '0')`
}

/**
 * The same segment from a row's own columns, for set-based writes (imports). Times before 1970
 * count as 1970: a segment's time is unsigned.
 */
export function pathSegmentOfColumns(createdAt: SQL, id: SQL): SQL {
  return sql`lpad(to_hex(greatest(0, floor(extract(epoch from ${createdAt}) * 1000))::bigint), ${TIME_DIGITS}, '0') || lpad(to_hex(${id}), ${ID_DIGITS}, '0')`
}

/** The ids of every comment on the path, from the top-level comment down to the comment itself. */
export function pathIds(path: string): number[] {
  const ids: number[] = []
  for (let at = 0; at + SEGMENT_LENGTH <= path.length; at += SEGMENT_LENGTH) {
    ids.push(parseInt(path.slice(at + TIME_DIGITS, at + SEGMENT_LENGTH), 16))
  }
  return ids
}

/**
 * The deepest a comment is stored (depth counts from 0: a chain keeps 100 comments). Far past
 * WordPress's deepest display (10 levels), and well under what the (root_id, path) index can
 * hold: each level adds a 20-byte segment, and past ~364 levels PostgreSQL refuses the row.
 */
export const MAX_DEPTH = 99

/** The parent columns a new comment needs. */
export interface ParentPlace {
  id: number
  rootId: number
  path: string
  depth: number
}

/**
 * Where a reply to `parent` is attached: the parent itself, or for a parent at MAX_DEPTH (or
 * deeper, from before the cap), its ancestor at MAX_DEPTH - 1, so that the reply sits beside
 * it at the deepest depth kept.
 */
export function attachableParent(parent: ParentPlace): ParentPlace {
  if (parent.depth < MAX_DEPTH) return parent
  const path = parent.path.slice(0, MAX_DEPTH * SEGMENT_LENGTH)
  return { id: pathIds(path).at(-1) ?? parent.id, rootId: parent.rootId, path, depth: MAX_DEPTH - 1 }
}
