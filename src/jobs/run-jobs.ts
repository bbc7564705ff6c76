import type { SettingsStore } from '../settings/settings-store.js'
import { claimJobs, finishJob, retryJob, type JobRow } from './job-queue.js'
import { purgeOld } from './purge-old.js'
import { loggedError } from '../logged-error.js'
import { deliverWebhooks, type DeliveryReport, type DeliveryServices } from '../webhooks/deliver-webhooks.js'

export type JobOutcome = { done: true } | { done: false; retryAt: Date; error: string }

/** What the job runner itself needs of the runtime (a part of `Deps`). */
export type JobServices = DeliveryServices & { settings: SettingsStore }

/** One kind of durable work; `D` is the part of the runtime's `Deps` it uses. */
export interface JobHandler<D = JobServices> {
  kind: string
  run(deps: D, job: JobRow, now: Date): Promise<JobOutcome>
}

/** Work that keeps its own queue (the mail sweep, src/notifications): run after the jobs, its counts reported by name. */
export interface Sweep<D = JobServices> {
  name: string
  run(deps: D, now: Date): Promise<Record<string, number>>
}

export interface JobReport {
  ran: number
  retried: number
  failed: number
  purged: number
  forgotten: number
  webhooks: DeliveryReport
  sweeps: Record<string, Record<string, number>>
  /** Jobs were still due when this run stopped taking them (MAX_BATCHES): run again soon. */
  backlog: boolean
}

const BATCH = 50
/**
 * Batches of jobs one run takes before it turns to webhook deliveries, sweeps and purges: a backlog
 * (a breaking story's notify jobs) is worked off over several runs instead of holding back every
 * email and webhook until it has drained.
 */
const MAX_BATCHES = 20
const LEASE_MS = 5 * 60_000

/**
 * Everything that happens later: queued jobs (whatever `handlers` handles), due webhook
 * deliveries, the sweeps (emails), then the purge of old spam, trash and IPs. Safe to run from several instances at
 * once; on Node from a timer, on Workers from a Cron Trigger.
 */
export async function runJobs<D extends JobServices>(
  deps: D,
  now: Date,
  handlers: JobHandler<NoInfer<D>>[],
  sweeps: Sweep<NoInfer<D>>[] = [],
): Promise<JobReport> {
  const report: JobReport = {
    ran: 0,
    retried: 0,
    failed: 0,
    purged: 0,
    forgotten: 0,
    webhooks: { delivered: 0, retried: 0, failed: 0, disabled: 0 },
    sweeps: {},
    backlog: false,
  }
  const byKind = new Map(handlers.map((handler) => [handler.kind, handler]))
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const claimed = await claimJobs(deps.db, [...byKind.keys()], now, BATCH, LEASE_MS)
    for (const job of claimed) {
      const handler = byKind.get(job.kind)
      if (!handler) continue
      try {
        const outcome = await handler.run(deps, job, now)
        if (outcome.done) {
          await finishJob(deps.db, job.id)
          report.ran++
        } else {
          await retryJob(deps.db, job.id, outcome.retryAt, outcome.error)
          report.retried++
        }
      } catch (error) {
        // The lease runs out and another run tries again; the error is kept for moderators and logs.
        report.failed++
        deps.logger.error('job failed', { kind: job.kind, jobId: job.id, ...loggedError(error) })
      }
    }
    if (claimed.length < BATCH) break
    if (batch === MAX_BATCHES - 1) report.backlog = true
  }
  report.webhooks = await deliverWebhooks(deps, now)
  for (const sweep of sweeps) {
    try {
      report.sweeps[sweep.name] = await sweep.run(deps, now)
    } catch (error) {
      // The next run tries again; the purge below still runs.
      deps.logger.error('sweep failed', { sweep: sweep.name, ...loggedError(error) })
    }
  }
  const settings = (await deps.settings.get(deps.db)).values
  const purge = await purgeOld(deps.db, settings, now)
  report.purged = purge.purged
  report.forgotten = purge.forgotten
  return report
}
