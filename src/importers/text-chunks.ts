import { ImportRefused } from './import-records.js'

/** The first bytes say how the file is encoded: a byte-order mark, or an XML declaration's `encoding`. */
function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  const start = String.fromCharCode(...head.subarray(0, 200))
  const declared = /^<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start)?.[1]
  return declared ?? 'utf-8'
}

/** Line and column (both from 1) just past `text`, continuing from `at`. */
function advance(at: { line: number; column: number }, text: string): { line: number; column: number } {
  let { line, column } = at
  let from = 0
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
    line++
    column = 1
    from = nl + 1
  }
  return { line, column: column + text.length - from }
}

function decoderFor(label: string): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false })
  } catch {
    throw new ImportRefused(`the file declares an encoding Parley cannot read: ${label}`, 1, 1)
  }
}

/**
 * Decodes a byte stream chunk by chunk, never holding more than one chunk. A byte sequence that
 * is not valid in the file's encoding refuses the file, with the line and column where it is
 * (the position of the first replacement character, were it decoded leniently).
 */
export async function* decodeChunks(source: AsyncIterable<Uint8Array>, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  let decoder: InstanceType<typeof TextDecoder> | undefined
  let at = { line: 1, column: 1 }
  for await (const chunk of source) {
    onBytes(chunk.byteLength)
    decoder ??= decoderFor(sniffEncoding(chunk))
    let text: string
    try {
      text = decoder.decode(chunk, { stream: true })
    } catch {
      const lenient = new TextDecoder(decoder.encoding).decode(chunk)
      const bad = Math.max(0, lenient.indexOf('\uFFFD'))
      const where = advance(at, lenient.slice(0, bad))
      throw new ImportRefused(`the file is not valid ${decoder.encoding}`, where.line, where.column)
    }
    at = advance(at, text)
    if (text) yield text
  }
  if (decoder) {
    let rest: string
    try {
      rest = decoder.decode()
    } catch {
      throw new ImportRefused(`the file ends in the middle of a ${decoder.encoding} character`, at.line, at.column)
    }
    if (rest) yield rest
  }
}
