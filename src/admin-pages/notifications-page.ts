import { html } from '../pages/html.js'
import type { NotificationPrefs } from '../notifications/notification-prefs.js'
import type { MailStats } from '../notifications/mail-stats.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'

export interface NotificationsView {
  session: LayoutSession & { email: string }
  prefs: NotificationPrefs
  /** The transport as the dashboard may name it; null: mail is off. */
  transport: string | null
  stats: MailStats
  notice?: { text: string; error?: boolean } | undefined
}

const box = (name: string, label: string, on: boolean) =>
  html`<div class="check"><input type="checkbox" id="n-${name}" name="${name}" value="on"${on ? html` checked` : ''}><label for="n-${name}">${label}</label></div>`

/** The moderator's own email preferences (WordPress's "Email me whenever"), and the state of the mail queue. */
export function notificationsPage(view: NotificationsView): Response {
  const { prefs, stats } = view
  const status = view.transport
    ? html`<p>Mail goes out through <code>${view.transport}</code>. Last 30 days: ${stats.sent} sent, ${stats.failed} failed, ${stats.dropped} with nothing left to say; ${stats.queued} waiting.</p>`
    : html`<p class="notice error" role="status"><strong>Notifications are off:</strong> no mail transport is configured. Set <code>SMTP_URL</code> (or, on Workers, <code>PARLEY_MAIL_API_KEY</code>) and <code>PARLEY_MAIL_FROM</code>. Your choices below are kept for then.</p>`
  return adminPage({
    title: 'Notifications',
    session: view.session,
    active: 'notifications',
    notice: view.notice,
    body: html`${status}
<form class="panel pad" method="post" action="/admin/notifications">${csrfField(view.session)}
<p>Email me at <strong>${view.session.email}</strong> whenever</p>
${box('held', 'a comment is held for moderation', prefs.held)}
${box('reported', 'a reader reports a comment', prefs.reported)}
${box('every', 'anyone posts a comment', prefs.every)}
<div class="field"><label for="n-digest">Send</label><select id="n-digest" name="digest">
<option value="off"${prefs.digest === 'off' ? html` selected` : ''}>one email each</option>
<option value="hourly"${prefs.digest === 'hourly' ? html` selected` : ''}>one digest an hour</option>
<option value="daily"${prefs.digest === 'daily' ? html` selected` : ''}>one digest a day</option>
</select></div>
<p class="meta">Each email has Approve, Spam and Trash links that work once, for seven days, and only for you.</p>
<button class="btn" type="submit">Save</button>
</form>`,
  })
}
