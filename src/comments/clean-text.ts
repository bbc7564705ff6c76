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

/** U+FFFE and U+FFFF: noncharacters that XML cannot carry, so that a WXR export would drop them. */
const noncharacters = /[\uFFFE\uFFFF]/g

/**
 * Text as Parley stores it, whichever way it came (a submission, an edit, any import): what
 * PostgreSQL, XML and every reader can hold, so that an export in either format comes back as the
 * same rows. No NUL or other control character (a body keeps its tabs and newlines), no lone
 * surrogate, no U+FFFE/U+FFFF; a body's line ends are LF (CRLF and a lone CR are what XML reads
 * back as LF anyway). A single line (a name, an email, a URL, a title) also loses the invisible
 * characters above and is NFC, so that one name typed two ways is one name. Callers trim.
 */
export function cleanText(value: string, { multiline }: { multiline: boolean }): string {
  const wellFormed = value.toWellFormed().replace(noncharacters, '')
  return multiline
    ? wellFormed.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    : wellFormed.replace(/[\u0000-\u001F\u007F]/g, ' ').replace(invisible, '').normalize('NFC')
}

/** One line as stored: a name, an email, a URL, a title (see cleanText), trimmed. */
export const cleanLine = (value: string): string => cleanText(value, { multiline: false }).trim()

/** A comment's text as stored (see cleanText), trimmed. */
export const cleanBody = (value: string): string => cleanText(value, { multiline: true }).trim()
