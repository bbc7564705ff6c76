/**
 * The one way Parley writes HTML (issue 15 §6): every server-rendered page — the dashboard, the
 * demo, the API docs, the comment form's answers — is built from the `html` template below, which
 * escapes every value it is given. Nothing else escapes by hand, so nothing can forget to:
 * scripts/check-layers.ts fails on `escapeHtml` anywhere but here, and on markup built by plain
 * string templates or `+`.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

// Not exported: pages go through `html`, which calls this for every value that is not SafeHtml.
// Quotes are escaped too, so a value is safe in text and in a quoted attribute alike.
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char)
}

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

/** The values one after another, `separator` (escaped like any value) between each two: a list's `.join`. */
export function joinHtml(values: HtmlValue[], separator: HtmlValue): SafeHtml {
  return new SafeHtml(values.map(render).join(render(separator)))
}

/** HTML made by Parley's sanitizer when the comment was written (DESIGN.md, Rendering). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/**
 * A stylesheet from Parley's own code, for a `<style>` element. Its text is CSS, not HTML (a `>`
 * in a selector must stay one), so it is not escaped; it must only not end the element early.
 */
export function styleSheet(css: string): SafeHtml {
  if (/<\/style/i.test(css)) throw new Error('A stylesheet may not contain "</style".')
  return new SafeHtml(css)
}

/** An http(s) URL for an `href`, or nothing: stored URLs are checked on write, and checked again here. */
export function safeHref(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined
}
