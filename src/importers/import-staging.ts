import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ArticleRecord, CommentRecord, ImportFormat, Origin, RecordProblem, RecordSink } from './import-records.js'
import { articleKeyPattern } from '../articles/articles.js'
import { cleanLine } from '../comments/clean-text.js'
import { normalizeUrl } from '../net/normalize-url.js'
import { ProblemList } from './import-summary.js'
import { EmailKeys, stageComment } from './stage-comment.js'
import { insertJsonRows, stagedArticle } from './staging-tables.js'

/** Rows per INSERT (one JSON parameter), and all that waits in memory… */
const BATCH = 500
/** …unless their texts pass this many characters first (a batch of long comments). */
const BATCH_CHARS = 4_000_000
/**
 * Chunks of the file read before what waits is staged anyway: a record's texts may be slices of
 * the chunk it came in, which stays in memory as long as the record does.
 */
const CHUNKS_PER_FLUSH = 16

const controlCharacter = /[\u0000-\u001F\u007F]/

const commentNouns: Record<ImportFormat, string> = { wxr: 'comment', disqus: 'post', parley: 'comment' }

export interface StagingOptions {
  /** The import's time (the date of a comment that has none). */
  now: Date
  /** Put before every article key of the file (two sites whose post ids overlap). */
  keyPrefix: string
  /** The site the file's comments are taken to come from, instead of the one it names (normalized; '' for that one). */
  site: string
}

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
  /** Where comments that do not say so come from (see RecordSink.origin). */
  fileOrigin: Origin = { source: 'wordpress', site: '' }
  private noun = 'comment'
  private seq = 0
  private articleSeq = 0
  private articles: ArticleRecord[] = []
  private comments: CommentRecord[] = []
  private pendingChars = 0
  private chunks = 0
  private readonly keys: EmailKeys
  /** The batch the database is storing now. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly options: StagingOptions,
  ) {
    this.keys = new EmailKeys(secrets)
  }

  /** The file's format, once read from its start: how warnings name its comments. */
  begin(format: ImportFormat): void {
    this.noun = commentNouns[format]
  }

  origin(origin: Origin): void {
    this.fileOrigin = this.options.site && origin.source !== 'parley' ? { ...origin, site: this.options.site } : origin
  }

  /** The article's URL and title pass the rules a moderator's would (http(s) only; a title of one line, 500 characters). */
  article(record: ArticleRecord): void {
    const id = record.label ?? record.ref
    const url = record.url ? normalizeUrl(cleanLine(record.url)) : null
    if (url === undefined || (url && url.length > 2000))
      this.warning({ record: 'article', id, reason: 'its URL is not an http(s) URL: dropped' })
    const fullTitle = record.title === null ? null : cleanLine(record.title) || null
    const title = fullTitle?.slice(0, 500) ?? null
    if (title !== fullTitle) this.warning({ record: 'article', id, reason: 'its title is longer than 500 characters: cut to them' })
    const sourceSite = this.options.site && record.sourceSite !== undefined ? this.options.site : record.sourceSite
    this.articles.push({ ...record, ...this.prefixed(record, id), sourceSite, url: url && url.length <= 2000 ? url : null, title })
  }

  /** The key with the import's prefix; its label (a post id) instead when that makes it too long. */
  private prefixed(record: ArticleRecord, id: string): Pick<ArticleRecord, 'key' | 'problem'> {
    const prefix = this.options.keyPrefix
    if (!prefix || record.key === null) return { key: record.key, problem: record.problem }
    if (articleKeyPattern.test(prefix + record.key)) return { key: prefix + record.key }
    if (articleKeyPattern.test(prefix + id)) {
      this.warning({
        record: 'article',
        id,
        reason: `its key with the prefix is longer than 200 characters: imported under key ${prefix + id}`,
      })
      return { key: prefix + id }
    }
    return { key: null, problem: `its key with the prefix "${prefix}" is not a valid article key` }
  }

  comment(record: CommentRecord): void {
    // What names the comment for good, and its article: PostgreSQL holds no NUL, and a control
    // character in an identity is a damaged file, not something to guess a repair for.
    const identity = {
      source: record.source,
      sourceSite: record.sourceSite,
      sourceId: record.sourceId,
      article: record.articleRef,
      parent: record.parentRef,
    }
    const damaged = Object.entries(identity).find(([, value]) => value !== null && controlCharacter.test(value))
    if (damaged)
      return this.error({ record: this.noun, id: record.ref, reason: `its ${damaged[0]} holds a control character: not imported` })
    this.comments.push(record)
    this.pendingChars += record.body.length
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
    this.chunks++
    const waiting = this.comments.length + this.articles.length
    if (
      this.comments.length >= BATCH ||
      this.articles.length >= BATCH ||
      this.pendingChars >= BATCH_CHARS ||
      (waiting > 0 && this.chunks >= CHUNKS_PER_FLUSH)
    ) {
      await this.stage()
    }
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
    this.chunks = 0
    while (this.articles.length > 0) {
      const rows = this.articles.splice(0, BATCH).map((record) => stagedArticle(++this.articleSeq, record))
      await this.write(() => insertJsonRows(this.db, 'import_articles', rows))
    }
    const context = { secrets: this.secrets, keys: this.keys, now: this.options.now }
    while (this.comments.length > 0) {
      let count = 0
      let chars = 0
      while (count < this.comments.length && count < BATCH && (count === 0 || chars < BATCH_CHARS))
        chars += this.comments[count++]?.body.length ?? 0
      const batch = this.comments.splice(0, count)
      this.pendingChars -= chars
      const rows = await Promise.all(batch.map((record) => stageComment(++this.seq, record, context)))
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
