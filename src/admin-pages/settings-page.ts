import type { FieldError } from '../errors.js'
import type { Settings } from '../settings/settings-schema.js'
import { html, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { fieldError } from './comment-parts.js'
import { SETTING_GROUPS, formValue, type SettingField } from './settings-form.js'

export interface SettingsView {
  session: LayoutSession
  /** The stored settings, or what was typed when it did not validate. */
  values: Settings
  /** Raw text of fields that did not parse, shown back as typed. */
  typed?: Record<string, string>
  /** Boxes as they were ticked on a form that did not validate. */
  ticked?: Record<string, boolean>
  errors?: FieldError[]
  notice?: { text: string; error?: boolean } | undefined
  status?: number
}

/** One setting as a row: its label on the left, as on WordPress's Discussion screen, the control and its help on the right. */
function row(label: SafeHtml, control: SafeHtml): SafeHtml {
  return html`<div class="row">${label}<div class="control">${control}</div></div>`
}

function input(field: SettingField, view: SettingsView): SafeHtml {
  const id = `setting-${field.key}`
  const error = fieldError(view.errors ?? [], field.key)
  const value = view.typed?.[field.key] ?? formValue(field, view.values)
  const help = field.help ? html`<p class="meta">${field.help}</p>` : ''
  const label = html`<label for="${id}">${field.label}</label>`
  if (field.kind === 'boolean') {
    return row(
      html`<span></span>`,
      html`<div class="check"><input type="checkbox" id="${id}" name="${field.key}" value="on"${(view.ticked?.[field.key] ?? view.values[field.key]) ? html` checked` : ''}>${label}</div>`,
    )
  }
  if (field.kind === 'choice') {
    const options = (field.choices ?? []).map(
      (choice) => html`<option value="${choice.value}"${choice.value === value ? html` selected` : ''}>${choice.label}</option>`,
    )
    return row(label, html`<select id="${id}" name="${field.key}"${error.attrs}>${options}</select>${error.message}`)
  }
  if (field.kind === 'text' || field.kind === 'text-or-empty') {
    const max = field.kind === 'text' ? 200 : 2000
    return row(
      label,
      html`<input id="${id}" name="${field.key}" value="${value}" size="40" maxlength="${max}"${error.attrs}>${error.message}${help}`,
    )
  }
  if (field.kind === 'lines') {
    return row(label, html`<textarea id="${id}" name="${field.key}" rows="3"${error.attrs}>${value}</textarea>${error.message}${help}`)
  }
  return row(
    label,
    html`<input id="${id}" name="${field.key}" inputmode="numeric" value="${value}" size="10"${error.attrs}>${error.message}${help}`,
  )
}

function filterWebhook(view: SettingsView): SafeHtml {
  const hook = view.values.filterWebhook
  const url = fieldError(view.errors ?? [], 'filterWebhook.url')
  const timeout = fieldError(view.errors ?? [], 'filterWebhook.timeoutMs')
  const email = view.ticked?.['filterWebhook.includeEmail'] ?? hook?.includeEmail
  return html`<fieldset><legend>Your own spam filter</legend>
${row(html`<label for="hook-url">Filter URL</label>`, html`<input id="hook-url" name="filterWebhook.url" type="url" size="40" value="${view.typed?.['filterWebhook.url'] ?? hook?.url ?? ''}"${url.attrs}>${url.message}<p class="meta">Parley posts each new comment to this URL, signed, and follows its verdict. Empty: none.</p>`)}
${row(html`<label for="hook-timeout">Timeout (ms)</label>`, html`<input id="hook-timeout" name="filterWebhook.timeoutMs" inputmode="numeric" size="10" value="${view.typed?.['filterWebhook.timeoutMs'] ?? hook?.timeoutMs ?? ''}" placeholder="2000"${timeout.attrs}>${timeout.message}`)}
${row(html`<span></span>`, html`<div class="check"><input type="checkbox" id="hook-email" name="filterWebhook.includeEmail" value="on"${email ? html` checked` : ''}><label for="hook-email">Send the commenter's email address</label></div>`)}
</fieldset>`
}

/** The site's settings (API.md, Settings) as one form, with each field's error beside it. */
export function settingsPage(view: SettingsView): Response {
  const groups = SETTING_GROUPS.map(
    (group) => html`<fieldset><legend>${group.legend}</legend>${group.fields.map((f) => input(f, view))}</fieldset>`,
  )
  const body = html`${view.errors?.length ? html`<p class="notice error" role="alert">Nothing was saved: please correct the ${view.errors.length === 1 ? 'field' : 'fields'} marked below.</p>` : ''}
<form class="panel pad" method="post" action="/admin/settings">${csrfField(view.session)}
${groups}${filterWebhook(view)}
<button class="btn btn-primary" type="submit">Save settings</button>
</form>`
  return adminPage({ title: 'Settings', session: view.session, active: 'settings', body, notice: view.notice, status: view.status ?? 200 })
}
