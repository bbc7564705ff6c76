import type { ModComment } from '../moderation/comment-for-moderators.js'
import type { QueueCounts } from '../moderation/moderation-queue.js'
import { html, safeHref, trusted, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { QUEUES, commentUrl, queueUrl, type Queue, type QueueFilter } from './admin-urls.js'
import { badge, bulkButtons, featureButton, featuredBadge, keepButton, reasonInWords, statusButtons, when } from './comment-parts.js'
import { verifiedBadge } from './commenter-page.js'
import { initialAvatar } from '../fragments/avatar-html.js'

export interface QueueView {
  session: LayoutSession
  filter: QueueFilter
  comments: ModComment[]
  counts: QueueCounts
  nextCursor: string | null
  /** This is not the first page. */
  paged: boolean
  /** `?tick=all`: every box ticked, the select-all of pages without JavaScript. */
  tickAll: boolean
  notice?: string | undefined
  /** The notice's Undo. */
  undo?: SafeHtml | undefined
  /** This page's own URL, where actions come back to. */
  self: string
}

const queueNames: Record<Queue, string> = { pending: 'Pending', approved: 'Approved', reported: 'Reported', spam: 'Spam', trash: 'Trash' }

function tabs(filter: QueueFilter, counts: QueueCounts): SafeHtml {
  const items = QUEUES.map(
    (queue) =>
      html`<li><a href="${queueUrl({ ...filter, queue })}"${queue === filter.queue ? html` aria-current="page"` : ''}>${queueNames[queue]}<span class="count">${counts[queue]}</span></a></li>`,
  )
  return html`<ul class="tabs" aria-label="Queues">${items}</ul>`
}

function filters(filter: QueueFilter): SafeHtml {
  return html`<form class="filters" method="get" action="/admin" role="search">
${filter.queue === 'pending' ? '' : html`<input type="hidden" name="queue" value="${filter.queue}">`}${filter.limit ? html`<input type="hidden" name="limit" value="${filter.limit}">` : ''}${filter.newest ? html`<input type="hidden" name="order" value="newest">` : ''}
<label class="meta" for="filter-article">Article</label><input id="filter-article" name="article" value="${filter.article ?? ''}" placeholder="article key" size="14">
<label class="meta" for="filter-q">Search</label><input id="filter-q" type="search" name="q" value="${filter.q ?? ''}" placeholder="text or name" size="18">
<button class="btn" type="submit">Filter</button>
${filter.article || filter.q ? html`<a href="${queueUrl({ queue: filter.queue })}">Clear</a>` : ''}
</form>
<nav class="sort" aria-label="Sort"><a href="${queueUrl({ ...filter, newest: false })}"${filter.newest ? '' : html` aria-current="true"`}>Oldest first</a> <a href="${queueUrl({ ...filter, newest: true })}"${filter.newest ? html` aria-current="true"` : ''}>Newest first</a></nav>`
}

function authorCell(comment: ModComment): SafeHtml {
  const site = safeHref(comment.author.url)
  // Parley's own avatar: the dashboard's CSP loads no image from elsewhere (a signed-in reader's picture neither).
  return html`${initialAvatar(comment.author)}<strong>${comment.author.name}</strong>${comment.author.moderator ? html` <span class="badge">moderator</span>` : ''}${comment.author.verified ? html` ${verifiedBadge}` : ''}
${site ? html`<br><a href="${site}" rel="nofollow noopener">${site.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>` : ''}
${comment.email ? html`<br><a href="mailto:${comment.email}">${comment.email}</a>` : ''}
${comment.ip ? html`<br><span class="meta">${comment.ip}</span>` : ''}`
}

function row(comment: ModComment, view: QueueView): SafeHtml {
  const held = comment.checks.filter((check) => check.verdict !== 'approve')
  // An article registered by the plain form has no title: its address, else its key, says which it is.
  const articleName = comment.article.title ?? comment.article.url?.replace(/^https?:\/\//, '') ?? `article ${comment.article.key}`
  return html`<tr data-row tabindex="-1" id="comment-${comment.id}">
<td class="pick"><input type="checkbox" name="ids" value="${comment.id}" aria-label="Select the comment by ${comment.author.name}"${view.tickAll ? html` checked` : ''}></td>
<td class="author">${authorCell(comment)}</td>
<td class="comment">
<div class="meta">${badge(comment.status)}${comment.featured ? html` ${featuredBadge}` : ''} On <a href="${queueUrl({ ...view.filter, article: comment.article.key })}">${articleName}</a> · ${when(comment.createdAt)}${comment.parentId ? html` · in reply to <a href="${commentUrl(comment.parentId, view.self)}">#${comment.parentId}</a>` : ''}</div>
<div class="body">${trusted(comment.html)}</div>
${held.map((check) => html`<p class="flag ${check.verdict}">${check.verdict === 'spam' ? 'Spam' : 'Held'} by ${check.filter}: ${check.reason}</p>`)}
${comment.reports.length ? html`<p class="flag report">Reported ${comment.reports.length === 1 ? 'once' : `${comment.reports.length} times`}: ${comment.reports.map((r) => reasonInWords(r.reason)).join(', ')}</p>` : ''}
<div class="actions">${keepButton(comment.id, comment.reports.length)}${statusButtons(comment.id, comment.status)}${featureButton(comment.id, comment.status, comment.featured)}<a class="btn" href="${commentUrl(comment.id, view.self)}" data-open>Details</a></div>
${inlineForms(comment, view)}
</td>
</tr>`
}

/**
 * Reply and quick edit inside the row: native disclosures (no script needed to open them), whose
 * fields belong to forms outside the bulk form (forms cannot nest; `outsideForms` renders them).
 * With the script, a submit stays on the page (admin.js); without, it comes back to this queue.
 */
function inlineForms(comment: ModComment, view: QueueView): SafeHtml {
  const reply =
    comment.status === 'spam' || comment.status === 'trash'
      ? ''
      : html`<details class="inline-form"><summary>Reply</summary><label for="reply-${comment.id}">Reply as ${view.session.moderator.name}${comment.status === 'pending' ? ' (approves the comment)' : ''}</label>
<textarea id="reply-${comment.id}" name="body" rows="3" required form="reply-form-${comment.id}"></textarea>
<button class="btn btn-primary" type="submit" form="reply-form-${comment.id}">Reply</button></details>`
  return html`<div class="inline-forms">${reply}<details class="inline-form"><summary>Quick edit</summary><label for="edit-${comment.id}">Edit the text</label>
<textarea id="edit-${comment.id}" name="body" rows="5" required form="edit-form-${comment.id}">${comment.body}</textarea>
<button class="btn" type="submit" form="edit-form-${comment.id}">Save text</button></details></div>`
}

/** The forms the rows' reply and quick edit fields belong to. */
function outsideForms(view: QueueView): SafeHtml[] {
  return view.comments.map(
    (comment) =>
      html`<form id="reply-form-${comment.id}" method="post" action="/admin/comments/${comment.id}/reply" data-inline="replied" hidden>${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}"></form><form id="edit-form-${comment.id}" method="post" action="/admin/comments/${comment.id}/edit" data-inline="edited" hidden>${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}"></form>`,
  )
}

/** A queue: tabs with counts, filters, the comments with their actions, bulk actions and paging. */
export function queuePage(view: QueueView): Response {
  const { filter } = view
  const empty = html`<div class="panel empty">${filter.article || filter.q ? 'No comments match.' : `No ${queueNames[filter.queue].toLowerCase()} comments.`}</div>`
  const list = html`<form method="post" action="/admin/comments/bulk">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}">
<div class="toolbar"><span class="meta">With the ticked comments:</span>${bulkButtons()}<span class="grow"></span>
<a class="no-js" href="${queueUrl(filter, { tick: 'all' })}">Tick all</a></div>
<div class="panel"><table class="queue">
<thead><tr><th class="pick"><input type="checkbox" id="select-all" class="js-only" aria-label="Tick every comment on this page"></th><th>Author</th><th>Comment</th></tr></thead>
<tbody>${view.comments.map((comment) => row(comment, view))}</tbody>
</table></div></form>${outsideForms(view)}`
  const pager = html`<nav class="pager" aria-label="Pages">
${view.paged ? html`<a class="btn" href="${queueUrl(filter)}">First page</a>` : ''}
${view.nextCursor ? html`<a class="btn" href="${queueUrl(filter, { cursor: view.nextCursor })}" rel="next">Next page</a>` : ''}
</nav>`
  const body = html`${tabs(filter, view.counts)}
<div class="toolbar">${filters(filter)}</div>
${view.comments.length ? list : empty}
${pager}`
  return adminPage({
    title: `${queueNames[filter.queue]} comments`,
    session: view.session,
    active: 'comments',
    body,
    notice: view.notice ? { text: view.notice, action: view.undo } : undefined,
  })
}
