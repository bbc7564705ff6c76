import { randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { PasswordHasher } from '../auth/password-hasher.js'
import { countModerators, createModerator } from '../auth/moderator-store.js'

/**
 * The embedded database's first start: with no moderator yet, creates admin@localhost with a
 * random password, printed once (it is stored only as its argon2id hash).
 */
export async function ensureFirstAdmin(db: Db, passwords: PasswordHasher, now: Date): Promise<void> {
  if ((await countModerators(db)) > 0) return
  const password = randomBytes(18).toString('base64url')
  await createModerator(db, passwords, { email: 'admin@localhost', name: 'Admin', role: 'admin', password }, now)
  console.log(
    `\nFirst start: created the admin account.\n  email:    admin@localhost\n  password: ${password}\n  (shown once; change it with PATCH /api/v1/admin/moderators/{id})\n`,
  )
}
