import type { SaxesParser } from 'saxes'

// saxes (pinned at 6.0.0) gathers a whole text node, CDATA section, comment or attribute value in
// its private `text` buffer before handing it over, an element or attribute name in `name`, and
// the attributes of the element being read in `attribList`: one 20 MB comment would sit in memory
// whole, twice. It offers no limit, so the reader looks at those buffers between chunks. Cutting `text` is safe: saxes checks
// well-formedness as characters stream by, and reads the buffer only to hand it over (positions
// are counted apart from it). test/import-limits.test.ts proves the heap stays bounded.

/** Keeps at most `max` characters of the text saxes is gathering. */
export function capBufferedText(parser: SaxesParser, max: number): void {
  const buffered: unknown = Reflect.get(parser, 'text')
  if (typeof buffered === 'string' && buffered.length > max) Reflect.set(parser, 'text', buffered.slice(0, max))
}

/** True when saxes is gathering a name longer than `max` (a name cannot be cut: its end tag must match it). */
export function namePastLimit(parser: SaxesParser, max: number): boolean {
  const name: unknown = Reflect.get(parser, 'name')
  return typeof name === 'string' && name.length > max
}

/** How many attributes saxes holds for the element it is reading (its 'attribute' event would cost 2.5 times the parse). */
export function bufferedAttributes(parser: SaxesParser): number {
  const list: unknown = Reflect.get(parser, 'attribList')
  return Array.isArray(list) ? list.length : 0
}
