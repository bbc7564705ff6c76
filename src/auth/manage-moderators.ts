import type { Db } from '../db/database.js'
import type { PasswordHasher } from './password-hasher.js'
import { logAction } from '../audit/audit-log.js'
import { createModerator, updateModerator, type ModeratorChange, type ModeratorRow, type NewModerator } from './moderator-store.js'

/** What account changes need of the runtime (a part of `Deps`). */
type AccountServices = { db: Db; passwords: PasswordHasher; clock: () => Date }

/** An admin creates an account; the account and its log entry commit together. */
export function addModerator(deps: AccountServices, actorId: number, input: NewModerator): Promise<ModeratorRow> {
  return deps.db.transaction(async (tx) => {
    const created = await createModerator(tx, deps.passwords, input, deps.clock())
    await logAction(tx, {
      at: deps.clock(),
      moderatorId: actorId,
      action: 'moderator.create',
      to: created.role,
      detail: { moderatorId: created.id },
    })
    return created
  })
}

/** An admin changes an account (see `updateModerator`), logged from and to its role or `disabled`. */
export function changeModerator(deps: AccountServices, actorId: number, id: number, change: ModeratorChange): Promise<ModeratorRow> {
  return deps.db.transaction(async (tx) => {
    const { before, after } = await updateModerator(tx, deps.passwords, id, change, deps.clock())
    await logAction(tx, {
      at: deps.clock(),
      moderatorId: actorId,
      action: 'moderator.update',
      from: before.disabled ? 'disabled' : before.role,
      to: after.disabled ? 'disabled' : after.role,
      detail: {
        moderatorId: after.id,
        ...(change.name === undefined ? {} : { name: after.name }),
        ...(change.email === undefined ? {} : { emailChanged: true }),
        ...(change.password === undefined ? {} : { passwordChanged: true }),
      },
    })
    return after
  })
}
