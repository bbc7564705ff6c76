import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { timeLeft } from './deadline.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * After a write this instance answered, its read cache first hears of it, so that the writer's
 * next read here is never older than the write (ReadCache.sync). Only after a success: a refused
 * or failed request changed nothing, and waiting on the database it could not reach would hold its
 * answer (an outage once held 503s for 12 s). The sync spends what is left of the request's
 * deadline at most; one that cannot finish in time drops the cache instead.
 *
 * A write that commits in one statement can carry the marker itself (`readCacheMarker`, handed to
 * the rules as CommentContext.readCacheMarker): then there is only that marker to hear, and no
 * round trip after the commit (a hot article's posts spend none on it).
 */
export const syncAfterWrite: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cache = c.env.deps.readCache
  if (!cache || SAFE_METHODS.has(c.req.method)) return next()
  let marker: string | undefined
  let open = true
  c.set('readCacheMarker', () => (open ? (marker ??= cache.expect()) : undefined))
  try {
    await next()
  } finally {
    open = false
  }
  const success = c.res.status < 400
  if (marker === undefined) {
    if (success) await cache.sync(timeLeft(c))
  } else if (success) await cache.heard(marker, timeLeft(c))
  else cache.forget(marker)
}
