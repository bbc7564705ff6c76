const encoder = new TextEncoder()

export function byteLength(text: string): number {
  return encoder.encode(text).length
}

/**
 * Invisible characters that make one name look like another or turn the text around it: bidi
 * embeddings, overrides, isolates and marks, zero-width space, word joiner, byte-order mark and
 * the Mongolian vowel separator. Zero-width (non-)joiners stay: emoji sequences and Persian,
 * Indic and Arabic spelling need them.
 */
const invisible = /[\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g

/**
 * What PostgreSQL and every reader can hold: no NUL or other control characters (a body keeps
 * its tabs and newlines), no lone surrogates. A single line (a name, a URL, a title) also loses
 * the invisible characters above.
 */
export function cleanText(value: string, { multiline }: { multiline: boolean }): string {
  const wellFormed = value.toWellFormed()
  return multiline
    ? wellFormed.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    : wellFormed.replace(/[\u0000-\u001F\u007F]/g, ' ').replace(invisible, '')
}
