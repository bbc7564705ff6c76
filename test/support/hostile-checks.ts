import { Parser } from 'htmlparser2'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../src/db/database.js'
import type { TestApp } from './test-app.js'

/** How a browser reads a URL attribute: entities decoded (by the parser), whitespace and controls dropped, any case. */
function scheme(value: string): string | undefined {
  const squeezed = value.replace(/[\u0000-\u0020\u007F-\u009F\u200B-\u200D\uFEFF]/g, '').toLowerCase()
  return /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1]
}

const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'cite', 'xlink:href', 'poster', 'data'])
const activeElements = new Set(['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet', 'svg', 'math', 'meta'])

/**
 * What in `html` could run script in a reader's browser: script elements (except the page's own
 * same-origin `src`), event handlers, javascript:/data:/vbscript: URLs, embedding elements.
 * Looser than rendering-xss.test.ts's allow-list on purpose: it also judges whole pages (the
 * dashboard), which carry forms and their own script file. Empty when safe.
 */
export function scriptIn(html: string): string[] {
  const found: string[] = []
  const parser = new Parser({
    onopentag(name, attributes) {
      const src = attributes.src
      if (name === 'script' && !(src !== undefined && /^\/(?!\/)/.test(src))) found.push(`<script${src === undefined ? '' : ` src=${src}`}>`)
      // <meta> is fine where the page itself wrote it (charset, viewport) with nothing active in it.
      if (activeElements.has(name) && !(name === 'meta' && attributes['http-equiv'] === undefined)) found.push(`<${name}>`)
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) found.push(`${attribute} on <${name}>`)
        const urlScheme = urlAttributes.has(attribute) ? scheme(value) : undefined
        if (urlScheme !== undefined && !['http', 'https', 'mailto'].includes(urlScheme)) found.push(`${urlScheme}: in ${attribute} of <${name}>`)
      }
    },
  })
  parser.write(html)
  parser.end()
  return found
}

/**
 * One hash per table of everything in comments, articles, settings and moderators: equal
 * fingerprints mean nothing there changed. Rows are hashed as text, so a new column is
 * covered without touching this query.
 */
export async function fingerprint(t: TestApp): Promise<Record<string, string>> {
  const table = (name: string) => sql.raw(`(select coalesce(md5(string_agg(r::text, '|' order by r::text)), '') from ${name} r)`)
  const [row] = await queryRows<Record<string, string>>(t.deps.db, sql`select ${table('comments')} as comments, ${table('articles')} as articles, ${table('settings')} as settings, ${table('moderators')} as moderators`)
  return { ...row }
}
