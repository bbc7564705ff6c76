import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { CachedRead } from '../read-cache/read-cache.js'
import { etagMatches } from './etag-match.js'
import { codedEtag, codedResponse, responseCoding, VARY } from './content-coding.js'

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

/**
 * The key to keep a read under, when the request is spelled as Parley itself writes it: a path
 * without escapes, each query parameter the route knows given once, with exactly the value it
 * parses to (`canonical`). Any other spelling of the same read (`limit=1e2`, `limit=0x64`,
 * `limit=%2010`, an unknown `cb=1`, a cursor with leading zeros) is answered but not kept: else a
 * stranger could fill the cache with endless copies of one page and push every reader to the database.
 */
function keepableKey(c: Context, canonical: Record<string, string | number | undefined>): string | undefined {
  const key = readCacheKey(c)
  if (key === undefined) return undefined
  const url = new URL(c.req.url)
  if (url.pathname.includes('%')) return undefined
  const seen = new Set<string>()
  // Each parameter as sent, not as decoded: `lang=d%65` is `lang=de` once decoded, and every
  // character of a value has such spellings. Kept: the value written plainly, or percent-encoded as
  // encodeURIComponent writes it (WordPress encodes a zone's `/`): two spellings at most.
  for (const part of url.search ? url.search.slice(1).split('&') : []) {
    const at = part.indexOf('=')
    const name = at < 0 ? part : part.slice(0, at)
    const raw = at < 0 ? '' : part.slice(at + 1)
    const wanted = canonical[name]
    if (seen.has(name) || wanted === undefined || (raw !== String(wanted) && raw !== encodeURIComponent(String(wanted)))) return undefined
    seen.add(name)
  }
  return key
}

const publicReadHeaders = (c: Context<AppEnv>) => ({ 'Cache-Control': `public, max-age=${c.env.deps.config.cacheMaxAge}` })

const utf8 = new TextEncoder()

/**
 * A read, byte for byte as first sent (in the coding the client prefers: compressed once per kept
 * read and coding, ReadCache.variant), or 304 when the reader holds it already.
 */
function cachedReadResponse(c: Context<AppEnv>, read: CachedRead): Promise<Response> {
  const { compress, readCache } = c.env.deps
  return codedResponse(c, {
    body: read.body,
    etag: read.etag,
    headers: { ...publicReadHeaders(c), ...read.headers, 'Content-Type': read.type ?? 'application/json' },
    coded: (coding) => {
      if (!compress) throw new Error('no compressor')
      const make = () => compress(typeof read.body === 'string' ? utf8.encode(read.body) : read.body, coding, 'dynamic')
      return readCache ? readCache.variant(read, coding, make) : make()
    },
  })
}

/** How a route reads one of CACHEABLE_READS from the database. */
export interface PublicRead {
  /** Each query parameter the route knows, as Parley itself would write it (keepableKey). */
  canonical: Record<string, string | number | undefined>
  /** The current ETag, cheaper than the read: asked first when the reader revalidates (undefined: only the read knows it). */
  currentEtag?: () => Promise<string | undefined>
  read: () => Promise<CachedRead>
}

/**
 * A public read answered from the database and kept for next time (readCacheHit serves it then,
 * ahead of every guard), read once for all who ask at the same time (ReadCache.readOnce, whose
 * ticket keeps an answer out of the cache when a change was heard while it ran).
 */
export async function cachedRead(c: Context<AppEnv>, { canonical, currentEtag, read }: PublicRead): Promise<Response> {
  const { readCache } = c.env.deps
  const ifNoneMatch = c.req.header('if-none-match')
  const current = ifNoneMatch && currentEtag ? await currentEtag() : undefined
  if (ifNoneMatch && current !== undefined) {
    const etag = codedEtag(current, responseCoding(c))
    if (etagMatches(ifNoneMatch, etag)) return c.body(null, 304, { ...publicReadHeaders(c), ETag: etag, Vary: VARY })
  }
  const key = readCache && keepableKey(c, canonical)
  if (!key || !readCache) return cachedReadResponse(c, await read())
  const ticket = c.get('readCacheTicket') ?? readCache.begin()
  const { clock } = c.env.deps
  return cachedReadResponse(c, await readCache.readOnce(key, ticket, () => clock().getTime(), read))
}

/**
 * Answers a thread page or counts from the read cache when it holds them, ahead of the guards
 * (deadline, body checks, validation) that only a read from the database needs; the route fills it.
 */
export const readCacheHit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { readCache, clock } = c.env.deps
  const key = readCache && (c.req.method === 'GET' || c.req.method === 'HEAD') ? readCacheKey(c) : undefined
  const hit = key === undefined ? undefined : readCache?.get(key, clock().getTime())
  if (hit) return cachedReadResponse(c, hit)
  // Before the route loads the settings it renders with (cachedRead, ReadCache.readOnce).
  if (readCache) c.set('readCacheTicket', readCache.begin())
  return next()
}
