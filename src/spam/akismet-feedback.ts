import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments } from '../db/schema.js'
import { enqueueJob } from '../jobs/job-queue.js'
import type { JobHandler } from '../jobs/run-jobs.js'
import { akismetSubmit } from './akismet-client.js'
import { akismetComment } from './akismet-filter.js'
import { candidateOf } from './spam-candidate.js'
import type { Secrets } from '../crypto/secrets.js'
import type { AppConfig } from '../config.js'

const GIVE_UP_AFTER_MS = 15 * 86_400_000
const RETRY_MS = 10 * 60_000

/** Tells Akismet what a moderator decided, later and durably (submit-spam / submit-ham). */
export async function scheduleAkismetFeedback(db: Db, commentId: number, kind: 'spam' | 'ham', now: Date): Promise<void> {
  await enqueueJob(db, {
    kind: 'akismet-feedback',
    commentId,
    payload: { kind },
    now,
    runAt: now,
    expiresAt: new Date(now.getTime() + GIVE_UP_AFTER_MS),
  })
}

/** What the feedback needs of the runtime (a part of `Deps`). */
type FeedbackServices = { db: Db; secrets: Secrets; config: Pick<AppConfig, 'akismet'> }

export const akismetFeedbackJob: JobHandler<FeedbackServices> = {
  kind: 'akismet-feedback',
  async run(deps, job, now) {
    const config = deps.config.akismet
    if (!config || job.commentId === null) return { done: true }
    const [row] = await deps.db.select().from(comments).where(eq(comments.id, job.commentId))
    if (!row) return { done: true }
    const kind = job.payload.kind === 'spam' ? 'spam' : 'ham'
    let problem = 'Akismet did not accept the feedback'
    try {
      if (await akismetSubmit(config, kind, akismetComment(await candidateOf(deps.db, deps.secrets, row, { referrer: null }))))
        return { done: true }
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error)
    }
    if (job.expiresAt && now >= job.expiresAt) return { done: true }
    return { done: false, retryAt: new Date(now.getTime() + RETRY_MS), error: problem }
  },
}
