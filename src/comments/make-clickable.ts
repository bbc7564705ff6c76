// WordPress's make_clickable() (wp-includes/formatting.php), ported for http(s) and www. links:
// the same URL boundaries WordPress readers are used to, without a TLD table in the bundle.
const URL_CHAR = String.raw`[\w\u0080-\uffff#%~/@\[\]*(+=&$-]`
// A punctuation character belongs to a URL only when a URL character follows it ("Unroll the Loop").
const URL_BODY = String.raw`${URL_CHAR}*(?:['.,;:!?)]${URL_CHAR}+)*`
// PHP's \s (WordPress's regexes carry no /u) is ASCII whitespace only; JavaScript's would also take
// U+00A0, which URL_CHAR takes too: a no-break space then lifted the 2,000-character bound.
const SPACE = String.raw`[ \t\n\v\f\r]`
const schemeUrl = new RegExp(String.raw`(^|[ \t\n\v\f\r(<.,;:!?])(https?://(?=[^ \t\n\v\f\r]{1,2000}(?:${SPACE}|$))${URL_BODY})(\)?)`, 'gi')
const wwwUrl = new RegExp(String.raw`(^|[\s>])(www\.[\w\u0080-\uffff#$%&~/.\-;:=,?@\[\]+]+)`, 'gi')

/** A link found in text: where it starts and ends, and the address it goes to. */
export interface FoundLink {
  start: number
  end: number
  href: string
}

const count = (text: string, char: string) => text.split(char).length - 1

/**
 * WordPress's loop: while a URL has more `)` than `(`, cut it at its last `)`. Done in one pass from
 * the end (recounting after each cut was quadratic: 32,000 `)` took the event loop for 20 s).
 */
export function dropUnopenedParens(url: string): string {
  let opens = count(url, '(')
  let closes = count(url, ')')
  let end = url.length
  // `(` seen since the last cut: they go only if the URL is cut again to the left of them.
  let pendingOpens = 0
  for (let i = end - 1; i >= 0 && opens < closes; i--) {
    if (url[i] === '(') pendingOpens++
    else if (url[i] === ')') {
      end = i
      closes--
      opens -= pendingOpens
      pendingOpens = 0
    }
  }
  return url.slice(0, end)
}

/** `scheme://…` links, their parentheses balanced as WordPress's `_make_url_clickable_cb` does. */
function schemeLinks(text: string): FoundLink[] {
  const links: FoundLink[] = []
  for (const match of text.matchAll(schemeUrl)) {
    const [, lead = '', found = '', paren = ''] = match
    let url = found
    if (paren === ')' && url.includes('(')) url += ')'
    url = dropUnopenedParens(url)
    const start = (match.index ?? 0) + lead.length
    links.push({ start, end: start + url.length, href: url })
  }
  return links
}

/** `www.…` links, less one trailing `.,;:)`, as WordPress's `_make_web_ftp_clickable_cb` does. */
function wwwLinks(text: string, offset: number): FoundLink[] {
  const links: FoundLink[] = []
  for (const match of text.matchAll(wwwUrl)) {
    const [, lead = '', found = ''] = match
    const url = /[.,;:)]$/.test(found) ? found.slice(0, -1) : found
    const start = offset + (match.index ?? 0) + lead.length
    links.push({ start, end: start + url.length, href: `http://${url}` })
  }
  return links
}

/** The links WordPress would make of this plain text, in order. */
export function findLinks(text: string): FoundLink[] {
  const links: FoundLink[] = []
  let at = 0
  for (const link of [...schemeLinks(text), { start: text.length, end: text.length, href: '' }]) {
    // www. addresses are looked for only between the scheme links, as WordPress's second pass never sees inside them.
    links.push(...wwwLinks(text.slice(at, link.start), at))
    if (link.href) links.push(link)
    at = link.end
  }
  return links
}
