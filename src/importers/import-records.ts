import type { CheckResult, CommentStatus } from '../db/schema.js'

/** The file kinds Parley reads, detected from the file itself. */
export type ImportFormat = 'wxr' | 'disqus' | 'parley'

/** What each format calls the record that becomes an article, for messages that name it. */
export const articleNoun: Record<ImportFormat, string> = { wxr: 'item', disqus: 'thread', parley: 'article' }

/** An article as a reader found it: `ref` is how the file's comments point at it. */
export interface ArticleRecord {
  ref: string
  /** How messages name it (a WordPress post id, a Disqus thread id); `ref` when absent. */
  label?: string
  /** Null when the record has none Parley can use: `problem` says why, and its comments are errors. */
  key: string | null
  problem?: string
  /** The site its comments come from, when it is the record's own (a Disqus thread's forum). */
  sourceSite?: string
  url: string | null
  title: string | null
  open: boolean
  createdAt: Date | null
}

/** A comment as a reader found it, before cleaning, rendering and encryption. */
export interface CommentRecord {
  /** How this file's replies point at the comment (its id in the file). */
  ref: string
  /**
   * `source`, `sourceSite` and `sourceId` identify the comment for good: a re-import skips it, and
   * a removed one stays removed. Null source or site: the file's (see RecordSink.origin); a null
   * site of a comment whose article names one (a Disqus thread's forum) is that one. A null
   * `sourceId` (a comment without an id) is a fingerprint of its author, date and text.
   */
  source: string | null
  sourceSite: string | null
  sourceId: string | null
  articleRef: string
  /** The parent's `ref` (or, for a parent imported earlier, its source id), or null for a top-level comment. */
  parentRef: string | null
  /** The id to keep when it is free (WordPress and Parley ids, so that `#comment-ID` links keep working). */
  preferredId: number | null
  status: CommentStatus
  authorName: string
  authorUrl: string | null
  email: string | null
  ip: string | null
  userAgent: string | null
  body: string
  /** Null when the file gives no valid date: dated at the import, as WordPress does, with a warning. */
  createdAt: Date | null
  editedAt: Date | null
  checks: CheckResult[]
  /** A moderator's own reply, matched to an account by email on the way in. */
  moderatorEmail: string | null
  /**
   * What the reader changed or found missing (no email, no id, an unknown status…): reported with
   * the comment only if it is imported, so that a re-import that skips it does not say it again.
   */
  warnings: string[]
}

/** One record that was not imported (error) or imported with a change (warning). */
export interface RecordProblem {
  /** The record as its format calls it: `comment`, `item`, `post`, `thread`, `article`. */
  record: string
  id: string
  reason: string
}

/** Where the comments of a file come from, when they do not say so themselves. */
export interface Origin {
  source: string
  /** Normalized (see `sourceSite`); '' when the file does not say. */
  site: string
}

/** Where the readers send what they find; the readers themselves never touch the database. */
export interface RecordSink {
  /** The file's origin, once known (a WXR channel's site URL may come after its items). */
  origin(origin: Origin): void
  article(record: ArticleRecord): void
  comment(record: CommentRecord): void
  /** A comment left out on purpose: a pingback or trackback, or another comment type. */
  skip(why: 'ping' | 'otherType'): void
  error(problem: RecordProblem): void
  warning(problem: RecordProblem): void
}

/** The file cannot be read at all (not well-formed, not a known format): nothing is imported. */
export class ImportRefused extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? reason : `line ${line}, column ${column ?? 0}: ${reason}`)
    this.name = 'ImportRefused'
  }
}
