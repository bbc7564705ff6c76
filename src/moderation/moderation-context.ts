import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ModeratorRow } from '../auth/moderator-store.js'

/** Who acts, when, with what. */
export interface ModerationContext {
  db: Db
  secrets: Secrets
  moderator: ModeratorRow
  now: Date
  /** Akismet is configured: spam and not-spam decisions are fed back to it. */
  akismet: boolean
  /** Outgoing mail is configured: an approval queues the emails it causes (readers following the thread, the author). */
  notifications?: boolean
}
