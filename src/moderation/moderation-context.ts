import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ModeratorRow } from '../auth/moderator-accounts.js'

/** Who acts, when, with what. */
export interface ModerationContext {
  db: Db
  secrets: Secrets
  moderator: ModeratorRow
  now: Date
}
