import type { JobHandler } from '../jobs/run-jobs.js'
import { akismetFeedbackJob } from './akismet-feedback.js'
import { recheckJob } from './recheck-job.js'

/** The spam pipeline's durable work, for runJobs. */
export const spamJobs: JobHandler[] = [recheckJob, akismetFeedbackJob]
