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
 */
export const syncAfterWrite: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  const cache = c.env.deps.readCache
  if (!cache || SAFE_METHODS.has(c.req.method) || c.res.status >= 400) return
  await cache.sync(timeLeft(c))
}
