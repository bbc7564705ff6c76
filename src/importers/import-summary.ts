import type { CommentStatus } from '../db/schema.js'
import type { ImportFormat, RecordProblem } from './import-records.js'

/** At most this many errors and warnings are listed (all are counted): a summary stays small. */
export const LISTED_PROBLEMS = 1000

/** What an import did (API.md: `{ articles, comments, skipped, errors }`, and the details behind them). */
export interface ImportSummary {
  format: ImportFormat
  /** Articles created. */
  articles: number
  /** Comments imported. */
  comments: number
  /** Comments left out on purpose: pingbacks and trackbacks (unless asked for), other comment types, those here already and those deleted here. */
  skipped: number
  /** Records not imported, each named by its id in the file, with the reason. */
  errors: RecordProblem[]
  /** Records imported with a change (no email, a missing parent, a URL dropped, a text cut), or merged with another. */
  warnings: RecordProblem[]
  details: {
    existingArticles: number
    updatedArticles: number
    statuses: Record<CommentStatus, number>
    replies: number
    /** Comments in the longest reply chain imported (1: no replies; 0: nothing imported). */
    longestChain: number
    pings: number
    otherTypes: number
    /** Comments here already: imported before, or Parley's own coming back from its export. */
    alreadyImported: number
    /** Comments deleted here for good (by a moderator or the purge), which no import brings back. */
    removedBefore: number
    errorCount: number
    warningCount: number
  }
}

/** Errors and warnings as they are found, listed up to LISTED_PROBLEMS and counted beyond. */
export class ProblemList {
  readonly listed: RecordProblem[] = []
  count = 0

  add(problem: RecordProblem): void {
    this.count++
    if (this.listed.length < LISTED_PROBLEMS) this.listed.push(problem)
  }
}
