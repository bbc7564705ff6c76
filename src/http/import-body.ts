import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { ClientClosed } from './client-closed.js'

/** The one API path whose body is not JSON under 1 MiB: an export file, streamed (app.ts mounts it on its own). */
export const IMPORT_PATH = '/api/v1/admin/import'

/** PARLEY_IMPORT_MAX_MB's default: a large site's WordPress export, with room to spare. */
export const DEFAULT_IMPORT_MAX_BYTES = 256 * 1024 * 1024

/** PARLEY_IMPORT_IDLE_SECONDS's default: an upload that sends nothing this long is given up (408). */
export const DEFAULT_IMPORT_IDLE_MS = 30_000

const importTypes = /^(application|text)\/(xml|rss\+xml|json)\s*(;|$)/i

const tooLarge = (max: number) =>
  new AppError('payload_too_large', `The file is larger than ${Math.round(max / 2 ** 20)} MiB (PARLEY_IMPORT_MAX_MB).`)

/** The import's content type (XML, or Parley's JSON) and declared length, checked before a byte is read. */
export const importBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next()
  if (!importTypes.test(c.req.header('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', 'Send the export as application/xml (WordPress, Disqus) or application/json (Parley).')
  }
  const max = c.env.deps.config.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES
  if (Number(c.req.header('content-length') ?? 0) > max) throw tooLarge(max)
  await next()
}

/** The import's bytes (after any decompression), refused with 413 as soon as they pass `max` (a chunked upload declares no length). */
export async function* limitedBody(source: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let size = 0
  for await (const chunk of source) {
    size += chunk.byteLength
    if (size > max) throw tooLarge(max)
    yield chunk
  }
}

function stalled(idleMs: number): AppError {
  const seconds = Math.round(idleMs / 1000)
  return new AppError(
    'request_timeout',
    `Nothing of the file arrived for ${seconds} second${seconds === 1 ? '' : 's'} (PARLEY_IMPORT_IDLE_SECONDS): send it again.`,
  )
}

/**
 * The request body as it arrives, refused with 408 when nothing arrives for `idleMs` (a stalled or
 * trickling client), and ended with `ClientClosed` when the client goes away mid-body (`signal`
 * is the request's, aborted by the runtime when the connection closes).
 */
export async function* uploadBytes(body: ReadableStream<Uint8Array>, idleMs: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (;;) {
      let expire: (error: AppError) => void = () => {}
      const idle = new Promise<never>((_, reject) => (expire = reject))
      const timer = setTimeout(() => expire(stalled(idleMs)), idleMs)
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await Promise.race([reader.read(), idle])
      } catch (error) {
        // Whatever the read failed with on its way here (a reset socket, a decompressor's "not gzip").
        if (signal.aborted) throw new ClientClosed()
        throw error
      } finally {
        clearTimeout(timer)
      }
      if (next.done) return
      yield next.value
    }
  } finally {
    // Released, not cancelled: on Node, cancelling an unfinished body destroys its socket, and the
    // answer (408, 413, 422) must still reach the client. nodeFetch makes it say Connection: close.
    reader.releaseLock()
  }
}
