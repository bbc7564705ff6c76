import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, moderators } from '../db/schema.js'
import { commenterNotes } from '../db/desk-schema.js'
import { AppError, commentNotFound, validationError } from '../errors.js'
import { cleanText } from '../comments/clean-text.js'
import { logAction } from '../audit/audit-log.js'
import type { ModerationContext } from './moderation-context.js'

/** The longest note, in characters: a few sentences for the next moderator, not a file. */
export const NOTE_MAX = 2000

export interface CommenterNote {
  id: number
  body: string
  createdAt: string
  /** Who wrote it; null once their account is gone. */
  by: { id: number; name: string } | null
}

/** Whom a note is about: the same key the commenter view finds their comments by (account, else email). */
export interface NoteKey {
  kind: 'account' | 'email'
  matchKey: string
}

export function noteKeyOf(row: { subjectHash: string | null; emailHash: string | null }): NoteKey | null {
  if (row.subjectHash !== null) return { kind: 'account', matchKey: row.subjectHash }
  if (row.emailHash !== null) return { kind: 'email', matchKey: row.emailHash }
  return null
}

/** Notes on one commenter, oldest first (a conversation between moderators). */
export async function listNotes(db: Db, key: NoteKey): Promise<CommenterNote[]> {
  const rows = await db
    .select({
      id: commenterNotes.id,
      body: commenterNotes.body,
      createdAt: commenterNotes.createdAt,
      byId: moderators.id,
      byName: moderators.name,
    })
    .from(commenterNotes)
    .leftJoin(moderators, eq(moderators.id, commenterNotes.createdBy))
    .where(and(eq(commenterNotes.kind, key.kind), eq(commenterNotes.matchKey, key.matchKey)))
    .orderBy(asc(commenterNotes.createdAt), asc(commenterNotes.id))
  return rows.map((row) => ({
    id: row.id,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    by: row.byId === null || row.byName === null ? null : { id: row.byId, name: row.byName },
  }))
}

/**
 * A moderator's private note on the commenter of a comment (readers never see it). Audit-logged
 * with the comment it was written from, never its text (the log outlives an erasure).
 */
export async function addNote(ctx: ModerationContext, commentId: number, text: string): Promise<CommenterNote> {
  const body = cleanText(text, { multiline: true }).trim()
  if (body === '') throw validationError([{ field: 'body', code: 'required', message: 'Write the note.' }])
  if (body.length > NOTE_MAX) {
    throw validationError([{ field: 'body', code: 'too_long', message: `A note is at most ${NOTE_MAX} characters.` }])
  }
  const [self] = await ctx.db
    .select({ subjectHash: comments.subjectHash, emailHash: comments.emailHash })
    .from(comments)
    .where(eq(comments.id, commentId))
  if (!self) throw commentNotFound()
  const key = noteKeyOf(self)
  if (!key) throw new AppError('validation_failed', 'This comment has no email or account to keep a note on.')
  return ctx.db.transaction(async (tx) => {
    const [note] = await tx
      .insert(commenterNotes)
      .values({ ...key, body, createdBy: ctx.moderator.id, createdAt: ctx.now })
      .returning({ id: commenterNotes.id })
    if (!note) throw new Error('the note was not stored')
    await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'note.add', commentId, detail: { note: note.id } })
    return { id: note.id, body, createdAt: ctx.now.toISOString(), by: { id: ctx.moderator.id, name: ctx.moderator.name } }
  })
}

/** Removes a note (any moderator may: notes are the desk's, not one person's); logged. */
export async function removeNote(ctx: ModerationContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(commenterNotes).where(eq(commenterNotes.id, id)).returning({ id: commenterNotes.id })
    if (!gone) throw new AppError('not_found', 'No such note.')
    await logAction(tx, { at: ctx.now, moderatorId: ctx.moderator.id, action: 'note.remove', detail: { note: id } })
  })
}

/** The notes on a person, by their email's and account's hashes (privacy export and erase). */
export function notesOf(emailHash: string | null, subjectHash: string | null): SQL {
  return (
    or(
      emailHash ? and(eq(commenterNotes.kind, 'email'), eq(commenterNotes.matchKey, emailHash)) : undefined,
      subjectHash ? and(eq(commenterNotes.kind, 'account'), eq(commenterNotes.matchKey, subjectHash)) : undefined,
    ) ?? sql`false`
  )
}
