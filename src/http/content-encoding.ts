import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { cancelDecompression } from '../cancel-decompression.js'

/** The content codings a request body may come in (RFC 9110 §8.4.1), as DecompressionStream names them. */
type Format = 'gzip' | 'deflate'
const codings: Record<string, Format> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' }

/** What an unsupported coding's 415 advertises (RFC 9110 §12.5.3: Accept-Encoding in a response). */
export const ACCEPTED_CODINGS = 'gzip, deflate'

const tooLarge = (max: number) =>
  new AppError('payload_too_large', `The request body is larger than ${Math.round(max / 1024)} KiB once decompressed.`)

/**
 * `body` decompressed, refused with 413 as soon as either the compressed bytes or the decompressed
 * ones pass `max`: the decompressed size is what the limit is for (a few KiB of gzip can unfold
 * into gigabytes), the compressed one bounds a stream of empty gzip members that unfolds into
 * nothing. A stream that is not what it says is 400.
 */
function decoded(body: ReadableStream<Uint8Array>, format: Format, max: number): ReadableStream<Uint8Array> {
  let compressed = 0
  let size = 0
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        compressed += chunk.byteLength
        if (compressed > max) controller.error(tooLarge(max))
        else controller.enqueue(chunk)
      },
    }),
  )
  // Node's and the Workers' type libraries give DecompressionStream different input types (BufferSource
  // is not one Node's knows); both take the bytes a request body is made of.
  const decompress = new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>
  const reader = counted.pipeThrough(decompress).getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await reader.read()
      } catch (error) {
        throw error instanceof AppError ? error : new AppError('malformed_json', `The request body is not valid ${format} data.`)
      }
      if (next.done) return controller.close()
      size += next.value.byteLength
      if (size > max) {
        await cancelDecompression(reader)
        throw tooLarge(max)
      }
      controller.enqueue(next.value)
    },
    cancel: (reason) => cancelDecompression(reader, reason),
  })
}

/**
 * Accepts a request body sent with `Content-Encoding: gzip` or `deflate` (a client compressing a
 * large settings change or import): what follows sees the decompressed body, as a body of unknown
 * length (`Transfer-Encoding: chunked`), so the size limits after this count decompressed bytes.
 * Any other coding is 415 `unsupported_encoding` with `Accept-Encoding`, before a byte is read:
 * parsing a compressed body as JSON could only fail, and confusingly.
 */
export function decodeBody(maxBytes: (c: Context<AppEnv>) => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('content-encoding')
    const coding = header?.trim().toLowerCase()
    if (!coding || coding === 'identity') return next()
    // Only now: on Node, the first look at the body builds a web Request over the socket.
    const body = c.req.raw.body
    if (!body) return next()
    const format = codings[coding]
    if (!format) {
      throw new AppError(
        'unsupported_encoding',
        `Content-Encoding "${header?.slice(0, 40)}" is not supported: send the body as it is, or with gzip or deflate.`,
      )
    }
    const max = maxBytes(c)
    const headers = new Headers(c.req.raw.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    headers.set('transfer-encoding', 'chunked')
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed where the Workers' types check this file (test-workers)
    c.req.raw = new Request(c.req.raw, { headers, body: decoded(body, format, max), duplex: 'half' } as RequestInit)
    await next()
  }
}
