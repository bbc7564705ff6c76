import { toHex, utf8 } from '../crypto/encoding.js'

// Few distinct bodies ever pass here (the widget per settings, the dashboard's two files), so
// each is hashed once per instance.
const etags = new Map<string, Promise<string>>()

/** A strong ETag for a static body: the first 128 bits of its SHA-256, hashed once per distinct body. */
export function contentEtag(body: string): Promise<string> {
  let etag = etags.get(body)
  if (!etag) {
    etag = crypto.subtle.digest('SHA-256', utf8.encode(body)).then((digest) => `"${toHex(digest).slice(0, 32)}"`)
    etags.set(body, etag)
  }
  return etag
}
