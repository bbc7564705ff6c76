import type { Context } from 'hono'
import preferredEncodings from 'negotiator/lib/encoding.js'
import type { AppEnv } from '../app-env.js'
import type { Coding } from '../deps.js'
import { etagMatches } from './etag-match.js'

/** What Parley offers, in the order it prefers when the client likes them equally (br is smaller). */
const OFFERED = ['br', 'gzip', 'identity'] as const

/**
 * The content coding to answer this request with (RFC 9110 §12.5.3, Accept-Encoding with its
 * q-values): br or gzip where the runtime compresses (Node; Cloudflare compresses a Worker's
 * answers itself), else none. It depends on the request alone, not on the body's size, so that a
 * revalidation knows which ETag to compare before reading anything (a small body compressed costs
 * a few bytes at worst).
 */
export function responseCoding(c: Context<AppEnv>): Coding | undefined {
  if (!c.env.deps.compress) return undefined
  const accept = c.req.header('accept-encoding')
  if (!accept) return undefined
  // x-gzip is gzip (RFC 9110 §8.4.1.3), as request bodies already take it (content-encoding.ts).
  const spelled = accept.replace(/(^|,)(\s*)x-gzip(?=\s*(?:;|,|$))/gi, '$1$2gzip')
  const [chosen] = preferredEncodings(spelled, OFFERED, OFFERED)
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined
}

/**
 * Each coding of a representation has its own strong ETag (RFC 9110 §8.8.3: strong validators
 * differ whenever the bytes do), derived from the identity one: `"abc"`, `"abc-br"`, `"abc-gzip"`.
 */
export function codedEtag(etag: string, coding: Coding | undefined): string {
  if (!coding) return etag
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-${coding}"` : `${etag}-${coding}`
}

/** Every answer whose coding follows Accept-Encoding says so to caches, compressed or not. */
export const VARY = 'Accept-Encoding'

export interface CodedBody {
  /** The identity body (bytes where they were kept encoded: the read cache's). */
  body: string | Uint8Array
  /** Its strong ETag, uncompressed. */
  etag: string
  headers: Record<string, string>
  /** The body in a coding, made (or found) by the caller's cache: never compressed twice. */
  coded: (coding: Coding) => Promise<Uint8Array>
}

/**
 * Answers a body in the coding the client prefers, or 304 when `If-None-Match` holds that coding's
 * ETag. A representation in one coding validates only that coding: a client that stops accepting
 * br gets the identity body, not a 304 for bytes it can no longer read.
 */
export async function codedResponse(c: Context<AppEnv>, { body, etag, headers, coded }: CodedBody): Promise<Response> {
  const coding = responseCoding(c)
  const sent = { ...headers, ETag: codedEtag(etag, coding), Vary: VARY }
  if (etagMatches(c.req.header('if-none-match'), sent.ETag)) return c.body(null, 304, sent)
  if (!coding) return typeof body === 'string' ? c.body(body, 200, sent) : c.body(body as Uint8Array<ArrayBuffer>, 200, sent)
  const bytes = await coded(coding)
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...sent, 'Content-Encoding': coding })
}

const utf8 = new TextEncoder()
const staticBodies = new Map<string, Promise<Uint8Array>>()
// The widget per settings, the dashboard's files, the API document: a handful per release.
const MAX_STATIC_BODIES = 64

/**
 * A body that changes only with a release or a setting, compressed once per instance and coding
 * (at the runtime's best effort) and kept, keyed by its ETag.
 */
export function staticCoded(c: Context<AppEnv>, body: string, etag: string): (coding: Coding) => Promise<Uint8Array> {
  return (coding) => {
    const key = `${etag} ${coding}`
    let bytes = staticBodies.get(key)
    if (!bytes) {
      const compress = c.env.deps.compress
      if (!compress) throw new Error('no compressor')
      if (staticBodies.size >= MAX_STATIC_BODIES) staticBodies.clear()
      bytes = compress(utf8.encode(body), coding, 'static')
      staticBodies.set(key, bytes)
      bytes.catch(() => staticBodies.delete(key))
    }
    return bytes
  }
}
