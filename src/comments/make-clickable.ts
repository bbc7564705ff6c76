// WordPress's make_clickable() (wp-includes/formatting.php), ported for http(s) and www. links:
// the same URL boundaries WordPress readers are used to, without a TLD table in the bundle.
const URL_CHAR = String.raw`[\w\u0080-\uffff#%~/@\[\]*(+=&$-]`
// A punctuation character belongs to a URL only when a URL character follows it ("Unroll the Loop").
const URL_BODY = String.raw`${URL_CHAR}*(?:['.,;:!?)]${URL_CHAR}+)*`
const schemeUrl = new RegExp(String.raw`(^|[\s(<.,;:!?])(https?://(?=\S{1,2000}(?:\s|$))${URL_BODY})(\)?)`, 'gi')
const wwwUrl = new RegExp(String.raw`(^|[\s>])(www\.[\w\u0080-\uffff#$%&~/.\-;:=,?@\[\]+]+)`, 'gi')

/** A link found in text: where it starts and ends, and the address it goes to. */
export interface FoundLink {
  start: number
  end: number
  href: string
}

const count = (text: string, char: string) => text.split(char).length - 1

/** `scheme://…` links, their parentheses balanced as WordPress's `_make_url_clickable_cb` does. */
function schemeLinks(text: string): FoundLink[] {
  const links: FoundLink[] = []
  for (const match of text.matchAll(schemeUrl)) {
    const [, lead = '', found = '', paren = ''] = match
    let url = found
    if (paren === ')' && url.includes('(')) url += ')'
    while (count(url, '(') < count(url, ')')) url = url.slice(0, url.lastIndexOf(')'))
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
