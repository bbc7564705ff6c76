import { SaxesParser, type SaxesTagNS } from 'saxes'
import { ImportRefused } from './import-records.js'

/** An element that makes one record: its path from the root, and the texts it needs. */
export interface RecordRule {
  /** Canonical names from the root down, joined with '/': `rss/channel/item`. */
  path: string
  /** Paths below the record (`author/name`), and attributes as `thread/@dsq:id` (`@dsq:id` on the record itself). */
  fields: ReadonlySet<string>
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

interface Open {
  rule: RecordRule
  depth: number
  /** Where paths below the record start in the full path (past the record's own path and a '/'). */
  cut: number
  fields: Map<string, string>
}

const positioned = /^(\d+):(\d+): ([\s\S]*)$/

/**
 * Streams XML through saxes and hands each record's wanted texts to its rule as the record
 * closes: memory holds one record at a time, never the document. The first well-formedness
 * error refuses the file with saxes's line and column (1-based; the character that revealed it).
 */
export async function readXmlRecords(chunks: AsyncIterable<string>, choose: (root: XmlRoot) => XmlReader | undefined, afterChunk: () => Promise<void>): Promise<void> {
  const parser = new SaxesParser({ xmlns: true, position: true })
  let failure: Error | undefined
  let reader: XmlReader | undefined
  // The full path of each open element: one concatenation per element, none per text.
  const paths: string[] = []
  const open: Open[] = []
  const relative = (record: Open) => (paths[paths.length - 1] ?? '').slice(record.cut)

  const canonical = (tag: { uri: string; local: string }): string => {
    if (!tag.uri) return tag.local
    const prefix = reader?.alias(tag.uri)
    if (prefix === undefined) return `?:${tag.local}`
    return prefix ? `${prefix}:${tag.local}` : tag.local
  }
  parser.on('error', (error) => {
    failure ??= error
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (!reader) {
      reader = choose({ local: tag.local, uri: tag.uri, namespaces: tag.ns })
      if (!reader) throw new ImportRefused(`not a WordPress (WXR), Disqus or Parley export: the root element is <${tag.name}>`, parser.line, parser.column)
    }
    const parent = paths[paths.length - 1]
    const path = parent === undefined ? canonical(tag) : `${parent}/${canonical(tag)}`
    paths.push(path)
    const rule = reader.rules.find((candidate) => candidate.path === path)
    if (rule) {
      rule.onOpen?.()
      open.push({ rule, depth: paths.length, cut: path.length + 1, fields: new Map() })
    }
    for (const record of open) {
      const base = relative(record)
      for (const attribute of Object.values(tag.attributes)) {
        const name = `${base ? `${base}/` : ''}@${canonical(attribute)}`
        if (record.rule.fields.has(name)) record.fields.set(name, attribute.value)
      }
    }
  })
  const onText = (text: string) => {
    for (const record of open) {
      const path = relative(record)
      if (record.rule.fields.has(path)) record.fields.set(path, (record.fields.get(path) ?? '') + text)
    }
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', () => {
    const last = open[open.length - 1]
    if (last && last.depth === paths.length) {
      open.pop()
      last.rule.onClose(last.fields)
    }
    paths.pop()
  })

  const check = () => {
    if (!failure) return
    const match = positioned.exec(failure.message)
    if (!match) throw new ImportRefused(failure.message)
    throw new ImportRefused(match[3]?.replace(/\.$/, '') ?? failure.message, Number(match[1]), Number(match[2]))
  }
  for await (const chunk of chunks) {
    parser.write(chunk)
    check()
    await afterChunk()
  }
  parser.close()
  check()
}
