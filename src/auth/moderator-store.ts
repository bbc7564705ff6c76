import { and, asc, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { moderators, sessions, type ModeratorRole } from '../db/schema.js'
import { AppError, validationError, type FieldError } from '../errors.js'
import { isEmail } from '../comments/is-email.js'
import { cleanText } from '../comments/clean-text.js'
import { PASSWORD_MAX, PASSWORD_MIN, type PasswordHasher } from './password-hasher.js'

export type ModeratorRow = typeof moderators.$inferSelect

/** What anyone but the database sees of a moderator: never the hash. */
export interface ModeratorView {
  id: number
  email: string
  name: string
  role: ModeratorRole
  disabled: boolean
}

export function toModeratorView(row: ModeratorRow): ModeratorView {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled }
}

function checkPassword(password: string, field = 'password'): FieldError | undefined {
  const length = [...password].length
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    return {
      field,
      code: length < PASSWORD_MIN ? 'too_short' : 'too_long',
      message: `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
    }
  }
  return undefined
}

/** A name of 1 to 245 characters (WordPress's column), or its fault. */
function checkName(name: string): FieldError | undefined {
  if (name && name.length <= 245) return undefined
  return { field: 'name', code: name ? 'too_long' : 'required', message: 'A name has 1 to 245 characters.' }
}

export interface NewModerator {
  email: string
  name: string
  role: ModeratorRole
  password: string
}

export async function createModerator(db: Db, passwords: PasswordHasher, input: NewModerator, now: Date): Promise<ModeratorRow> {
  const email = input.email.trim().toLowerCase()
  // Cleaned like a commenter's name: a NUL made PostgreSQL refuse the insert (a 500), and control
  // characters or lone surrogates have no place in a name shown on every page.
  const name = cleanText(input.name, { multiline: false }).trim()
  const errors: FieldError[] = []
  if (!isEmail(email) && email !== 'admin@localhost')
    errors.push({ field: 'email', code: 'invalid_email', message: 'Please enter a valid email address.' })
  const badName = checkName(name)
  if (badName) errors.push(badName)
  const weak = checkPassword(input.password)
  if (weak) errors.push(weak)
  if (errors.length > 0) throw validationError(errors)
  const passwordHash = await passwords.hash(input.password)
  const [row] = await db
    .insert(moderators)
    .values({ email, name, role: input.role, passwordHash, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning()
  if (!row) throw validationError([{ field: 'email', code: 'email_taken', message: 'A moderator with this email already exists.' }])
  return row
}

export function listModerators(db: Db): Promise<ModeratorRow[]> {
  return db.select().from(moderators).orderBy(asc(moderators.id))
}

export interface ModeratorChange {
  /** A new sign-in address (admin@localhost, the embedded first admin, can become a real one). */
  email?: string
  name?: string
  role?: ModeratorRole
  disabled?: boolean
  password?: string
}

/**
 * Changes a moderator. A new password or a disabled account ends every session of theirs; the
 * last active admin can be neither demoted nor disabled, so that someone can always administer.
 */
export async function updateModerator(
  db: Db,
  passwords: PasswordHasher,
  id: number,
  change: ModeratorChange,
  now: Date,
): Promise<{ before: ModeratorRow; after: ModeratorRow }> {
  if (change.password !== undefined) {
    const weak = checkPassword(change.password)
    if (weak) throw validationError([weak])
  }
  // Cleaned as in createModerator (a NUL in a name was a 500).
  const name = change.name === undefined ? undefined : cleanText(change.name, { multiline: false }).trim()
  const badName = name === undefined ? undefined : checkName(name)
  if (badName) throw validationError([badName])
  const email = change.email === undefined ? undefined : change.email.trim().toLowerCase()
  if (email !== undefined && !isEmail(email)) {
    throw validationError([{ field: 'email', code: 'invalid_email', message: 'Please enter a valid email address.' }])
  }
  const passwordHash = change.password === undefined ? undefined : await passwords.hash(change.password)
  const mayRemoveAdmin = change.role === 'moderator' || change.disabled === true
  return db.transaction(async (tx) => {
    // Two such changes at once would each count the other admin as still active and leave none:
    // they first lock every active admin, in id order (no deadlock), so they take turns.
    if (mayRemoveAdmin) {
      await tx
        .select({ id: moderators.id })
        .from(moderators)
        .where(and(eq(moderators.role, 'admin'), eq(moderators.disabled, false)))
        .orderBy(asc(moderators.id))
        .for('update')
    }
    const [before] = await tx.select().from(moderators).where(eq(moderators.id, id)).for('update')
    if (!before) throw new AppError('not_found', 'There is no such moderator.')
    if (email !== undefined && email !== before.email) {
      const [taken] = await tx.select({ id: moderators.id }).from(moderators).where(eq(moderators.email, email))
      if (taken) throw validationError([{ field: 'email', code: 'email_taken', message: 'A moderator with this email already exists.' }])
    }
    const losesAdmin = before.role === 'admin' && !before.disabled && (change.role === 'moderator' || change.disabled === true)
    if (losesAdmin) {
      const [others] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(moderators)
        .where(and(eq(moderators.role, 'admin'), eq(moderators.disabled, false), ne(moderators.id, id)))
      if (!others || others.count === 0) {
        throw validationError([{ field: 'role', code: 'last_admin', message: 'The last active admin cannot be demoted or disabled.' }])
      }
    }
    const [after] = await tx
      .update(moderators)
      .set({
        ...(name === undefined ? {} : { name }),
        ...(email === undefined ? {} : { email }),
        ...(change.role === undefined ? {} : { role: change.role }),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
        ...(passwordHash === undefined ? {} : { passwordHash }),
        updatedAt: now,
      })
      .where(eq(moderators.id, id))
      .returning()
    if (!after) throw new AppError('not_found', 'There is no such moderator.')
    if (passwordHash !== undefined || change.disabled === true) await tx.delete(sessions).where(eq(sessions.moderatorId, id))
    return { before, after }
  })
}

/** How many moderators exist: the embedded first start creates one when there is none. */
export async function countModerators(db: Db): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(moderators)
  return row?.count ?? 0
}
