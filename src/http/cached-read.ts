import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { CachedRead } from '../read-cache/read-cache.js'
import { etagMatches } from './request-context.js'

/**
 * The read cache's key for a public read: its path and query exactly as sent (the same URL always
 * validates the same way, so only answers to valid ones are ever kept). Undefined where nothing may
 * be kept or served: whoever sends Authorization may be shown more than the public is.
 */
export function readCacheKey(c: Context): string | undefined {
  if (c.req.header('authorization') !== undefined) return undefined
  const url = c.req.url
  return url.slice(url.indexOf('/', url.indexOf('//') + 2))
}

export const publicReadHeaders = (c: Context<AppEnv>) => ({ 'Cache-Control': `public, max-age=${c.env.deps.config.cacheMaxAge}` })

/** A kept read, byte for byte as first sent, or 304 when the reader holds it already. */
export function cachedReadResponse(c: Context, read: CachedRead, headers: Record<string, string>): Response {
  const sent = { ...headers, ETag: read.etag }
  if (etagMatches(c.req.header('if-none-match'), read.etag)) return c.body(null, 304, sent)
  return c.body(read.body, 200, { ...sent, 'Content-Type': 'application/json' })
}

/**
 * Answers a thread page or counts from the read cache when it holds them, ahead of the guards
 * (deadline, body checks, validation) that only a read from the database needs; the route fills it.
 */
export const readCacheHit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { readCache, clock } = c.env.deps
  const key = readCache && (c.req.method === 'GET' || c.req.method === 'HEAD') ? readCacheKey(c) : undefined
  const hit = key === undefined ? undefined : readCache?.get(key, clock().getTime())
  if (hit) return cachedReadResponse(c, hit, publicReadHeaders(c))
  return next()
}
