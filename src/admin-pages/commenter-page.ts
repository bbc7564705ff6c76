import type { CommenterHistory } from '../moderation/commenter-history.js'
import { html, trusted, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { commentUrl } from './admin-urls.js'
import { badge, statusButtons, when } from './comment-parts.js'
import { ruleForm, rulesInForce } from './bans-page.js'

export interface CommenterView {
  session: LayoutSession
  /** The comment the page was opened from. */
  commentId: number
  history: CommenterHistory
  /** The list the comment was opened from, for its Back link. */
  from: string
  /** This page, with its cursor: where actions come back to. */
  self: string
  nextUrl: string | null
  notice?: string | undefined
}

const matchedWords = {
  account: 'Signed in with the site: every comment of the account',
  email: 'A guest: every comment with the same email address',
  comment: 'No account and no email address: this comment alone',
} as const

/** The marks a signed-in commenter's comments carry in the dashboard. */
export const verifiedBadge = html`<span class="badge verified" title="Signed in with the site's account">✓ signed in</span>`

function summary(history: CommenterHistory): SafeHtml {
  const { commenter } = history
  const { counts } = commenter
  return html`<dl class="facts">
<dt>Found by</dt><dd>${matchedWords[commenter.matchedBy]}</dd>
<dt>Comments</dt><dd>${counts.approved} approved · ${counts.pending} pending · ${counts.spam} spam · ${counts.trash} trash</dd>
<dt>First</dt><dd>${when(commenter.firstCommentAt)}</dd>
<dt>Last</dt><dd>${when(commenter.lastCommentAt)}</dd>
</dl>`
}

/** Moderators' private notes on the commenter, and a form to add one. */
function notes(view: CommenterView): SafeHtml {
  const { commenter } = view.history
  if (commenter.matchedBy === 'comment')
    return html`<h2>Notes</h2><p class="meta">No email and no account: no note can follow this commenter.</p>`
  const list = commenter.notes.map(
    (note) => html`<li><p>${note.body}</p><span class="meta">${note.by?.name ?? 'A former moderator'}, ${when(note.createdAt)}</span>
<form class="inline" method="post" action="/admin/notes/${note.id}/delete">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}"><button class="btn btn-small" type="submit" aria-label="Remove the note of ${note.createdAt.slice(0, 16).replace('T', ' ')}">Remove</button></form></li>`,
  )
  return html`<h2>Notes</h2>${list.length ? html`<ul class="notes">${list}</ul>` : html`<p class="meta">No notes yet.</p>`}
<form method="post" action="/admin/comments/${view.commentId}/notes">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}">
<div class="field"><label for="note-body">Add a private note</label><textarea id="note-body" name="body" rows="3" maxlength="2000" required></textarea>
<p class="meta">Moderators only: readers never see it.</p></div><button class="btn" type="submit">Add note</button></form>`
}

/** One commenter's comments, newest first, each with its decisions. */
export function commenterPage(view: CommenterView): Response {
  const { history } = view
  const rows = history.comments.map(
    (comment) => html`<tr id="comment-${comment.id}">
<td class="comment"><div class="meta">${badge(comment.status)} <a href="${commentUrl(comment.id, view.self)}">#${comment.id}</a> as ${comment.author.name} on ${comment.article.title ?? comment.article.key} · ${when(comment.createdAt)}</div>
<div class="body">${trusted(comment.html)}</div>
<div class="actions">${statusButtons(comment.id, comment.status)}</div></td></tr>`,
  )
  const body = html`<div class="columns"><section class="panel pad">${summary(history)}</section>
<section class="panel pad"><h2>Ban or trust</h2>${rulesInForce(view.session, history.commenter.rules, view.self)}${ruleForm(view.session, view.commentId, history.commenter.kinds, view.self)}</section>
<section class="panel pad">${notes(view)}</section></div>
<form method="post" action="/admin/comments/bulk">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}">
<div class="panel"><table class="queue"><thead><tr><th>Comment</th></tr></thead><tbody>${rows}</tbody></table></div></form>
${view.nextUrl ? html`<nav class="pager" aria-label="Pages"><a class="btn" href="${view.nextUrl}" rel="next">Older comments</a></nav>` : ''}`
  const name = history.commenter.name
  return adminPage({
    title: `Comments by ${name}`,
    heading: html`Comments by ${name}${history.commenter.verified ? html` ${verifiedBadge}` : ''}`,
    lead: html`<p class="lead"><a href="${commentUrl(view.commentId, view.from)}" data-key="u">← Back to comment #${view.commentId}</a></p>`,
    session: view.session,
    active: 'comments',
    body,
    notice: view.notice ? { text: view.notice } : undefined,
  })
}
