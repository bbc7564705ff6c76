import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, type CheckResult } from '../db/schema.js'
import type { SettingsStore } from '../settings/settings-store.js'
import { candidateOf } from '../spam/spam-candidate.js'
import { enqueueJob } from '../jobs/job-queue.js'
import type { JobHandler } from '../jobs/run-jobs.js'
import { changeStatus, lockForChange } from './comment-status.js'
import { dropPendingSubscriptions, queueNotify } from './notify-outbox.js'
import type { MailTransport } from '../mail/mail-transport.js'
import { logAction } from '../audit/audit-log.js'
import { filtersFor } from '../spam/filters-for.js'
import { integrationsFor, type IntegrationServices } from '../spam/integrations.js'
import { runFilters } from '../spam/run-filters.js'
import { severity, statusForVerdict, type SpamFilter, type Verdict } from '../spam/spam-filter.js'

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

/** What a re-check needs of the runtime (a part of `Deps`). */
type RecheckServices = IntegrationServices & { db: Db; settings: SettingsStore; spamFilters: SpamFilter[]; mail?: MailTransport }

export const recheckJob: JobHandler<RecheckServices> = {
  kind: 'spam-recheck',
  async run(deps, job, now) {
    if (job.commentId === null) return { done: true }
    const [row] = await deps.db.select().from(comments).where(eq(comments.id, job.commentId))
    // A moderator decided meanwhile: theirs stands.
    if (!row || row.status !== 'pending') return { done: true }
    const waiting = new Set(row.checks.filter((check) => check.retry).map((check) => check.filter))
    const loaded = await deps.settings.get(deps.db)
    const filters = filtersFor({ integrations: await integrationsFor(deps, loaded), spamFilters: deps.spamFilters }).filter((f) =>
      waiting.has(f.name),
    )
    const referrer = typeof job.payload.referrer === 'string' ? job.payload.referrer : null
    const fresh = await runFilters(filters, await candidateOf(deps.db, deps.secrets, row, { referrer }), {
      db: deps.db,
      settings: loaded.values,
      secrets: deps.secrets,
      now,
    })
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
      const to = statusForVerdict[verdict]
      await changeStatus(tx, locked, to, now, { checks })
      if (to !== locked.status)
        await logAction(tx, { at: now, moderatorId: null, action: 'recheck', commentId: row.id, from: locked.status, to })
      // Published once the filters answered: its readers and author hear of it as of a moderator's approval.
      if (deps.mail && to === 'approved') await queueNotify(tx, row.id, { event: 'approved' }, now)
      if (to === 'spam') await dropPendingSubscriptions(tx, row.id)
    })
    if (stillWaiting && !expired) {
      const reasons = fresh.checks.filter((check) => check.retry).map((check) => `${check.filter}: ${check.reason}`)
      return { done: false, retryAt: new Date(now.getTime() + RECHECK_EVERY_MS), error: reasons.join('; ') }
    }
    return { done: true }
  },
}
