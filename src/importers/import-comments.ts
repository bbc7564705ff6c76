import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import { logAction } from '../audit/audit-log.js'
import { articleNoun, type ImportFormat } from './import-records.js'
import type { ImportSummary } from './import-summary.js'
import { ImportStaging } from './import-staging.js'
import { analyzeStagingTables, createStagingTables } from './staging-tables.js'
import { decodeChunks } from './text-chunks.js'
import { readExport } from './read-export.js'
import { addMissingArticles, mergeArticles, reportSameUrls, reportSharedArticles } from './merge-articles.js'
import { assignIds, classifyComments, reportCommentWarnings } from './merge-comments.js'
import { buildTree } from './import-tree.js'
import { storeStaged } from './store-staged.js'
import { instanceId } from '../sources/instance-id.js'
import { sourceSite } from './source-site.js'

export interface ImportOptions {
  /** Import pingbacks and trackbacks too (by default they are counted and skipped). */
  includePings?: boolean
  /**
   * Put before every article key of the file: two sites whose post ids overlap keep their threads
   * apart (`blog-b:1` beside `1`), and their widgets use the same prefixed keys.
   */
  keyPrefix?: string
  /**
   * The site the file's comments come from, instead of the one it names (a WXR's blog URL, a
   * Disqus thread's forum): for a site whose address changed since an earlier import, or two
   * installations at one address (both number their comments from 1).
   */
  site?: string
  /** Who imports, for the audit log; null for the command line. */
  moderatorId: number | null
  now: Date
  /** Called after each chunk of the file: bytes read so far, comments staged so far. */
  onProgress?: (progress: { bytes: number; comments: number }) => void
}

const commentNoun: Record<ImportFormat, string> = { wxr: 'comment', disqus: 'post', parley: 'comment' }

/** The advisory lock imports take (an arbitrary constant: 'PRLI' in ASCII). */
const IMPORT_LOCK = 0x50524c49

/**
 * Imports a WordPress (WXR), Disqus or Parley export, streamed: the file is read once, in
 * chunks, into staging tables, then merged into the real tables in set-based statements. All of
 * it is one transaction: a file that turns out not to be well-formed halfway through (thrown as
 * `ImportRefused`, with line and column) leaves nothing behind, and readers never see half an
 * import. Comments here already (same source, site and id: see match-existing.ts) and comments
 * deleted here for good are skipped, so a re-import changes nothing.
 *
 * @example
 * const summary = await importComments(db, secrets, createReadStream('export.xml'), { moderatorId: null, now: new Date() })
 */
export async function importComments(
  db: Db,
  secrets: Secrets,
  source: AsyncIterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    // A 100 MB file takes longer than any request's statement budget; this transaction only.
    await tx.execute(sql`set local statement_timeout = 0`)
    // The merge's statements look costly to the planner (a look-up per staged row), so PostgreSQL
    // compiles them with JIT: measured on 50,000 comments, 1.1 s of compiling for 0.3 s of work.
    await tx.execute(sql`set local jit = off`)
    // One import at a time: two at once could both find a comment new and both insert it.
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK}::bigint)`)
    await createStagingTables(tx)
    const keyPrefix = options.keyPrefix ?? ''
    const staging = new ImportStaging(tx, secrets, { now: options.now, keyPrefix, site: sourceSite(options.site ?? '') })
    let bytes = 0
    const chunks = decodeChunks(source, (n) => (bytes += n))
    const format = await readExport(chunks, staging, { includePings: options.includePings ?? false }, () =>
      options.onProgress?.({ bytes, comments: staging.staged }),
    )
    await staging.flush()
    options.onProgress?.({ bytes, comments: staging.staged })
    await analyzeStagingTables(tx)

    const nouns = { comment: commentNoun[format], article: articleNoun[format] }
    const problems = { errors: staging.errors, warnings: staging.warnings }
    await addMissingArticles(tx, keyPrefix, staging.warnings, nouns)
    const articles = await mergeArticles(tx, options.now, staging.warnings, nouns)
    await reportSameUrls(tx, staging.warnings, nouns)
    const classified = await classifyComments(tx, problems, nouns, staging.fileOrigin, await instanceId(tx))
    await reportCommentWarnings(tx, staging.warnings, nouns)
    await assignIds(tx)
    await reportSharedArticles(tx, staging.warnings, nouns)
    await buildTree(tx, staging.warnings, nouns.comment)
    const stored = await storeStaged(tx, options.now)

    const comments = Object.values(stored.statuses).reduce((sum, n) => sum + n, 0)
    const summary: ImportSummary = {
      format,
      articles: articles.created,
      comments,
      skipped: staging.pings + staging.otherTypes + classified.alreadyImported + classified.removedBefore,
      errors: staging.errors.listed,
      warnings: staging.warnings.listed,
      details: {
        existingArticles: articles.existing,
        updatedArticles: articles.updated,
        ...stored,
        pings: staging.pings,
        otherTypes: staging.otherTypes,
        ...classified,
        errorCount: staging.errors.count,
        warningCount: staging.warnings.count,
      },
    }
    // Counts only: the log never holds an email address, nor anything from the file.
    await logAction(tx, {
      at: options.now,
      moderatorId: options.moderatorId,
      action: 'import',
      detail: { format, articles: summary.articles, comments, skipped: summary.skipped, errors: staging.errors.count },
    })
    return summary
  })
}
