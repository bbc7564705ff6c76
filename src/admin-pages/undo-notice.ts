import type { CommentStatus } from '../db/schema.js'
import type { StatusChange } from '../moderation/moderate-comment.js'
import { html, type SafeHtml } from '../pages/html.js'
import { csrfField, type LayoutSession } from './layout.js'

const STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'trash']
const isStatus = (value: string): value is CommentStatus => (STATUSES as readonly string[]).includes(value)

/**
 * What an action changed, carried in the notice's URL after its redirect (`?undo=`): the statuses
 * the comments had, each with its ids, and when (ms), `approved:12.13;pending:14@1796000000000` (the
 * status they went to is the notice's own `done`). Nothing is kept on the server: an Undo only asks
 * for what any moderator may do, and only comments no one has changed since that moment go back.
 */
export function encodeUndo(changes: StatusChange[]): string {
  const first = changes[0]
  if (!first) return ''
  const byFrom = new Map<CommentStatus, number[]>()
  for (const change of changes) byFrom.set(change.from, [...(byFrom.get(change.from) ?? []), change.id])
  return `${[...byFrom].map(([from, ids]) => `${from}:${ids.join('.')}`).join(';')}@${Date.parse(first.at)}`
}

/** The changes of `?undo=` to the status `to`; an unreadable one is none (the notice then offers no Undo). */
export function decodeUndo(text: string | undefined, to: string | undefined): StatusChange[] {
  if (!text || !to || !isStatus(to) || text.length > 8000) return []
  const [groups, ms] = text.split('@')
  const time = /^\d{1,15}$/.test(ms ?? '') ? new Date(Number(ms)) : undefined
  if (!groups || !time || Number.isNaN(time.getTime())) return []
  const at = time.toISOString()
  const changes: StatusChange[] = []
  for (const group of groups.split(';')) {
    const match = /^([a-z]+):(\d{1,10}(?:\.\d{1,10})*)$/.exec(group)
    if (!match?.[1] || !match[2] || !isStatus(match[1]) || match[1] === to) return []
    const from = match[1]
    for (const id of match[2].split('.')) {
      const n = Number(id)
      if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) return []
      changes.push({ id: n, from, to, at })
    }
  }
  return changes.length > 500 ? [] : changes
}

/** The notice's Undo: a form that posts the changes back (key `z`). */
export function undoForm(session: LayoutSession, changes: StatusChange[], back: string): SafeHtml | undefined {
  if (changes.length === 0 || !changes[0]) return undefined
  return html`<form class="undo" method="post" action="/admin/comments/undo">${csrfField(session)}<input type="hidden" name="back" value="${back}"><input type="hidden" name="to" value="${changes[0].to}"><input type="hidden" name="undo" value="${encodeUndo(changes)}"><button class="btn" type="submit" data-key="z" title="Undo (z)">Undo</button></form>`
}
