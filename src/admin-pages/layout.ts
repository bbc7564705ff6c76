import { htmlPage } from '../pages/html-page.js'
import type { ModeratorRow } from '../auth/moderator-store.js'
import { html, type HtmlValue, type SafeHtml } from '../pages/html.js'

export type Section = 'comments' | 'articles' | 'bans' | 'notifications' | 'settings' | 'moderators' | 'log'

/** What a signed-in page needs to know of its session: who, and the token its forms carry. */
export interface LayoutSession {
  moderator: Pick<ModeratorRow, 'name' | 'role'>
  csrf: string
}

const sections: { id: Section; href: string; label: string; adminOnly: boolean }[] = [
  { id: 'comments', href: '/admin', label: 'Comments', adminOnly: false },
  { id: 'articles', href: '/admin/articles', label: 'Articles', adminOnly: false },
  { id: 'bans', href: '/admin/bans', label: 'Bans', adminOnly: false },
  { id: 'notifications', href: '/admin/notifications', label: 'Notifications', adminOnly: false },
  { id: 'settings', href: '/admin/settings', label: 'Settings', adminOnly: true },
  { id: 'moderators', href: '/admin/moderators', label: 'Moderators', adminOnly: true },
  { id: 'log', href: '/admin/log', label: 'Audit log', adminOnly: true },
]

const SHORTCUTS: [string, string][] = [
  ['j / k', 'next / previous comment'],
  ['x', 'tick or untick the comment'],
  ['a', 'approve'],
  ['h', 'hold (back to pending)'],
  ['s', 'spam'],
  ['t', 'trash'],
  ['f', 'feature or unfeature (an approved comment)'],
  ['z', 'undo the last status change'],
  ['c', "the commenter's comments (on a comment's page)"],
  ['b', "ban or trust the commenter (on a comment's page)"],
  ['Enter / o', "open the comment's details"],
  ['u', 'back to the list'],
  ['?', 'show or hide these shortcuts'],
]

/** The hidden field every state-changing form carries. */
export const csrfField = (session: LayoutSession) => html`<input type="hidden" name="csrf" value="${session.csrf}">`

function header(session: LayoutSession, active: Section | undefined): SafeHtml {
  const links = sections
    .filter((s) => !s.adminOnly || session.moderator.role === 'admin')
    .map((s) => html`<a href="${s.href}"${s.id === active ? html` aria-current="page"` : ''}>${s.label}</a>`)
  return html`<header class="bar">
<a class="brand" href="/admin">Parley</a>
<nav aria-label="Sections">${links}</nav>
<form class="me" method="post" action="/admin/logout">${csrfField(session)}
<span>${session.moderator.name} <span class="role">${session.moderator.role}</span></span>
<button class="btn btn-bar" type="submit">Sign out</button></form>
</header>`
}

const help = html`<dialog id="shortcuts" aria-labelledby="shortcuts-title">
<h2 id="shortcuts-title">Keyboard shortcuts</h2>
<p class="meta">On a list, a, h, s and t act on the ticked comments, or on the selected one when none is ticked.</p>
<table>${SHORTCUTS.map(([keys, what]) => html`<tr><td>${keys.split(' / ').map((k, i) => html`${i ? ' / ' : ''}<kbd>${k}</kbd>`)}</td><td>${what}</td></tr>`)}</table>
<form method="dialog"><button class="btn" type="submit">Close</button></form>
</dialog>`

export interface AdminPageOptions {
  title: string
  /** The page's h1, when it is more than the title (a badge, say). */
  heading?: HtmlValue
  /** What comes before the h1: a way back. */
  lead?: SafeHtml
  session: LayoutSession
  active?: Section
  body: SafeHtml
  status?: number
  notice?: { text: string; error?: boolean; action?: SafeHtml | undefined } | undefined
}

/** A signed-in page: the section bar, the heading, a notice if any (below the heading, as WordPress has it), the body, and the keyboard script. */
export function adminPage(options: AdminPageOptions): Response {
  const notice = options.notice?.action
    ? html`<div class="notice"><span role="status">${options.notice.text}</span> ${options.notice.action}</div>`
    : options.notice
      ? html`<p class="notice${options.notice.error ? ' error' : ''}" role="${options.notice.error ? 'alert' : 'status'}">${options.notice.text}</p>`
      : ''
  const body = html`${header(options.session, options.active)}
<main id="main">
${options.lead ?? ''}<h1>${options.heading ?? options.title}</h1>
${notice}${options.body}
<p class="hint js-only">Press <kbd>?</kbd> for keyboard shortcuts.</p>
</main>
${help}`
  return htmlPage({
    title: `${options.title} · Parley`,
    body,
    stylesheets: ['/admin/admin.css'],
    scripts: ['/admin/admin.js'],
    status: options.status ?? 200,
  })
}

/** A page outside the signed-in layout (login), with the same look. */
export function plainPage(title: string, body: SafeHtml, status = 200): Response {
  return htmlPage({
    title: `${title} · Parley`,
    body: html`<main class="narrow">${body}</main>`,
    stylesheets: ['/admin/admin.css'],
    status,
  })
}

/** A short message: an error, a refusal. Signed-in visitors keep their navigation. */
export function messagePage(options: {
  status: number
  title: string
  message: string
  session?: LayoutSession | undefined
  link?: { href: string; text: string }
}): Response {
  const link = options.link ?? { href: '/admin', text: 'Back to the dashboard' }
  const body = html`<p>${options.message}</p><p><a href="${link.href}">${link.text}</a></p>`
  if (options.session)
    return adminPage({
      title: options.title,
      session: options.session,
      body: html`<div class="panel pad">${body}</div>`,
      status: options.status,
    })
  return plainPage(options.title, html`<h1>${options.title}</h1><div class="panel pad">${body}</div>`, options.status)
}
