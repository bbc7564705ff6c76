/**
 * The languages Parley's readers see it in (issue 20): the widget, the plain form's pages, the
 * thread fragment and the emails. The moderators' dashboard and the API's own messages stay English.
 * Adding one: a catalog beside src/i18n/en.ts and src/widget/client/messages.js, and its code here.
 */
export const LANGUAGES = ['en', 'de', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

const known = new Set<string>(LANGUAGES)

/** The catalog for a BCP 47 tag: its primary language (`de-AT` is `de`), or undefined when none is shipped. */
export function languageOf(tag: string | null | undefined): Language | undefined {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? ''
  return known.has(primary) ? (primary as Language) : undefined
}

/**
 * The language an `Accept-Language` header prefers among those shipped (RFC 9110 §12.5.4: by
 * weight, then order; `q=0` refuses one), else `fallback` (the site's setting).
 */
export function negotiateLanguage(header: string | undefined, fallback: Language): Language {
  if (!header) return fallback
  let best: { language: Language; q: number } | undefined
  for (const [index, part] of header.split(',').slice(0, 20).entries()) {
    const [tag, ...params] = part.split(';')
    const language = languageOf(tag)
    if (!language) continue
    const weight = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((q) => q !== undefined)
    const q = weight === undefined ? 1 : Number(weight)
    // Earlier tags win ties: the header's order is the reader's.
    if (q > 0 && (!best || q > best.q)) best = { language, q: q - index * 1e-6 }
  }
  return best?.language ?? fallback
}
