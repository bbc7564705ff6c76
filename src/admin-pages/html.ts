import { escapeHtml } from '../pages/html-page.js'

/** Markup known to be safe: built by `html`, or the sanitizer's stored HTML passed through `trusted`. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | HtmlValue[]

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

/**
 * A template in which every interpolated value is escaped unless it is `SafeHtml` already, so a
 * forgotten escape cannot happen: pages are built only from these. Attribute values must be quoted.
 *
 * @example
 * html`<p title="${name}">${comment.authorName}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return new SafeHtml(out)
}

/** HTML made by Parley's sanitizer when the comment was written (DESIGN.md, Rendering). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/** An http(s) URL for an `href`, or nothing: stored URLs are checked on write, and checked again here. */
export function safeHref(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined
}
