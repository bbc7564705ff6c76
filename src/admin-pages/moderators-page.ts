import type { FieldError } from '../errors.js'
import type { ModeratorView } from '../auth/moderator-store.js'
import { html, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { fieldError } from './comment-parts.js'

export interface ModeratorsView {
  session: LayoutSession
  moderators: ModeratorView[]
  notice?: { text: string; error?: boolean } | undefined
  /** A form that failed: which one (an id, or "new"), its errors and what was typed. */
  failed?: { form: number | 'new'; errors: FieldError[]; typed: Record<string, string> }
  status?: number
}

const roleSelect = (id: string, role: string) => html`<select id="${id}" name="role">
<option value="moderator"${role === 'moderator' ? html` selected` : ''}>Moderator</option>
<option value="admin"${role === 'admin' ? html` selected` : ''}>Admin</option></select>`

function card(moderator: ModeratorView, view: ModeratorsView): SafeHtml {
  const failed = view.failed?.form === moderator.id ? view.failed : undefined
  const errors = failed?.errors ?? []
  const email = fieldError(errors, 'email')
  const name = fieldError(errors, 'name')
  const password = fieldError(errors, 'password')
  const role = fieldError(errors, 'role')
  const p = `mod-${moderator.id}`
  return html`<form class="panel pad" method="post" action="/admin/moderators/${moderator.id}" id="${p}">${csrfField(view.session)}
<div class="card-head"><strong>${moderator.name}</strong><span class="meta">${moderator.email}</span>${moderator.disabled ? html`<span class="badge spam">disabled</span>` : ''}${moderator.role === 'admin' ? html`<span class="badge">admin</span>` : ''}</div>
<div class="inline">
<div class="field"><label for="${p}-email">Email</label><input id="${p}-email" name="email" type="email" value="${failed?.typed.email ?? moderator.email}"${email.attrs}>${email.message}</div>
<div class="field"><label for="${p}-name">Name</label><input id="${p}-name" name="name" value="${failed?.typed.name ?? moderator.name}"${name.attrs}>${name.message}</div>
<div class="field"><label for="${p}-role">Role</label>${roleSelect(`${p}-role`, failed?.typed.role ?? moderator.role)}${role.message}</div>
<div class="field"><label for="${p}-password">New password</label><input id="${p}-password" name="password" type="password" autocomplete="new-password" placeholder="unchanged"${password.attrs}>${password.message}</div>
<div class="check"><input type="checkbox" id="${p}-disabled" name="disabled" value="on"${moderator.disabled ? html` checked` : ''}><label for="${p}-disabled">Disabled</label></div>
<button class="btn" type="submit">Save</button>
</div></form>`
}

function addForm(view: ModeratorsView): SafeHtml {
  const failed = view.failed?.form === 'new' ? view.failed : undefined
  const errors = failed?.errors ?? []
  const typed = failed?.typed ?? {}
  const email = fieldError(errors, 'email')
  const name = fieldError(errors, 'name')
  const password = fieldError(errors, 'password')
  return html`<form class="panel pad" method="post" action="/admin/moderators" id="mod-new">${csrfField(view.session)}
<h2>Add a moderator</h2>
<div class="inline">
<div class="field"><label for="new-email">Email</label><input id="new-email" name="email" type="email" required value="${typed.email ?? ''}"${email.attrs}>${email.message}</div>
<div class="field"><label for="new-name">Name</label><input id="new-name" name="name" required value="${typed.name ?? ''}"${name.attrs}>${name.message}</div>
<div class="field"><label for="new-role">Role</label>${roleSelect('new-role', typed.role ?? 'moderator')}</div>
<div class="field"><label for="new-password">Password</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="8"${password.attrs}>${password.message}</div>
<button class="btn btn-primary" type="submit">Add</button>
</div></form>`
}

/** Every account: rename, change role, disable, set a new password; and a form to add one. */
export function moderatorsPage(view: ModeratorsView): Response {
  const body = html`<p class="meta">A new password or disabling an account signs that person out everywhere. The last active admin can be neither demoted nor disabled.</p>
<div class="cards">${view.moderators.map((m) => card(m, view))}</div>
${addForm(view)}`
  return adminPage({
    title: 'Moderators',
    session: view.session,
    active: 'moderators',
    body,
    notice: view.notice,
    status: view.status ?? 200,
  })
}
