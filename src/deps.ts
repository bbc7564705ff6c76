import type { PublisherTokens } from './identity/publisher-tokens.js'
import type { OidcLogin } from './auth/oidc-login.js'
import type { Db } from './db/database.js'
import type { Secrets } from './crypto/secrets.js'
import type { Logger } from './logger.js'
import type { SettingsStore } from './settings/settings-store.js'
import type { SpamFilter } from './spam/spam-filter.js'
import type { PasswordHasher } from './auth/password-hasher.js'
import type { AppConfig } from './config.js'
import type { MailTransport } from './mail/mail-transport.js'
import type { ResolveHost, TargetFetch } from './net/target-guard.js'
import type { importComments } from './importers/import-comments.js'
import type { ReadCache } from './read-cache/read-cache.js'

/**
 * Keeps an upload somewhere of its own until all of it has arrived (Node: a private temporary
 * file), then hands `use` its bytes; nothing of it is left once `use` ends or the upload fails.
 */
export type SpoolUpload = <T>(upload: AsyncIterable<Uint8Array>, use: (file: AsyncIterable<Uint8Array>) => Promise<T>) => Promise<T>

/** The content codings Parley answers in, where its runtime compresses (src/http/content-coding.ts). */
export type Coding = 'br' | 'gzip'

/**
 * Compresses a response body: `static` for bodies compressed once per release (the widget, the API
 * document), as small as the coding makes them; `dynamic` for thread pages and counts, compressed
 * once per change, fast.
 */
export type Compress = (body: Uint8Array, coding: Coding, effort: 'static' | 'dynamic') => Promise<Uint8Array>

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
   * Reads a WordPress, Disqus or Parley export into the database (Node: src/importers), from an
   * upload spooled first (src/runtime/spool-file.ts): the import's transaction starts only once the
   * whole file is here, so a slow or stalled client holds no database connection. The Worker has
   * none: a big export outlasts its CPU limit, and the streaming XML parser would not fit its
   * bundle; `POST /api/v1/admin/import` answers 501 there and `npm run import` does the job.
   */
  importer?: { run: typeof importComments; spool: SpoolUpload }
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
  /**
   * Compresses answers for clients that accept br or gzip (Node: node:zlib, off the event loop).
   * Absent on Workers: Cloudflare compresses at the edge what the Worker answers uncompressed.
   */
  compress?: Compress
  /**
   * How notification emails leave (Node: SMTP, src/runtime/node-mail.ts; Workers: an email API,
   * src/mail/resend-transport.ts), from config.mail. Absent: notifications are off, and the
   * dashboard says so.
   */
  mail?: MailTransport
  /** The site's readers' identity tokens (issue 19), from config.sso. Absent: every reader is a guest. */
  identity?: PublisherTokens
  /** Moderators' sign-in through the site's OpenID Connect provider (issue 19), from config.oidc. Absent: passwords only. */
  oidc?: OidcLogin
}
