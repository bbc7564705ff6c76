import { SaxesParser, type SaxesTagNS } from 'saxes'
import { ImportRefused } from './import-records.js'
import { bufferedAttributes, capBufferedText, namePastLimit } from './saxes-buffers.js'

/** An element that makes one record: its path from the root, and the texts it needs. */
export interface RecordRule {
  /** Canonical names from the root down, joined with '/': `rss/channel/item`. */
  path: string
  /** Paths below the record (`author/name`), and attributes as `thread/@dsq:id` (`@dsq:id` on the record itself). */
  fields: ReadonlySet<string>
  /** Fields that may be long (a comment's text): kept up to LONG_FIELD characters, the others up to SHORT_FIELD. */
  longFields?: ReadonlySet<string>
  onOpen?(): void
  onClose(fields: ReadonlyMap<string, string>): void
}

/** The document's root element, for choosing a reader. */
export interface XmlRoot {
  local: string
  uri: string
  /** Every namespace declared on the root, by prefix. */
  namespaces: Record<string, string>
}

export interface XmlReader {
  /** Canonical prefix for a namespace URI (`wp` for any WXR version); undefined: ignore its elements. */
  alias(uri: string): string | undefined
  rules: RecordRule[]
}

/**
 * Deeper than any export goes (a WXR comment's meta value sits 6 deep, a Disqus author's name 4):
 * a file nested past it is refused rather than walked (a 240 KB file nests 20,000 deep).
 */
export const MAX_NESTING = 64
/** A comment's text: four times WordPress's 65,525-byte limit, so that cleaning can only shorten what is kept. */
export const LONG_FIELD = 262_144
/** Names, addresses, dates, ids: far past any real one (WordPress keeps 245 bytes of a name, 200 of a URL). */
export const SHORT_FIELD = 8_192
/** Attributes on one element: exports carry one or two. */
const MAX_ATTRIBUTES = 256

interface Open {
  rule: RecordRule
  /** Elements open when the record opened, the record included. */
  depth: number
  /** How many elements below the record its deepest field is. */
  reach: number
  fields: Map<string, string>
  /** The field element whose text is being read, by its depth; later elements of the same path are ignored. */
  active?: { path: string; depth: number; cap: number }
}

const tooManyAttributes = `more than ${MAX_ATTRIBUTES} attributes on one element`

const positioned = /^(\d+):(\d+): ([\s\S]*)$/

/**
 * Streams XML through saxes and hands each record's wanted texts to its rule as the record
 * closes: memory holds one record at a time, never the document, and every text is capped as it
 * streams. The first of repeated elements wins (as in WordPress's parsers), never a concatenation.
 * The first well-formedness error refuses the file with saxes's line and column (1-based; the
 * character that revealed it), as does nesting past MAX_NESTING.
 */
export async function readXmlRecords(
  chunks: AsyncIterable<string>,
  choose: (root: XmlRoot) => XmlReader | undefined,
  afterChunk: () => Promise<void>,
): Promise<void> {
  const parser = new SaxesParser({ xmlns: true, position: true })
  let failure: Error | undefined
  let reader: XmlReader | undefined
  let rules: { rule: RecordRule; names: string[]; reach: number }[] = []
  // The canonical name of each open element: a path is joined only where a rule or a field needs it.
  const names: string[] = []
  const open: Open[] = []

  const refuse = (reason: string): never => {
    throw new ImportRefused(reason, parser.line, parser.column)
  }
  const canonical = (tag: { uri: string; local: string }): string => {
    if (!tag.uri) return tag.local
    const prefix = reader?.alias(tag.uri)
    if (prefix === undefined) return `?:${tag.local}`
    return prefix ? `${prefix}:${tag.local}` : tag.local
  }
  const ruleAt = () => rules.find(({ names: path }) => path.length === names.length && path.every((name, i) => name === names[i]))
  /** The path of the innermost element below `record`, or undefined when deeper than any of its fields. */
  const relative = (record: Open): string | undefined =>
    names.length - record.depth > record.reach ? undefined : names.slice(record.depth).join('/')

  parser.on('error', (error) => {
    failure ??= error
  })
  // No 'opentagstart' or 'attribute' handler: either makes saxes 2.5 times slower. Nesting is
  // checked as each element opens, attributes as each opens and between chunks (bufferedAttributes).
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (names.length >= MAX_NESTING) refuse(`elements nested deeper than ${MAX_NESTING}`)
    if (Object.keys(tag.attributes).length > MAX_ATTRIBUTES) refuse(tooManyAttributes)
    if (!reader) {
      reader = choose({ local: tag.local, uri: tag.uri, namespaces: tag.ns })
      if (!reader) refuse(`not a WordPress (WXR), Disqus or Parley export: the root element is <${tag.name}>`)
      rules = (reader?.rules ?? []).map((rule) => ({
        rule,
        names: rule.path.split('/'),
        reach: Math.max(
          0,
          ...[...rule.fields].map((field) =>
            field === ''
              ? 0
              : field
                  .replace(/(^|\/)@[^/]*$/, '')
                  .split('/')
                  .filter(Boolean).length,
          ),
        ),
      }))
    }
    names.push(canonical(tag))
    const match = ruleAt()
    if (match) {
      match.rule.onOpen?.()
      open.push({ rule: match.rule, depth: names.length, reach: match.reach, fields: new Map() })
    }
    for (const record of open) {
      const path = relative(record)
      if (path === undefined) continue
      // '' is the record element's own text.
      if (record.rule.fields.has(path) && !record.fields.has(path)) {
        record.fields.set(path, '')
        record.active = { path, depth: names.length, cap: record.rule.longFields?.has(path) ? LONG_FIELD : SHORT_FIELD }
      }
      for (const attribute of Object.values(tag.attributes)) {
        const name = `${path ? `${path}/` : ''}@${canonical(attribute)}`
        if (record.rule.fields.has(name) && !record.fields.has(name)) record.fields.set(name, attribute.value.slice(0, SHORT_FIELD))
      }
    }
  })
  const onText = (text: string) => {
    for (const record of open) {
      const active = record.active
      if (!active || active.depth !== names.length) continue
      const sofar = record.fields.get(active.path) ?? ''
      if (sofar.length < active.cap) record.fields.set(active.path, sofar + text.slice(0, active.cap - sofar.length))
    }
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', () => {
    for (const record of open) if (record.active?.depth === names.length) record.active = undefined
    const last = open[open.length - 1]
    if (last && last.depth === names.length) {
      open.pop()
      last.rule.onClose(last.fields)
    }
    names.pop()
  })

  const check = () => {
    if (!failure) return
    const match = positioned.exec(failure.message)
    if (!match) throw new ImportRefused(failure.message)
    throw new ImportRefused(match[3]?.replace(/\.$/, '') ?? failure.message, Number(match[1]), Number(match[2]))
  }
  const write = (piece: string | null) => {
    if (piece === null) parser.close()
    else parser.write(piece)
    check()
    capBufferedText(parser, LONG_FIELD)
    if (namePastLimit(parser, SHORT_FIELD)) refuse(`a name longer than ${SHORT_FIELD} characters`)
    if (bufferedAttributes(parser) > MAX_ATTRIBUTES) refuse(tooManyAttributes)
  }
  // Whole chunks (a slice of one would make saxes read every character through an indirection,
  // 2.5 times slower): what saxes buffers stays under LONG_FIELD and a chunk.
  for await (const chunk of chunks) {
    write(chunk)
    await afterChunk()
  }
  write(null)
}
