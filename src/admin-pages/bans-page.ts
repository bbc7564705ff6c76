import type { CommenterRuleKind } from '../db/schema.js'
import type { RuleView } from '../moderation/commenter-rules.js'
import type { MatchedRule } from '../comments/commenter-rule-match.js'
import type { FieldError } from '../errors.js'
import { html, type SafeHtml } from '../pages/html.js'
import { adminPage, csrfField, type LayoutSession } from './layout.js'
import { fieldError, when } from './comment-parts.js'

export const kindWords: Record<CommenterRuleKind, string> = {
  email: 'email address',
  account: 'signed-in account',
  ip: 'IP address',
  network: 'network (IPv4 /24, IPv6 /64)',
  domain: 'email domain',
}

/** How long a ban or trust lasts, as the forms offer it (days; empty: until removed). */
const DURATIONS: [string, string][] = [
  ['', 'until removed'],
  ['1', 'for a day'],
  ['7', 'for a week'],
  ['30', 'for 30 days'],
  ['365', 'for a year'],
]

const durationSelect = (id: string) =>
  html`<label class="meta" for="${id}">Lasts</label><select id="${id}" name="days">${DURATIONS.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>`

/**
 * Ban or trust the commenter of one comment, by what the comment has (its account, email, address,
 * network, domain): on the comment's page and the commenter's. Posts to /admin/comments/{id}/rules.
 */
export function ruleForm(session: LayoutSession, commentId: number, kinds: readonly CommenterRuleKind[], back: string): SafeHtml {
  if (kinds.length === 0)
    return html`<p class="meta">This comment has nothing to ban or trust by (imported without an address, its IP purged).</p>`
  return html`<form method="post" action="/admin/comments/${commentId}/rules" class="stack-sm">${csrfField(session)}<input type="hidden" name="back" value="${back}">
<div class="field"><label for="rule-kind-${commentId}">By</label><select id="rule-kind-${commentId}" name="kind">${kinds.map((kind) => html`<option value="${kind}">${kindWords[kind]}</option>`)}</select></div>
<div class="field"><label for="rule-reason-${commentId}">Reason (for moderators)</label><input id="rule-reason-${commentId}" name="reason" maxlength="500"></div>
<div class="field">${durationSelect(`rule-days-${commentId}`)}</div>
<button class="btn btn-danger" type="submit" name="action" value="ban" data-key="b">Ban commenter</button>
<button class="btn" type="submit" name="action" value="trust">Trust commenter</button>
<p class="meta">A ban refuses their comments or sends them to spam (Settings); trust skips moderation, not the spam filters.</p></form>`
}

/** The rules in force for a commenter, each with its Remove button. */
export function rulesInForce(session: LayoutSession, rules: readonly MatchedRule[], back: string): SafeHtml {
  if (rules.length === 0) return html`<p class="meta">Neither banned nor trusted.</p>`
  return html`<ul class="rules">${rules.map(
    (
      rule,
    ) => html`<li><span class="badge ${rule.action === 'ban' ? 'spam' : 'approved'}">${rule.action === 'ban' ? 'Banned' : 'Trusted'}</span> by ${kindWords[rule.kind]}${rule.reason ? html`: ${rule.reason}` : ''}
<form method="post" action="/admin/bans/${rule.id}/remove" class="inline">${csrfField(session)}<input type="hidden" name="back" value="${back}"><button class="btn" type="submit">Remove</button></form></li>`,
  )}</ul>`
}

export interface BansView {
  session: LayoutSession
  rules: RuleView[]
  now: Date
  notice?: { text: string; error?: boolean } | undefined
  errors?: FieldError[]
  typed?: Record<string, string>
  status?: number
}

function ruleRow(session: LayoutSession, rule: RuleView, now: Date): SafeHtml {
  const expired = rule.expiresAt !== null && new Date(rule.expiresAt) <= now
  return html`<tr><td><span class="badge ${rule.action === 'ban' ? 'spam' : 'approved'}">${rule.action === 'ban' ? 'Ban' : 'Trust'}</span></td>
<td>${kindWords[rule.kind]}</td><td>${rule.value ?? ''}${rule.label ? html` <span class="meta">(${rule.label})</span>` : ''}</td>
<td>${rule.reason ?? ''}</td><td>${rule.expiresAt ? html`${expired ? 'expired ' : 'until '}${when(rule.expiresAt)}` : 'until removed'}</td>
<td>${rule.createdBy?.name ?? ''} <span class="meta">${when(rule.createdAt)}</span></td>
<td><form method="post" action="/admin/bans/${rule.id}/remove">${csrfField(session)}<input type="hidden" name="back" value="/admin/bans"><button class="btn" type="submit">Remove</button></form></td></tr>`
}

/** Every ban and trust, removable, and a form to ban or trust by email, address, network or domain. */
export function bansPage(view: BansView): Response {
  const typed = view.typed ?? {}
  const value = fieldError(view.errors ?? [], 'value')
  const table = view.rules.length
    ? html`<div class="panel"><table class="bans"><thead><tr><th>Rule</th><th>By</th><th>Matches</th><th>Reason</th><th>Lasts</th><th>Made by</th><th><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${view.rules.map((rule) => ruleRow(view.session, rule, view.now))}</tbody></table></div>`
    : html`<div class="panel empty">No one is banned or trusted.</div>`
  const kinds: CommenterRuleKind[] = ['email', 'ip', 'network', 'domain']
  const form = html`<form class="panel pad" method="post" action="/admin/bans">${csrfField(view.session)}
<h2>Ban or trust</h2>
<div class="field"><label for="ban-kind">By</label><select id="ban-kind" name="kind">${kinds.map((kind) => html`<option value="${kind}"${typed.kind === kind ? html` selected` : ''}>${kindWords[kind]}</option>`)}</select></div>
<div class="field"><label for="ban-value">Email, address, network or domain</label><input id="ban-value" name="value" maxlength="320" required value="${typed.value ?? ''}"${value.attrs}>${value.message}</div>
<div class="field"><label for="ban-reason">Reason (for moderators)</label><input id="ban-reason" name="reason" maxlength="500" value="${typed.reason ?? ''}"></div>
<div class="field">${durationSelect('ban-days')}</div>
<button class="btn btn-danger" type="submit" name="action" value="ban">Ban</button> <button class="btn" type="submit" name="action" value="trust">Trust</button>
<p class="meta">A signed-in account is banned or trusted from one of its comments.</p></form>`
  return adminPage({
    title: 'Bans and trust',
    session: view.session,
    active: 'bans',
    body: html`${table}${form}`,
    notice: view.notice,
    status: view.status ?? 200,
  })
}
