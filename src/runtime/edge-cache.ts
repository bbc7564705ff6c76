import { etagMatches } from '../http/etag-match.js'
import { isCacheableRead } from '../http/cacheable-reads.js'

/** The part of the Workers Cache API (`caches.default`) used here. */
export interface EdgeCacheStore {
  match(request: Request): Promise<Response | undefined>
  put(request: Request, response: Response): Promise<void>
}

interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}

const PUBLIC_MAX_AGE = /^public, max-age=([1-9]\d*)$/
// When the app began making the stored copy (ms). The copy's age counts from here, not from the put,
// so nothing it shows outlives the max-age it advertised; stripped before a reader sees it.
const STORED_AT = 'Parley-Stored-At'

function maxAgeOf(response: Response): number | undefined {
  const match = PUBLIC_MAX_AGE.exec(response.headers.get('cache-control') ?? '')
  return match ? Number(match[1]) : undefined
}

/**
 * The Cache API ignores `Vary: Origin`, and the CORS headers of a response differ per origin, so
 * each origin (or none) gets its own entry, under a path no real request is looked up by.
 */
function cacheKey(request: Request, url: URL): string {
  const origin = request.headers.get('origin')
  const part = origin === null ? '_' : `=${encodeURIComponent(origin)}`
  return `${url.origin}/.parley-edge-cache/${part}${url.pathname}${url.search}`
}

function notModified(response: Response): Response {
  const headers = new Headers(response.headers)
  headers.delete('content-type')
  headers.delete('content-length')
  return new Response(null, { status: 304, headers })
}

/** A stored copy (or the Cache API's 304 for it) as a reader gets it, while younger than its max-age. */
function fromStore(stored: Response, now: number): Response | undefined {
  const storedAt = Number(stored.headers.get(STORED_AT))
  const maxAge = maxAgeOf(stored)
  if (!storedAt || maxAge === undefined || now - storedAt >= maxAge * 1000) return undefined
  const headers = new Headers(stored.headers)
  headers.delete(STORED_AT)
  // Age makes browsers keep it only for what is left of max-age; rounded up, so never longer.
  headers.set('Age', String(Math.max(0, Math.ceil((now - storedAt) / 1000))))
  return new Response(stored.body, { status: stored.status, headers })
}

/**
 * Serves thread pages and counts from the edge cache when it holds a copy younger than the
 * max-age the app advertised; otherwise asks the app and stores a copy in the background.
 * A request with `If-None-Match` is answered by the Cache API's own 304 on a hit, without the app.
 * Requests with `Authorization` are never cached: whoever sends one may see more.
 */
export async function edgeCached(
  request: Request,
  ctx: WaitUntil,
  store: EdgeCacheStore | undefined,
  fetchApp: (request: Request) => Promise<Response>,
): Promise<Response> {
  const url = new URL(request.url)
  if (!store || request.method !== 'GET' || request.headers.has('authorization') || !isCacheableRead(url.pathname)) {
    return fetchApp(request)
  }
  const key = cacheKey(request, url)
  const ifNoneMatch = request.headers.get('if-none-match')
  const hit = await store.match(new Request(key, ifNoneMatch === null ? {} : { headers: { 'If-None-Match': ifNoneMatch } }))
  if (hit) {
    const served = fromStore(hit, Date.now())
    if (served) return served
    await hit.body?.cancel()
  }

  // A miss asks for the whole page even when the reader only revalidates, so that the copy fills the cache.
  const startedAt = Date.now()
  const headers = new Headers(request.headers)
  headers.delete('if-none-match')
  const fresh = await fetchApp(new Request(request, { headers }))
  const etag = fresh.headers.get('etag')
  const reply =
    fresh.status === 200 && ifNoneMatch !== null && etag !== null && etagMatches(ifNoneMatch, etag) ? notModified(fresh) : undefined
  if (fresh.status === 200 && maxAgeOf(fresh) !== undefined && !fresh.headers.has('set-cookie')) {
    const copy = reply ? fresh : fresh.clone()
    const stored = new Headers(copy.headers)
    stored.set(STORED_AT, String(startedAt))
    // A failed put only means the next read is a miss too.
    ctx.waitUntil(store.put(new Request(key), new Response(copy.body, { status: 200, headers: stored })).catch(() => {}))
  } else if (reply) {
    await fresh.body?.cancel()
  }
  return reply ?? fresh
}
