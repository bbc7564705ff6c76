import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { Settings } from '../settings/settings-schema.js'
import type { SpamFilter } from '../spam/spam-filter.js'
import type { Integrations } from '../spam/integrations.js'
import type { PublisherTokens } from '../identity/publisher-tokens.js'

/** What comment rules need of a request: the database, keys, settings, the time and who asks. */
export interface CommentContext {
  db: Db
  secrets: Secrets
  settings: Settings
  spamFilters: SpamFilter[]
  now: Date
  ip: string | null
  userAgent: string | null
  referrer: string | null
  /** The request's `Origin` header, if any. */
  origin: string | null
  /** The configured allowed origins plus Parley's own. */
  allowedOrigins: string[]
  /** Where a new article's URL may point: the allowed origins, and Parley's own only where it is known (PARLEY_PUBLIC_URL, or loopback at the port Parley listens on). */
  articleOrigins: string[]
  /**
   * Called inside a write's transaction just before COMMIT, where the request has a deadline: it
   * throws once the deadline has answered 503 (the transaction then rolls back, so nothing is
   * stored that the client was told failed); after it returns, the request answers the commit's
   * outcome, however late.
   */
  beforeCommit?: () => void
  /**
   * A marker for the read cache to hear once this write commits, notified by the write's own
   * statement on channel READ_CACHE_CHANNEL (undefined: none is needed). Spares a round trip after
   * the commit; asked for only by a write that will send it.
   */
  readCacheMarker?: () => string | undefined
  /** Outgoing mail is configured: new comments queue their notification job (notify-outbox.ts). */
  notifications?: boolean
  /** The outside services configured for this deployment and site. */
  integrations: Integrations
  /** Verifies the site's identity tokens for signed-in readers (PARLEY_SSO_*); absent: every reader is a guest. */
  identity?: PublisherTokens
}
