import { MAX_ID } from '../db/max-id.js'
import { commentNotFound } from '../errors.js'

/** A row id from a path or cursor: a positive integer a table can hold, or undefined. */
export function toId(text: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(text)) return undefined
  const id = Number(text)
  return id <= MAX_ID ? id : undefined
}

/** A comment id from a path; anything that cannot be one is simply not found. */
export function parseCommentId(text: string): number {
  const id = toId(text)
  if (id === undefined) throw commentNotFound()
  return id
}
