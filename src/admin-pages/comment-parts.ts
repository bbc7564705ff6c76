import type { CommentStatus } from '../db/schema.js'
import type { ReportReason } from '../moderation/reader-reports.js'
import type { FieldError } from '../errors.js'
import { html, type SafeHtml } from '../pages/html.js'

/** A time as moderators read it, unambiguous across time zones. */
export function when(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`
}

/** A report's reason as the reader chose it in the widget's form (actions.js), in the same words. */
const reasonWords: Record<ReportReason, string> = {
  spam: 'Spam',
  abuse: 'Abusive or harmful',
  off_topic: 'Off topic',
  other: 'Something else',
}
export const reasonInWords = (reason: string): string => (Object.hasOwn(reasonWords, reason) ? reasonWords[reason as ReportReason] : reason)

const statusLabels: Record<CommentStatus, string> = { pending: 'Pending', approved: 'Approved', spam: 'Spam', trash: 'Trash' }

export const badge = (status: CommentStatus) => html`<span class="badge ${status}">${statusLabels[status]}</span>`

/** The four decisions, with their keys; each comment is offered those that change its status. */
const decisions: { to: CommentStatus; key: string; label: (from: CommentStatus) => string }[] = [
  { to: 'approved', key: 'a', label: (from) => (from === 'spam' ? 'Not spam' : 'Approve') },
  { to: 'pending', key: 'h', label: (from) => (from === 'approved' ? 'Unapprove' : from === 'trash' ? 'Restore' : 'Hold') },
  { to: 'spam', key: 's', label: () => 'Spam' },
  { to: 'trash', key: 't', label: () => 'Trash' },
]

/** Submit buttons that post `status` to the comment's own action (inside any form carrying the CSRF field). */
export function statusButtons(id: number, current: CommentStatus): SafeHtml[] {
  return decisions
    .filter((d) => d.to !== current)
    .map(
      (d) =>
        html`<button class="btn${d.to === 'approved' ? ' btn-primary' : d.to === 'spam' || d.to === 'trash' ? ' btn-danger' : ''}" type="submit" formaction="/admin/comments/${id}/status" name="status" value="${d.to}" data-key="${d.key}" title="${d.label(current)} (${d.key})">${d.label(current)}</button>`,
    )
}

/** Feature or unfeature an approved comment (key `f`); an editor's pick keeps its mark while it is not approved. */
export function featureButton(id: number, status: CommentStatus, featured: boolean): SafeHtml | '' {
  if (status !== 'approved' && !featured) return ''
  return html`<button class="btn" type="submit" formaction="/admin/comments/${id}/feature" name="featured" value="${featured ? '0' : '1'}" data-key="f" title="${featured ? 'Unfeature' : 'Feature'} (f)">${featured ? 'Unfeature' : 'Feature'}</button>`
}

export const featuredBadge = html`<span class="badge featured">Featured</span>`

/** For a reported comment: keep it as it is, dismissing its reports. */
export function keepButton(id: number, reports: number): SafeHtml | '' {
  if (reports === 0) return ''
  return html`<button class="btn" type="submit" formaction="/admin/comments/${id}/keep" title="Dismiss the reports and keep the comment as it is">Keep</button>`
}

/** The same decisions for every ticked comment at once. */
export function bulkButtons(): SafeHtml[] {
  return decisions.map(
    (d) =>
      html`<button class="btn" type="submit" formaction="/admin/comments/bulk" name="status" value="${d.to}" data-bulk-key="${d.key}">${d.label('pending')}</button>`,
  )
}

/** The message of a field's error, and the attributes that tie it to its input. */
export function fieldError(errors: FieldError[], field: string): { attrs: SafeHtml; message: SafeHtml | '' } {
  const error = errors.find((e) => e.field === field || e.field.startsWith(`${field}.`))
  if (!error) return { attrs: html``, message: '' }
  const id = `error-${field.replace(/[^A-Za-z0-9]/g, '-')}`
  return {
    attrs: html` aria-invalid="true" aria-describedby="${id}"`,
    message: html`<p class="error-text" id="${id}">${error.message}</p>`,
  }
}
