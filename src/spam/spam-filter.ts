import type { Db } from '../db/database.js'
import type { CheckResult, CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { Settings } from '../settings/settings-schema.js'

export type Verdict = CheckResult['verdict']

/** What a filter sees of a submission. The email is there for filters that need it; never log it. */
export interface SpamCandidate {
  articleKey: string
  articleUrl: string | null
  parentId: number | null
  name: string
  email: string | null
  url: string | null
  body: string
  html: string
  ip: string | null
  userAgent: string | null
  referrer: string | null
  honeypot: string
  /** The Cloudflare Turnstile token the widget or form sent, if any. */
  turnstileToken: string | null
  /** When the comment was written. */
  createdAt: Date
  /** True when the author edits an existing comment. */
  isEdit: boolean
  /** The comment's own id when it is already stored (an edit, a re-check): it is not its own precedent. */
  commentId?: number
  /**
   * One of the commenter's earlier comments, by its id and the token that came with it, which the
   * widget keeps once that comment is approved: it shows this device posted it. A credential: never
   * log it or pass it on.
   */
  proof?: { commentId: number; token: string }
  /** A reader signed in with the site: their account's look-up hash (Secrets.subjectHash). The site vouches for who they are. */
  subjectHash?: string | null
}

export interface SpamContext {
  db: Db
  settings: Settings
  secrets: Secrets
  now: Date
}

/**
 * A spam filter: site code registers its own through `Deps.spamFilters`. It answers a verdict and
 * a reason shown to moderators; the most severe verdict of all filters wins.
 *
 * @example
 * const holdCompetitors: SpamFilter = {
 *   name: 'competitor-mentions',
 *   check: async (candidate) => /\bacme news\b/i.test(candidate.body)
 *     ? { verdict: 'hold', reason: 'mentions a competitor' }
 *     : { verdict: 'approve', reason: 'no competitor mentioned' },
 * }
 */
export interface SpamFilter {
  name: string
  /** Longest the filter may take, in ms; past it the comment is held. Default 5,000. */
  timeoutMs?: number
  check(candidate: SpamCandidate, ctx: SpamContext): Promise<FilterAnswer> | FilterAnswer
}

/** A filter's answer; `retry` asks to be asked again later (the comment is held meanwhile). */
export interface FilterAnswer {
  verdict: Verdict
  reason: string
  retry?: boolean
}

export const severity: Record<Verdict, number> = { approve: 0, hold: 1, spam: 2 }

/** The status a comment takes from the filters' verdict. */
export const statusForVerdict: Record<Verdict, CommentStatus> = { approve: 'approved', hold: 'pending', spam: 'spam' }
