import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { Settings } from '../settings/settings-schema.js'

/** Parley's own origin: PARLEY_PUBLIC_URL's when set, otherwise the request's scheme and Host. */
export function ownOrigin(c: Context<AppEnv>): string {
  const configured = c.env.deps.config.publicUrl
  return new URL(configured ?? c.req.url).origin
}

/** The configured allowed origins, plus Parley's own, which always is. */
export function allowedOrigins(c: Context<AppEnv>, settings: Settings): string[] {
  return [...settings.allowedOrigins, ownOrigin(c)]
}
