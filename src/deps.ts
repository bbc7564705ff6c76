import type { Db } from './db/database.js'
import type { Secrets } from './crypto/secrets.js'
import type { Logger } from './logger.js'
import type { SettingsStore } from './settings/settings-store.js'
import type { SpamFilter } from './spam/spam-filter.js'
import type { PasswordHasher } from './auth/password-hasher.js'
import type { SessionLimits } from './auth/sessions.js'
import type { ResolveHost, TargetFetch } from './net/target-guard.js'
import type { importComments } from './importers/import-comments.js'
import type { ReadCache } from './read-cache/read-cache.js'

export type TrustedProxyHeader = 'x-forwarded-for' | 'cf-connecting-ip'

export interface AppConfig {
  /** PARLEY_PUBLIC_URL: Parley's own origin when set; otherwise the request's scheme and Host. */
  publicUrl: string | null
  /**
   * The port this Node process listens on (PORT, as bound). Without PARLEY_PUBLIC_URL, a request to
   * http://localhost (127.0.0.1, [::1]) on this port is taken to reach Parley itself, whose origin
   * then vouches for article URLs (the zero-configuration demo); any other loopback port is some
   * other program's. Absent (Workers, tests): no loopback origin vouches for anything.
   */
  listenPort?: number
  /** TRUST_PROXY: the one header that carries the client's IP; any other is ignored. */
  trustProxy: TrustedProxyHeader | null
  /** `max-age` of cacheable public reads, in seconds. */
  cacheMaxAge: number
  /** DB_TIMEOUT_MS: a request that waits longer than this for the database gets 503. */
  dbTimeoutMs: number
  /** SESSION_IDLE_MINUTES and SESSION_MAX_HOURS. */
  sessions: SessionLimits
  /** AKISMET_KEY, AKISMET_BLOG, AKISMET_URL: Akismet runs when key and blog are set. */
  akismet: { key: string; blog: string; url: string } | null
  /**
   * TURNSTILE_SECRET, TURNSTILE_URL: Turnstile runs when the secret is set. TURNSTILE_SITE_KEY
   * (public) lets the widget and /demo/plain render the challenge; TURNSTILE_SCRIPT_URL is where
   * its api.js is loaded from (Cloudflare's by default).
   */
  turnstile: { secret: string; url: string; siteKey?: string | null; scriptUrl?: string } | null
  /** PARLEY_ALLOW_PRIVATE_TARGETS=1: webhooks and the filter may reach loopback and private addresses. */
  allowPrivateTargets: boolean
  /** WEBHOOK_TIMEOUT_MS: how long one webhook delivery may take before it counts as failed (default 10 000). */
  webhookTimeoutMs?: number
  /** PARLEY_IMPORT_MAX_MB, in bytes: the largest export `POST /api/v1/admin/import` accepts (default 256 MiB). */
  importMaxBytes?: number
}

/** Everything the app needs from its runtime, handed in by each entry (Node, Workers, tests). */
export interface Deps {
  db: Db
  secrets: Secrets
  settings: SettingsStore
  /** Site filters, run after WordPress's built-in rules. */
  spamFilters: SpamFilter[]
  passwords: PasswordHasher
  clock: () => Date
  logger: Logger
  config: AppConfig
  /**
   * Resolves a host name for the webhook target guard (Node: node:dns). Where it is absent
   * (Workers, which cannot reach private addresses anyway) only literal addresses are checked.
   */
  resolveHost?: ResolveHost
  /** How webhooks and the filter service are called (Node: addresses checked at connect time); plain fetch where absent. */
  targetFetch?: TargetFetch
  /**
   * Reads a WordPress, Disqus or Parley export into the database (Node: src/importers). The Worker
   * has none: a big export outlasts its CPU limit, and the streaming XML parser would not fit its
   * bundle; `POST /api/v1/admin/import` answers 501 there and `npm run import` does the job.
   */
  importer?: typeof importComments
  /**
   * Rendered thread pages and counts kept in memory, dropped by the database's change
   * notifications (Node: src/read-cache, READ_CACHE_MB). Absent on Workers, which have the edge
   * cache instead, and where READ_CACHE_MB=0.
   */
  readCache?: ReadCache
  /**
   * Resolves when this request may start (Node on PGlite: one start per event-loop turn, so that
   * new connections are accepted while busy readers keep the single database engine going; see
   * src/runtime/turn-gate.ts). Absent elsewhere: requests start at once.
   */
  startGate?: () => Promise<void>
}
