const encoder = new TextEncoder()

export function byteLength(text: string): number {
  return encoder.encode(text).length
}

/**
 * Characters that show nothing, with which one name passes for another or turns the text around
 * it: Unicode's Default_Ignorable_Code_Point (soft hyphen, combining grapheme joiner, Hangul
 * fillers, bidi marks, embeddings, overrides and isolates, zero-width space and joiner, word joiner
 * and invisible operators, variation selectors, tags, byte-order mark, the Mongolian vowel
 * separator…). Each stays only where it does show something, in the first group:
 * - a subdivision flag's tags (🏴 then tags then the cancel tag: 🏴󠁧󠁢󠁳󠁣󠁴󠁿);
 * - the zero-width joiner between two emoji (👩‍💻, 🏳️‍🌈), and after an Indic virama, where it picks
 *   a conjunct's form (Sinhala ශ්‍රී): a virama is a nonspacing mark of its own script, never one
 *   of the Inherited diacritics a Latin name can stack;
 * - the emoji and text presentation selectors after an emoji (❤️, 1️⃣), and an ideographic
 *   variation selector after a CJK ideograph (the glyph a Japanese name is registered with);
 * - the zero-width non-joiner, always: Persian and Indic spelling need it.
 * Matched one code point at a time, so a lookbehind sees the text as it was before the cleaning.
 */
const invisible =
  /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}|(?<=\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*)\u200D(?=\p{Extended_Pictographic})|(?<=(?!\p{Script=Inherited})\p{Mn})\u200D(?=\p{L})|(?<=\p{Emoji})[\uFE0E\uFE0F]|(?<=\p{Ideographic})[\u{E0100}-\u{E01EF}])|(?!\u200C)\p{Default_Ignorable_Code_Point}/gu

/** Line and paragraph separators end a line as a newline does: a single line turns them into spaces. */
const lineBreaks = /[\u0000-\u001F\u007F\u2028\u2029]/g

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
    : wellFormed
        .replace(lineBreaks, ' ')
        .replace(invisible, (_match, shown: string | undefined) => shown ?? '')
        .normalize('NFC')
}

/** One line as stored: a name, an email, a URL, a title (see cleanText), trimmed. */
export const cleanLine = (value: string): string => cleanText(value, { multiline: false }).trim()

/** A comment's text as stored (see cleanText), trimmed. */
export const cleanBody = (value: string): string => cleanText(value, { multiline: true }).trim()
