/**
 * An entry of `allowedOrigins` is compared with the `Origin` header browsers send: scheme, host and
 * port, lowercase, no path, no default port. People paste a site's address instead ("https://News.example/"),
 * so an address that only differs by case or a bare trailing slash is stored as its origin; anything
 * else is refused with words that say what to change, since a silent mismatch blocks the widget.
 */
const example = 'such as https://news.example'

function parse(text: string): URL | null {
  try {
    return new URL(text.trim())
  } catch {
    return null
  }
}

/** The origin an entry names when it is an address of the site's root; the entry unchanged otherwise. */
export function asOrigin(text: string): string {
  const url = parse(text)
  if (url === null || originProblem(text) !== null) return text
  return url.origin
}

/** Why an entry is not an origin, as the end of a sentence about the field; null when it is one. */
export function originProblem(text: string): string | null {
  const trimmed = text.trim()
  if (!/^https?:\/\//i.test(trimmed)) return `must start with https:// or http:// (an origin ${example})`
  const url = parse(trimmed)
  if (url === null || url.hostname === '') return `must be an origin ${example}`
  if (url.username !== '' || url.password !== '') return `must not carry a user name or password (an origin ${example})`
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(trimmed))
    return `must be an origin without a path, query or fragment (${example})`
  return null
}
