import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { Settings } from '../settings/settings-schema.js'

/**
 * Parley's own origin: PARLEY_PUBLIC_URL's when set, otherwise the request's scheme and `Host`
 * (never the authority of an absolute-form request line, which a client writes as it likes). An
 * HTTP/1.0 request may come without `Host`: then Parley's origin is one under `.invalid` (RFC 6761),
 * which no browser's page can have.
 */
export function ownOrigin(c: Context<AppEnv>): string {
  let origin = ownOrigins.get(c)
  if (origin === undefined) ownOrigins.set(c, (origin = originOf(c)))
  return origin
}

// Asked three or four times by one submission (CORS, the form's origin, the article's URL): parsed once.
const ownOrigins = new WeakMap<Context<AppEnv>, string>()

function originOf(c: Context<AppEnv>): string {
  const configured = c.env.deps.config.publicUrl
  if (configured) return new URL(configured).origin
  const url = new URL(c.req.url)
  const host = c.req.header('host')
  if (!host) return c.env.noHostHeader ? `${url.protocol}//no-host.invalid` : url.origin
  try {
    return new URL(`${url.protocol}//${host}`).origin
  } catch {
    return url.origin
  }
}

/** The configured allowed origins, plus Parley's own, which always is. */
export function allowedOrigins(c: Context<AppEnv>, settings: Settings): string[] {
  return [...settings.allowedOrigins, ownOrigin(c)]
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Whether an origin's host is this machine's loopback (localhost, 127.0.0.1, [::1]). */
export const isLoopback = (origin: string): boolean => loopbackHosts.has(new URL(origin).hostname)

/**
 * The origins an article's URL may be registered on: the allowed origins, and Parley's own when it
 * is known: PARLEY_PUBLIC_URL says what it is, or, without it, plain http on loopback at the very
 * port this process listens on (the zero-configuration demo on localhost). The request's Host is
 * whatever its sender wrote, so no other Host vouches for a URL: else a stranger could register
 * https://evil.example/login, or http://localhost:<another port>/ (whatever else runs on a
 * moderator's machine), as the URL moderators click.
 */
export function articleOrigins(c: Context<AppEnv>, settings: Settings): string[] {
  const own = ownOrigin(c)
  const { publicUrl, listenPort } = c.env.deps.config
  return publicUrl !== null || isListeningLoopback(new URL(own), listenPort)
    ? [...settings.allowedOrigins, own]
    : [...settings.allowedOrigins]
}

function isListeningLoopback(origin: URL, listenPort: number | undefined): boolean {
  if (listenPort === undefined || origin.protocol !== 'http:' || !loopbackHosts.has(origin.hostname)) return false
  return Number(origin.port || '80') === listenPort
}
