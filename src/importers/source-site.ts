/**
 * A site as a source identity: its URL without scheme, query or trailing slash, the host in lower
 * case (and punycode), so that a site that moved from http to https is still the same site, while
 * two blogs in subdirectories of one host are not. '' when there is no URL.
 *
 * @example
 * sourceSite('HTTPS://WPThemeTestData.wordpress.com/') // 'wpthemetestdata.wordpress.com'
 */
export function sourceSite(url: string): string {
  const trimmed = url.trim()
  if (!trimmed) return ''
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`
  try {
    const parsed = new URL(withScheme)
    return `${parsed.host}${parsed.pathname}`.replace(/\/+$/, '')
  } catch {
    return trimmed
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .toLowerCase()
  }
}

/** A site named by hand (`--site`, `?site=`) is stored as every comment's source site: no control characters (PostgreSQL holds no NUL). */
export const siteNamePattern = /^[^\u0000-\u001F\u007F]{1,2000}$/
/** As the end of a sentence naming the field: `site must not hold control characters.` */
export const siteNameMessage = 'must not hold control characters'
