import { ImportRefused } from './import-records.js'
import { cancelDecompression } from '../cancel-decompression.js'

/** gzip's magic number: the first two bytes of every gzip file. */
const isGzip = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b

/** Bytes as the Web streams' types want them: what files and requests give is never a SharedArrayBuffer's. */
const plain = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>

/** The first bytes of `source` (at least two, unless it is shorter), and an iterator over the rest. */
async function peek(source: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
  const rest = source[Symbol.asyncIterator]()
  let head = new Uint8Array(0)
  while (head.length < 2) {
    const next = await rest.next()
    if (next.done) break
    const joined = new Uint8Array(head.length + next.value.length)
    joined.set(head)
    joined.set(next.value, head.length)
    head = joined
  }
  return { head, rest }
}

/**
 * The file's bytes, decompressed when it is gzip (detected from its first bytes, whatever its name
 * or Content-Encoding says): Disqus sends its exports gzipped, and a big WXR file travels better
 * so. Streamed, one chunk at a time. A damaged compressed stream refuses the file (nothing is
 * imported); an error of `source` itself (a closed upload, a limit) comes through as it is.
 *
 * @example
 * for await (const bytes of gunzipIfCompressed(createReadStream('disqus-export.xml.gz'))) …
 */
export async function* gunzipIfCompressed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { head, rest } = await peek(source)
  if (!isGzip(head)) {
    try {
      if (head.length > 0) yield head
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
    } finally {
      await rest.return?.()
    }
    return
  }
  const gunzip = new DecompressionStream('gzip')
  const writer = gunzip.writable.getWriter()
  let sourceError: { error: unknown } | undefined
  // Fed as the reader below asks (the writer waits on the stream's backpressure).
  const feed = (async () => {
    try {
      await writer.write(plain(head))
      for (let next = await rest.next(); !next.done; next = await rest.next()) await writer.write(plain(next.value))
      await writer.close()
    } catch (error) {
      sourceError ??= { error }
      await writer.abort(error).catch(() => undefined)
    }
  })()
  const reader = gunzip.readable.getReader()
  let finished = false
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        if (sourceError) throw sourceError.error
        throw new ImportRefused(
          `the file is gzip-compressed, but its compressed data is damaged (${error instanceof Error ? error.message : String(error)})`,
        )
      }
      if (result.done) {
        finished = true
        break
      }
      yield result.value
    }
  } finally {
    if (!finished) {
      sourceError ??= { error: new Error('the decompressed file was not read to its end') }
      await cancelDecompression(reader)
    }
    // Not awaited: the feed may be waiting for the source's next chunk (a stalled upload); it ends
    // at that chunk or the source's own error, and releases the source then.
    void feed.then(() => rest.return?.())
  }
}
