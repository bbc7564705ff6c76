import type { FieldError } from '../errors.js'
import type { ModComment } from '../moderation/comment-for-moderators.js'
import type { ThreadEntry } from '../moderation/comment-details.js'
import { html, safeHref, trusted, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { commentUrl } from './admin-urls.js'
import { badge, featureButton, featuredBadge, fieldError, keepButton, reasonInWords, statusButtons, when } from './comment-parts.js'
import { verifiedBadge } from './commenter-page.js'
import { initialAvatar } from '../fragments/avatar-html.js'
import { ruleForm } from './bans-page.js'
import type { CommenterRuleKind } from '../db/schema.js'

export interface CommentView {
  session: LayoutSession
  comment: ModComment
  /** The text as written. */
  body: string
  thread: ThreadEntry[]
  /** The queue this comment was opened from. */
  from: string
  notice?: { text: string; error?: boolean; action?: SafeHtml | undefined } | undefined
  errors?: FieldError[]
  /** What was typed into a form that failed, to show it again. */
  typed?: { edit?: string; reply?: string }
  status?: number
}

function facts(comment: ModComment, from: string): SafeHtml {
  const site = safeHref(comment.author.url)
  const article = safeHref(comment.article.url)
  const history = `/admin/comments/${comment.id}/commenter?${new URLSearchParams({ from }).toString()}`
  return html`<dl class="facts">
<dt>Name</dt><dd>${initialAvatar(comment.author)}${comment.author.name}${comment.author.verified ? html` ${verifiedBadge}` : ''}</dd>
<dt>Email</dt><dd>${comment.email ? html`<a href="mailto:${comment.email}">${comment.email}</a>` : '—'}</dd>
<dt>Website</dt><dd>${site ? html`<a href="${site}" rel="nofollow noopener">${site}</a>` : '—'}</dd>
<dt>IP</dt><dd>${comment.ip ?? '—'}</dd>
<dt>User agent</dt><dd>${comment.userAgent ?? '—'}</dd>
<dt>Posted</dt><dd>${when(comment.createdAt)}</dd>
${comment.editedAt ? html`<dt>Edited</dt><dd>${when(comment.editedAt)}</dd>` : ''}
<dt>Article</dt><dd>${article ? html`<a href="${article}">${comment.article.title ?? comment.article.key}</a>` : (comment.article.title ?? comment.article.key)} <span class="meta">(${comment.article.key})</span></dd>
</dl>
<p><a href="${history}" data-key="c">All comments by this commenter</a></p>`
}

function checks(comment: ModComment): SafeHtml {
  if (comment.checks.length === 0) return html`<p class="meta">No spam checks ran (an import, or a moderator's reply).</p>`
  return html`<ul class="checks">${comment.checks.map((check) => html`<li><span class="verdict ${check.verdict}">${check.verdict}</span> <strong>${check.filter}</strong>${check.retry ? ' (to be retried)' : ''}<span class="meta">${check.reason}</span></li>`)}</ul>`
}

function reports(comment: ModComment): SafeHtml {
  if (comment.reports.length === 0) return html`<p class="meta">No open reports.</p>`
  return html`<ul>${comment.reports.map((r) => html`<li>${reasonInWords(r.reason)}, ${when(r.createdAt)}${r.note ? html`: “${r.note}”` : ''}</li>`)}</ul>`
}

function thread(view: CommentView): SafeHtml {
  const items = view.thread.map(
    (entry) => html`<li class="d${Math.min(entry.depth, 9)}${entry.id === view.comment.id ? ' current' : ''}">
<div class="meta">${entry.id === view.comment.id ? html`<strong>This comment</strong>` : html`<a href="${commentUrl(entry.id, view.from)}">#${entry.id}</a>`} · ${entry.authorName}${entry.byModerator ? ' (moderator)' : ''} · ${when(entry.createdAt)} ${entry.status === 'approved' ? '' : badge(entry.status)}</div>
<div class="body">${trusted(entry.html)}</div></li>`,
  )
  return html`<ol class="thread">${items}</ol>`
}

function editForm(view: CommentView, self: string): SafeHtml {
  const error = fieldError(view.errors ?? [], 'body')
  return html`<form method="post" action="/admin/comments/${view.comment.id}/edit">${csrfField(view.session)}<input type="hidden" name="back" value="${self}">
<div class="field"><label for="edit-body">Edit the text</label><textarea id="edit-body" name="body" rows="6"${error.attrs}>${view.typed?.edit ?? view.body}</textarea>${error.message}</div>
<button class="btn" type="submit">Save text</button></form>`
}

function replyForm(view: CommentView, self: string): SafeHtml {
  if (view.comment.status === 'spam' || view.comment.status === 'trash')
    return html`<p class="meta">Spam and trashed comments cannot be answered.</p>`
  const error = fieldError(view.errors ?? [], 'reply')
  return html`<form method="post" action="/admin/comments/${view.comment.id}/reply">${csrfField(view.session)}<input type="hidden" name="back" value="${self}">
<div class="field"><label for="reply-body">Reply as ${view.session.moderator.name}</label><textarea id="reply-body" name="body" rows="4"${error.attrs}>${view.typed?.reply ?? ''}</textarea>${error.message}
<p class="meta">Published at once${view.comment.status === 'pending' ? '; the comment is approved first' : ''}.</p></div>
<button class="btn btn-primary" type="submit">Reply</button></form>`
}

/** What a moderator can ban or trust this comment's commenter by. */
function kindsOf(comment: ModComment): CommenterRuleKind[] {
  return [
    ...(comment.author.verified ? (['account'] as const) : []),
    ...(comment.email ? (['email'] as const) : []),
    ...(comment.ip ? (['ip', 'network'] as const) : []),
    ...(comment.email ? (['domain'] as const) : []),
  ]
}

/** A comment's details: who wrote it from where, what the checks said, reports, its thread, and every action. */
export function commentPage(view: CommentView): Response {
  const { comment } = view
  const self = commentUrl(comment.id, view.from)
  const body = html`<form class="actions panel pad page-actions" method="post" action="/admin/comments/${comment.id}/status" data-page-actions>${csrfField(view.session)}<input type="hidden" name="back" value="${self}">
${keepButton(comment.id, comment.reports.length)}${statusButtons(comment.id, comment.status)}${featureButton(comment.id, comment.status, comment.featured)}<a class="btn btn-danger" href="/admin/comments/${comment.id}/delete?${new URLSearchParams({ from: view.from }).toString()}">Delete permanently…</a></form>
<div class="columns">
<div class="stack">
<section class="panel pad"><h2>Comment</h2><div class="body">${trusted(comment.html)}</div></section>
<section class="panel"><h2 class="pad">Thread</h2>${thread(view)}</section>
<section class="panel pad">${replyForm(view, self)}</section>
<section class="panel pad">${editForm(view, self)}</section>
</div>
<div class="stack">
<section class="panel pad"><h2>Author</h2>${facts(comment, view.from)}</section>
<section class="panel pad"><h2>Checks</h2>${checks(comment)}</section>
<section class="panel pad"><h2>Reports</h2>${reports(comment)}</section>
<section class="panel pad"><h2>Ban or trust the commenter</h2>${ruleForm(view.session, comment.id, kindsOf(comment), self)}</section>
</div>
</div>`
  return adminPage({
    title: `Comment #${comment.id}`,
    heading: html`Comment #${comment.id} ${badge(comment.status)}${comment.featured ? html` ${featuredBadge}` : ''}`,
    lead: html`<p class="lead"><a href="${view.from}" data-key="u">← Back to the list</a></p>`,
    session: view.session,
    active: 'comments',
    body,
    notice: view.notice,
    status: view.status ?? 200,
  })
}

/** The confirm step before a permanent delete. */
export function deleteConfirmPage(session: LayoutSession, comment: ModComment, from: string): Response {
  const body = html`<div class="panel pad"><p>By <strong>${comment.author.name}</strong>, ${when(comment.createdAt)}:</p><div class="body">${trusted(comment.html)}</div>
<p>This cannot be undone. Its replies stay, moved up to its parent. To keep it out of sight instead, move it to the trash.</p>
<form class="actions" method="post" action="/admin/comments/${comment.id}/delete">${csrfField(session)}<input type="hidden" name="back" value="${from}">
<button class="btn btn-danger" type="submit">Delete permanently</button><a class="btn" href="${commentUrl(comment.id, from)}">Cancel</a></form></div>`
  return adminPage({
    title: `Delete comment #${comment.id}`,
    heading: `Delete comment #${comment.id} permanently?`,
    session,
    active: 'comments',
    body,
  })
}
