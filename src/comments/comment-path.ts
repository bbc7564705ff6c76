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

/** The same segment computed by PostgreSQL, for an id drawn in the same statement. */
export function pathSegmentSql(createdAt: Date, id: SQL): SQL {
  return sql`lpad(to_hex(${createdAt.getTime()}::bigint), ${TIME_DIGITS}, '0') || lpad(to_hex(${id}), ${ID_DIGITS}, '0')`
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
