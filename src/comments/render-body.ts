import sanitizeHtml from 'sanitize-html'
import { findLinks } from './make-clickable.js'

// The inline tags WordPress allows in comments, plus the p/br that paragraphs become.
const allowedTags = ['a', 'abbr', 'acronym', 'b', 'blockquote', 'cite', 'code', 'del', 'em', 'i', 'q', 's', 'strike', 'strong', 'p', 'br']
const linkRel = 'nofollow ugc noopener'

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    acronym: ['title'],
    blockquote: ['cite'],
    q: ['cite'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: false,
  // A reader who types "<div>" or "a < b" sees it as written rather than losing it.
  disallowedTagsMode: 'escape',
  // No style attribute is ever allowed, so postcss is never needed (and Workers bundle it out).
  parseStyleAttributes: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: linkRel } }),
  },
}

const allowed = new Set(allowedTags)

// A start or end tag as HTML writes one: a name, then attributes with quoted or bare values. No
// part but a quoted value runs past a '<', so a failed match stops at the next tag.
const tagPattern = /<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g

/**
 * Tags other than WordPress's comment tags, as the reader wrote them: `<img src="…" alt="…" />`
 * is shown whole, attributes included, as text. (sanitize-html's own escaping rebuilds such a tag
 * without its attributes, or with them escaped twice.) Whatever this misses, sanitize-html still
 * escapes or removes: it only ever turns markup into text.
 */
function escapeOtherTags(body: string): string {
  return body.replace(tagPattern, (tag, name: string) => (allowed.has(name.toLowerCase()) ? tag : escapeText(tag)))
}

/** Raw text with blank-line paragraphs and single-newline breaks, as WordPress's wpautop() reads it. */
function paragraphs(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n+/)
    .map((block) => `<p>${block.trim().replace(/\n/g, '<br />\n')}</p>`)
    .join('\n')
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity)
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Links the URLs a reader typed (http://, https:// or www.), like WordPress's make_clickable(). */
function linkifyText(escaped: string): string {
  const text = decode(escaped)
  const links = findLinks(text)
  if (links.length === 0) return escaped
  let out = ''
  let at = 0
  for (const link of links) {
    let href: URL
    try {
      href = new URL(link.href)
    } catch {
      continue
    }
    if (href.protocol !== 'http:' && href.protocol !== 'https:') continue
    out += escapeText(text.slice(at, link.start))
    out += `<a href="${escapeText(href.href)}" rel="${linkRel}">${escapeText(text.slice(link.start, link.end))}</a>`
    at = link.end
  }
  return out + escapeText(text.slice(at))
}

/** Links typed addresses in the text between tags, except inside a link or code, as make_clickable() does. */
function autolink(html: string): string {
  let inside = 0
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith('<')) {
        if (/^<(a|code)[\s>]/i.test(part)) inside++
        else if (/^<\/(a|code)>/i.test(part)) inside = Math.max(0, inside - 1)
        return part
      }
      if (inside > 0 || !/https?:\/\/|www\./i.test(part)) return part
      return linkifyText(part)
    })
    .join('')
}

/**
 * The comment's HTML as served: rendered once on write, sanitized, URLs linked.
 *
 * Text with no '<', '>' or '&' has no markup or entity for sanitize-html to parse, and the only
 * tags in it are the paragraphs' own p and br, which it keeps as written: its output would be its
 * input, so it is skipped (most comments; sanitize-html was a tenth of a hot article's allocations
 * per post, issue 16). test/render-body.test.ts holds both ways to the same output.
 */
export function renderBody(body: string): string {
  return /[<>&]/.test(body) ? renderMarkup(body) : finish(paragraphs(body))
}

/** renderBody for any text: sanitize-html parses it, whatever it holds. */
export function renderMarkup(body: string): string {
  return finish(sanitizeHtml(paragraphs(escapeOtherTags(body)), sanitizeOptions))
}

/** A block quote splits its paragraph: the empty halves it leaves are dropped, then URLs linked. */
const finish = (html: string) => autolink(html.replace(/<p>\s*<\/p>\n?/g, ''))
