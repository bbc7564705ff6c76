import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { articles, comments, type CheckResult, type CommentStatus } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { enqueueJob } from '../jobs/job-queue.js'
import type { JobHandler } from '../jobs/run-jobs.js'
import { changeStatus, lockForChange } from '../comments/comment-status.js'
import type { CommentRow } from '../comments/comment-row.js'
import { logAction } from '../audit/audit-log.js'
import { filtersFor } from './filters-for.js'
import { integrationsFor } from './integrations.js'
import { runFilters } from './run-filters.js'
import { severity, type SpamCandidate, type Verdict } from './spam-filter.js'

const RECHECK_EVERY_MS = 20 * 60_000
const GIVE_UP_AFTER_MS = 15 * 86_400_000

/**
 * Asks the filters that could not decide (Akismet, the site's filter service) again in 20
 * minutes, for up to 15 days; the comment stays held meanwhile.
 */
export async function scheduleRecheck(db: Db, commentId: number, now: Date, referrer: string | null): Promise<void> {
  await enqueueJob(db, {
    kind: 'spam-recheck',
    commentId,
    payload: { referrer },
    now,
    runAt: new Date(now.getTime() + RECHECK_EVERY_MS),
    expiresAt: new Date(now.getTime() + GIVE_UP_AFTER_MS),
  })
}

/** The comment as the filters first saw it, rebuilt from its row. */
export async function candidateOf(deps: Deps, row: CommentRow, referrer: string | null): Promise<SpamCandidate> {
  const [article] = await deps.db.select({ key: articles.key, url: articles.url }).from(articles).where(eq(articles.id, row.articleId))
  return {
    articleKey: article?.key ?? '',
    articleUrl: article?.url ?? null,
    parentId: row.parentId,
    name: row.authorName,
    email: row.emailEncrypted ? await deps.secrets.decryptEmail(row.emailEncrypted) : null,
    url: row.authorUrl,
    body: row.body,
    html: row.html,
    ip: row.ip,
    userAgent: row.userAgent,
    referrer,
    honeypot: '',
    turnstileToken: null,
    createdAt: row.createdAt,
    isEdit: false,
    commentId: row.id,
  }
}

const fromVerdict: Record<Verdict, CommentStatus> = { approve: 'approved', hold: 'pending', spam: 'spam' }

export const recheckJob: JobHandler = {
  kind: 'spam-recheck',
  async run(deps, job, now) {
    if (job.commentId === null) return { done: true }
    const [row] = await deps.db.select().from(comments).where(eq(comments.id, job.commentId))
    // A moderator decided meanwhile: theirs stands.
    if (!row || row.status !== 'pending') return { done: true }
    const waiting = new Set(row.checks.filter((check) => check.retry).map((check) => check.filter))
    const loaded = await deps.settings.get(deps.db)
    const filters = filtersFor({ integrations: await integrationsFor(deps, loaded), spamFilters: deps.spamFilters }).filter((f) => waiting.has(f.name))
    const referrer = typeof job.payload.referrer === 'string' ? job.payload.referrer : null
    const fresh = await runFilters(filters, await candidateOf(deps, row, referrer), { db: deps.db, settings: loaded.values, secrets: deps.secrets, now })
    const answered = new Map(fresh.checks.map((check) => [check.filter, check]))
    const stillWaiting = fresh.checks.some((check) => check.retry)
    const expired = job.expiresAt !== null && now >= job.expiresAt

    await deps.db.transaction(async (tx) => {
      const [locked] = await lockForChange(tx, [row.id])
      if (!locked || locked.status !== 'pending') return
      // The author edited the text while the filters were asked about the old one: their answers are
      // about text no longer there. The edit ran its own checks (and queued its own re-check).
      if (locked.body !== row.body || locked.editedAt?.getTime() !== row.editedAt?.getTime()) return
      const checks: CheckResult[] = locked.checks.map((check) => answered.get(check.filter) ?? check)
      let verdict: Verdict = 'approve'
      for (const check of checks) if (severity[check.verdict] > severity[verdict]) verdict = check.verdict
      const to = fromVerdict[verdict]
      await changeStatus(tx, locked, to, now, { checks })
      if (to !== locked.status) await logAction(tx, { at: now, moderatorId: null, action: 'recheck', commentId: row.id, from: locked.status, to })
    })
    if (stillWaiting && !expired) {
      const reasons = fresh.checks.filter((check) => check.retry).map((check) => `${check.filter}: ${check.reason}`)
      return { done: false, retryAt: new Date(now.getTime() + RECHECK_EVERY_MS), error: reasons.join('; ') }
    }
    return { done: true }
  },
}
