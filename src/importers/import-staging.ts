import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ArticleRecord, CommentRecord, RecordProblem, RecordSink } from './import-records.js'
import { cleanText } from '../comments/clean-text.js'
import { normalizeUrl } from '../comments/submission-rules.js'
import { ProblemList } from './import-summary.js'
import { EmailKeys, stageComment } from './stage-comment.js'
import { insertJsonRows, stagedArticle } from './staging-tables.js'

/** Rows per INSERT (one JSON parameter): under a megabyte of text, and all that waits in memory. */
const BATCH = 500

/**
 * The readers' sink: collects records and writes them to the staging tables in batches, so
 * that memory holds a batch or two whatever the file's size. The reader calls `flushIfFull()`
 * between chunks of the file, `flush()` once at its end.
 */
export class ImportStaging implements RecordSink {
  readonly errors = new ProblemList()
  readonly warnings = new ProblemList()
  pings = 0
  otherTypes = 0
  staged = 0
  private seq = 0
  private articles: ArticleRecord[] = []
  private comments: CommentRecord[] = []
  private readonly keys: EmailKeys
  /** The batch the database is storing now. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
  ) {
    this.keys = new EmailKeys(secrets)
  }

  /** The article's URL and title pass the rules a moderator's would (http(s) only; a title of one line, 500 characters). */
  article(record: ArticleRecord): void {
    const url = record.url ? normalizeUrl(cleanText(record.url, { multiline: false }).trim()) : null
    if (url === undefined || (url && url.length > 2000)) this.warning({ record: 'article', id: record.ref, reason: 'its URL is not an http(s) URL: dropped' })
    const title = record.title === null ? null : cleanText(record.title, { multiline: false }).trim().slice(0, 500) || null
    this.articles.push({ ...record, url: url && url.length <= 2000 ? url : null, title })
  }

  comment(record: CommentRecord): void {
    this.comments.push(record)
  }

  skip(why: 'ping' | 'otherType'): void {
    if (why === 'ping') this.pings++
    else this.otherTypes++
  }

  error(problem: RecordProblem): void {
    this.errors.add(problem)
  }

  warning(problem: RecordProblem): void {
    this.warnings.add(problem)
  }

  async flushIfFull(): Promise<void> {
    if (this.comments.length >= BATCH || this.articles.length >= BATCH) await this.stage()
  }

  /** Stages whatever is left and waits until the database holds all of it. */
  async flush(): Promise<void> {
    await this.stage()
    await this.writing
  }

  /**
   * Cleans, renders and encrypts the next batches, then hands them to the database without
   * waiting: the file's next chunk is parsed while PostgreSQL stores this one. One write is in
   * flight at most (each waits for the last), so memory holds two batches at most.
   */
  private async stage(): Promise<void> {
    while (this.articles.length > 0) {
      // The first of two items or threads with the same ref wins, as the first of two comments does.
      const rows = this.articles.splice(0, BATCH).map(stagedArticle)
      await this.write(() => insertJsonRows(this.db, 'import_articles', rows, true))
    }
    while (this.comments.length > 0) {
      const batch = this.comments.splice(0, BATCH)
      const rows = await Promise.all(batch.map((record) => stageComment(++this.seq, record, this.secrets, this.keys, (p) => this.warning(p))))
      await this.write(() => insertJsonRows(this.db, 'import_comments', rows))
      this.staged += rows.length
    }
  }

  private async write(insert: () => Promise<void>): Promise<void> {
    await this.writing
    this.writing = insert()
    // Awaited by the next write or by flush(); until then a failure must not count as unhandled.
    this.writing.catch(() => undefined)
  }
}
