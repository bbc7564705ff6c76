import { ImportRefused, type ImportFormat, type RecordSink } from './import-records.js'
import { readXmlRecords } from './xml-records.js'
import { isWxr, wxrReader } from './wxr-reader.js'
import { disqusReader, isDisqus } from './disqus-reader.js'
import { parleyJsonReader } from './parley-json-reader.js'

/** The chunks again, the first one included, after peeking at it. */
async function* prepend(first: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield first
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * Reads an export of any known format into `sink`, deciding from the file itself: JSON is
 * Parley's own export; XML is WordPress's WXR (an RSS root declaring the WXR namespace) or
 * Disqus's (a `disqus` root). `afterChunk` runs between chunks (staging flushes there).
 */
export async function readExport(
  chunks: AsyncIterable<string>,
  sink: RecordSink & { flushIfFull(): Promise<void>; begin(format: ImportFormat): void },
  options: { includePings: boolean },
  afterChunk: () => void,
): Promise<ImportFormat> {
  const iterator = chunks[Symbol.asyncIterator]()
  let first = await iterator.next()
  while (!first.done && first.value.trim() === '') first = await iterator.next()
  if (first.done) throw new ImportRefused('the file is empty')
  const all = prepend(first.value, iterator)
  const between = async () => {
    await sink.flushIfFull()
    afterChunk()
  }

  const start = first.value.trimStart().charAt(0)
  if (start === '[') {
    throw new ImportRefused(
      'the file is a JSON array; a Parley export is a JSON object, {"parley": {…}, "articles": […], "comments": […]}, as GET /api/v1/admin/export?format=json writes it',
    )
  }
  if (start !== '{' && start !== '<') {
    throw new ImportRefused(
      'the file is neither XML (a WordPress or Disqus export, which starts with "<") nor JSON (a Parley export, which starts with "{")',
    )
  }
  if (start === '{') {
    sink.begin('parley')
    const json = parleyJsonReader(sink)
    for await (const chunk of all) {
      json.parser.write(chunk)
      await between()
    }
    json.parser.end()
    json.finish()
    return 'parley'
  }

  let format: ImportFormat | undefined
  await readXmlRecords(
    all,
    (root) => {
      if (isWxr(root)) {
        format = 'wxr'
        sink.begin(format)
        return wxrReader(sink, options)
      }
      if (isDisqus(root)) {
        format = 'disqus'
        sink.begin(format)
        return disqusReader(sink)
      }
      return undefined
    },
    between,
  )
  if (!format) throw new ImportRefused('the file has no root element')
  return format
}
