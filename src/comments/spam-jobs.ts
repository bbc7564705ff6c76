import { akismetFeedbackJob } from '../spam/akismet-feedback.js'
import { recheckJob } from './spam-recheck.js'

/**
 * The spam pipeline's durable work, for runJobs. It is listed here, above both, because a re-check
 * changes a comment's status (comments) while Akismet's feedback only reports one (spam).
 */
export const spamJobs = [recheckJob, akismetFeedbackJob]
