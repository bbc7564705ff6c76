// The one URL normalisation: commenters' websites, article URLs and imported URLs all pass here.

// A DNS name, an IPv4 address or an [IPv6] literal. The URL parser also lets through host names
// such as `"onmouseover=alert(1)`, which no website has and which break out of an href.
const hostPattern = /^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+\.?$|^\[[0-9a-f:.]+\]$/i

// What RFC 3986 allows unescaped in a path, query or fragment (plus `%`, checked as an escape).
const notUriText = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g
const escapeForUri = (text: string) => text.replace(notUriText, (ch) => encodeURIComponent(ch))

/**
 * The URL parser's serialization as an RFC 3986 URI: it leaves `|`, `^`, `[`, `]`, a second `#` or a
 * `%` that escapes nothing as they came, which no URI holds (the document says these are `uri`s).
 * Escaping them names the same resource to every server that decodes paths.
 */
function asUri(url: URL): string {
  const href = url.href
  const pathAt = href.indexOf('/', url.protocol.length + 2)
  const rest = pathAt === -1 ? '' : href.slice(pathAt)
  const hashAt = rest.indexOf('#')
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : `#${escapeForUri(rest.slice(hashAt + 1))}`
  return `${pathAt === -1 ? href : href.slice(0, pathAt)}${escapeForUri(beforeHash)}${hash}`
}

/** Normalizes a website as WordPress's esc_url() does for a missing scheme, and allows only http(s). */
export function normalizeUrl(input: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : `http://${input}`
  try {
    const url = new URL(candidate)
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !hostPattern.test(url.hostname)) return undefined
    return asUri(url)
  } catch {
    return undefined
  }
}
