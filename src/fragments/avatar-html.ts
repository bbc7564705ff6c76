import { html, safeHref, type SafeHtml } from '../pages/html.js'
import { avatarColors, avatarIndex } from '../widget/avatar-palette.js'

function initial(name: string): string {
  return (Array.from(name.trim())[0] ?? '?').toUpperCase()
}

/**
 * Parley's own avatar (no Gravatar: no reader's address leaves): an initial on the commenter's
 * colour, an inline SVG that needs no CSS; or a signed-in reader's picture (https only, checked
 * when stored and again here).
 */
export function avatarHtml(author: { name: string; avatar: number | null; avatarUrl: string | null }): SafeHtml {
  const url = author.avatarUrl?.startsWith('https://') ? safeHref(author.avatarUrl) : undefined
  if (url)
    return html`<img alt="" src="${url}" class="avatar avatar-32 photo" width="32" height="32" loading="lazy" decoding="async" referrerpolicy="no-referrer">`
  const color = avatarColors[avatarIndex(author.avatar)]
  return html`<svg class="avatar avatar-32 photo" width="32" height="32" viewBox="0 0 2 2" aria-hidden="true"><circle cx="1" cy="1" r="1" fill="${color}"/><text x="1" y="1.35" font-size="1" text-anchor="middle" fill="#fff">${initial(author.name)}</text></svg>`
}

/**
 * The dashboard's avatar: the initial on the commenter's colour as a plain element (the classes
 * `av0`…`av7` in admin.css carry the palette), no SVG, no image: its pages load nothing from elsewhere.
 */
export function initialAvatar(author: { name: string; avatar: number | null }): SafeHtml {
  return html`<span class="avatar av${avatarIndex(author.avatar)}" aria-hidden="true">${initial(author.name)}</span>`
}
