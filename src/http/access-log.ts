import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'

/** One line per request: method, path (never the query, which may hold an email), status, time. */
export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now()
  await next()
  c.env.deps.logger.debug('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  })
}
