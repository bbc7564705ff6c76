/**
 * A comment's path is its ancestors' segments and its own. A segment is the creation time and the
 * id, fixed-width base 36, so that sorting paths as bytes lists a thread depth first, oldest first,
 * even for imported comments whose ids do not follow their dates.
 */
export const SEGMENT_LENGTH = 17

export function pathSegment(createdAt: Date, id: number): string {
  return createdAt.getTime().toString(36).padStart(9, '0') + id.toString(36).padStart(8, '0')
}

/** The ids of every comment on the path, from the top-level comment down to the comment itself. */
export function pathIds(path: string): number[] {
  const ids: number[] = []
  for (let at = 0; at + SEGMENT_LENGTH <= path.length; at += SEGMENT_LENGTH) {
    ids.push(parseInt(path.slice(at + 9, at + SEGMENT_LENGTH), 36))
  }
  return ids
}
