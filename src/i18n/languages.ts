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
  for (const part of header.split(',').slice(0, 20)) {
    const [tag, ...params] = part.split(';')
    const language = languageOf(tag)
    if (!language) continue
    // A qvalue is 0 to 1 with at most three decimals; any other weight counts as none given (1).
    const weight = params.map((p) => /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(p)?.[1]).find((q) => q !== undefined)
    const q = weight === undefined ? 1 : Number(weight)
    // Strictly more only: of equal weights the earlier tag wins (the header's order is the reader's).
    if (q > 0 && (!best || q > best.q)) best = { language, q }
  }
  return best?.language ?? fallback
}
