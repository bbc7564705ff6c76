import type { ListedArticle } from '../moderation/moderated-articles.js'
import { html, safeHref } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { queueUrl } from './admin-urls.js'

export interface ArticlesView {
  session: LayoutSession
  articles: (ListedArticle & { closedByAge: boolean })[]
  nextCursor: string | null
  paged: boolean
  notice?: string | undefined
  self: string
}

/** Every article with its counts, and a button that closes or reopens its comments. */
export function articlesPage(view: ArticlesView): Response {
  const rows = view.articles.map((article) => {
    const url = safeHref(article.url)
    const name = article.title ?? article.key
    const state = !article.open ? 'Closed' : article.closedByAge ? 'Closed (old article)' : 'Open'
    const held = article.moderation === 'hold'
    return html`<tr>
<td>${url ? html`<a href="${url}">${name}</a>` : name}<div class="meta">${article.key}</div></td>
<td><a href="${queueUrl({ queue: 'approved', article: article.key })}">${article.commentCount}</a></td>
<td><a href="${queueUrl({ queue: 'pending', article: article.key })}">${article.pendingCount}</a></td>
<td>${state}${held ? html`<div class="meta">Every comment held</div>` : ''}</td>
<td><form method="post" action="/admin/articles/state">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}">
<input type="hidden" name="key" value="${article.key}"><input type="hidden" name="open" value="${article.open ? 'false' : 'true'}">
<button class="btn" type="submit">${article.open ? 'Close comments' : 'Open comments'}</button></form>
<form method="post" action="/admin/articles/moderation">${csrfField(view.session)}<input type="hidden" name="back" value="${view.self}">
<input type="hidden" name="key" value="${article.key}"><input type="hidden" name="moderation" value="${held ? 'rules' : 'hold'}">
<button class="btn" type="submit" title="${held ? "Back to the site's rules" : "A sensitive story: a moderator reads every comment first, trusted commenters' too"}">${held ? 'Moderate by the rules' : 'Hold every comment'}</button></form></td>
</tr>`
  })
  const table = view.articles.length
    ? html`<div class="panel"><table><thead><tr><th>Article</th><th>Published</th><th>Pending</th><th>Status</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<div class="panel empty">No articles yet: an article appears with its first comment.</div>`
  const body = html`${table}
<nav class="pager" aria-label="Pages">${view.paged ? html`<a class="btn" href="/admin/articles">First page</a>` : ''}${view.nextCursor ? html`<a class="btn" rel="next" href="/admin/articles?cursor=${view.nextCursor}">Next page</a>` : ''}</nav>`
  return adminPage({
    title: 'Articles',
    session: view.session,
    active: 'articles',
    body,
    notice: view.notice ? { text: view.notice } : undefined,
  })
}
