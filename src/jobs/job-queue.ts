import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { jobs } from '../db/schema.js'

export type JobRow = typeof jobs.$inferSelect

/** Queues work for runJobs, in the caller's transaction when there is one. */
export async function enqueueJob(
  db: Db,
  job: { kind: string; commentId?: number | null; payload?: Record<string, unknown>; now: Date; runAt: Date; expiresAt?: Date | null },
): Promise<void> {
  await db.insert(jobs).values({
    kind: job.kind,
    commentId: job.commentId ?? null,
    payload: job.payload ?? {},
    runAt: job.runAt,
    createdAt: job.now,
    expiresAt: job.expiresAt ?? null,
  })
}

/**
 * Claims up to `limit` due jobs of the given kinds for `leaseMs`: other instances skip the rows
 * while they are locked and leave them alone until the lease ends. A claimer that dies simply
 * lets the lease run out, and the job is claimed again.
 */
export async function claimJobs(db: Db, kinds: string[], now: Date, limit: number, leaseMs: number): Promise<JobRow[]> {
  if (kinds.length === 0) return []
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    update jobs set run_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz, attempts = attempts + 1
    where id in (
      select id from jobs
      where run_at <= ${now.toISOString()}::timestamptz and kind in (${sql.join(
        kinds.map((k) => sql`${k}`),
        sql`, `,
      )})
      order by run_at
      limit ${limit}
      for update skip locked
    )
    returning id`,
  )
  if (rows.length === 0) return []
  return db
    .select()
    .from(jobs)
    .where(
      sql`${jobs.id} in (${sql.join(
        rows.map((r) => sql`${r.id}`),
        sql`, `,
      )})`,
    )
}

export async function finishJob(db: Db, id: number): Promise<void> {
  await db.delete(jobs).where(eq(jobs.id, id))
}

export async function retryJob(db: Db, id: number, runAt: Date, error: string): Promise<void> {
  await db
    .update(jobs)
    .set({ runAt, lastError: error.slice(0, 1000) })
    .where(eq(jobs.id, id))
}
