import type { Context, MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { AppEnv } from '../app-env.js'

export interface ApiCorsOptions {
  /** The origin to allow, or null: asked only when the request names one. */
  origin: (origin: string, c: Context<AppEnv>) => Promise<string | null>
  allowMethods: string[]
  allowHeaders: string[]
  exposeHeaders: string[]
  maxAge: number
}

/**
 * Hono's cors() with the same headers, set on the handler's response rather than before it:
 * cors() writes to `c.res` ahead of the handler, after which Hono rebuilds each response around a
 * stream of its body (Context's `res` setter), and @hono/node-server can no longer write a string
 * body in one go; that halved the throughput of a cached 49 KB thread page. Preflights still go
 * to cors() itself.
 */
export function apiCors(options: ApiCorsOptions): MiddlewareHandler<AppEnv> {
  const preflight = cors({ ...options, origin: (origin, c) => options.origin(origin, c as Context<AppEnv>) })
  const expose = options.exposeHeaders.join(',')
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    const origin = c.req.header('origin')
    const allowed = origin ? await options.origin(origin, c) : null
    await next()
    if (allowed) c.res.headers.set('Access-Control-Allow-Origin', allowed)
    c.res.headers.set('Access-Control-Expose-Headers', expose)
    c.res.headers.append('Vary', 'Origin')
  }
}
