import { notifyJob } from '../notifications/notify-job.js'
import { mailSweep } from '../notifications/mail-sweep.js'
import { renderMail } from '../emails/render-mail.js'

/**
 * Notifications' durable work, for runJobs beside the spam jobs: the notify job turns committed
 * changes into queued emails, the mail sweep renders (src/emails) and sends what is due. Composed
 * here, above both, as the rules may not import a presentation.
 */
export const notificationJobs = [notifyJob]
export const mailSweeps = [{ name: 'mail', run: mailSweep(renderMail) }]
