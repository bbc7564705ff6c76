import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'

/** The one API path whose body is not JSON under 1 MiB: an export file, streamed. */
export const IMPORT_PATH = '/api/v1/admin/import'

/** PARLEY_IMPORT_MAX_MB's default: a large site's WordPress export, with room to spare. */
export const DEFAULT_IMPORT_MAX_BYTES = 256 * 1024 * 1024

const importTypes = /^(application|text)\/(xml|rss\+xml|json)\s*(;|$)/i

const tooLarge = (max: number) => new AppError('payload_too_large', `The file is larger than ${Math.round(max / 2 ** 20)} MiB (PARLEY_IMPORT_MAX_MB).`)

/**
 * Runs `middleware` on every request except the import's, which has its own limit and content
 * type and must not be buffered (JSON parsing, the 1 MiB limit) or cut short (the request
 * deadline: a big import runs for minutes).
 */
export function exceptImport(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.path === IMPORT_PATH ? next() : middleware(c, next))
}

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

/** The request body as it arrives, refused with 413 as soon as it passes `max` bytes (a chunked upload declares no length). */
export async function* limitedBody(body: ReadableStream<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  let size = 0
  let finished = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        finished = true
        return
      }
      size += value.byteLength
      if (size > max) throw tooLarge(max)
      yield value
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined)
  }
}
