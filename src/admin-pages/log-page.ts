import type { LogEntry } from '../audit/audit-log.js'
import { html } from '../pages/html.js'
import { adminPage, type LayoutSession } from './layout.js'
import { commentUrl } from './admin-urls.js'
import { when } from './comment-parts.js'
import { logDetail } from './log-detail.js'

export interface LogView {
  session: LayoutSession
  entries: LogEntry[]
  nextCursor: string | null
  paged: boolean
}

/** Who did what to which comment or setting, newest first. */
export function logPage(view: LogView): Response {
  const rows = view.entries.map(
    (entry) => html`<tr>
<td>${when(entry.at)}</td>
<td>${entry.moderator ? entry.moderator.name : html`<span class="meta">author or system</span>`}</td>
<td>${entry.action}</td>
<td>${entry.commentId ? html`<a href="${commentUrl(entry.commentId, '/admin/log')}">#${entry.commentId}</a>` : ''}</td>
<td>${entry.from ?? ''}${entry.from || entry.to ? ' → ' : ''}${entry.to ?? ''}</td>
<td>${entry.detail ? logDetail(entry.detail) : ''}</td>
</tr>`,
  )
  const table = view.entries.length
    ? html`<div class="panel"><table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Comment</th><th>From → to</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<div class="panel empty">Nothing has been done yet.</div>`
  const body = html`${table}
<nav class="pager" aria-label="Pages">${view.paged ? html`<a class="btn" href="/admin/log">Newest</a>` : ''}${view.nextCursor ? html`<a class="btn" rel="next" href="/admin/log?cursor=${view.nextCursor}">Older</a>` : ''}</nav>`
  return adminPage({ title: 'Audit log', session: view.session, active: 'log', body })
}
