import { html, type SafeHtml } from '../pages/html.js'

/** A field's name as words: `maxLinks` → "max links"; an id names what it points at (`parentId` → "parent"). */
function label(key: string): string {
  return key
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
}

/** A logged value as text: a change as "before → after", lists joined, nothing as "none". */
function text(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return 'none'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') return key.endsWith('Id') ? `#${value}` : String(value)
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.length ? value.map((item) => text(item)).join(', ') : 'none'
  if (typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 2 && 'from' in value && 'to' in value) return `${text(value.from, key)} → ${text(value.to, key)}`
    return entries.map(([name, inner]) => `${label(name)}: ${text(inner, name)}`).join('; ')
  }
  // What JSON leaves: nothing else can be in a logged detail.
  return typeof value === 'bigint' || typeof value === 'symbol' ? value.toString() : 'unknown'
}

/**
 * An audit entry's detail as moderators read it: one line per field, its name in words and its
 * value as text (`max links: 2 → 3`), never the stored JSON.
 *
 * @example
 * logDetail({ moderatorId: 4, emailChanged: true }) // <dl class="detail"><dt>moderator</dt><dd>#4</dd><dt>email changed</dt><dd>yes</dd></dl>
 */
export function logDetail(detail: Record<string, unknown>): SafeHtml {
  const rows = Object.entries(detail).map(([key, value]) => html`<dt>${label(key)}</dt><dd>${text(value, key)}</dd>`)
  return html`<dl class="detail">${rows}</dl>`
}
