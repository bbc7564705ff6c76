import { expect } from 'vitest'
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
      if (name === 'script' && !(src !== undefined && /^\/(?!\/)/.test(src)))
        found.push(`<script${src === undefined ? '' : ` src=${src}`}>`)
      // <meta> is fine where the page itself wrote it (charset, viewport) with nothing active in it.
      if (activeElements.has(name) && !(name === 'meta' && attributes['http-equiv'] === undefined)) found.push(`<${name}>`)
      for (const [attribute, value] of Object.entries(attributes)) {
        if (attribute.startsWith('on')) found.push(`${attribute} on <${name}>`)
        const urlScheme = urlAttributes.has(attribute) ? scheme(value) : undefined
        if (urlScheme !== undefined && !['http', 'https', 'mailto'].includes(urlScheme))
          found.push(`${urlScheme}: in ${attribute} of <${name}>`)
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
  const [row] = await queryRows<Record<string, string>>(
    t.deps.db,
    sql`select ${table('comments')} as comments, ${table('articles')} as articles, ${table('settings')} as settings, ${table('moderators')} as moderators`,
  )
  return { ...row }
}

/** One hostile request: `changes` marks one that may write (and must write nothing when refused). */
export interface HostileProbe {
  label: string
  path: string
  init: RequestInit
  changes?: boolean
  remoteAddr?: string
}

export interface HostileResult<P extends HostileProbe> {
  probe: P
  status: number
  text: string
  location: string | null
}

/**
 * Sends the probes: never a 5xx, no script in an HTML answer, and whatever `check` adds. Reads go
 * 20 at a time and must change nothing at all; changes go one by one and each refused one (any
 * 4xx) must leave comments, articles, settings and moderators as they were.
 */
export async function sendHostile<P extends HostileProbe>(
  t: TestApp,
  probes: P[],
  check?: (result: HostileResult<P>) => void,
): Promise<HostileResult<P>[]> {
  const results: HostileResult<P>[] = []
  const answer = async (probe: P): Promise<HostileResult<P>> => {
    const res = await t.request(probe.path, probe.init, probe.remoteAddr)
    const result = { probe, status: res.status, text: await res.text(), location: res.headers.get('location') }
    expect(res.status, probe.label).toBeLessThan(500)
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) expect(scriptIn(result.text), probe.label).toEqual([])
    check?.(result)
    return result
  }
  const reads = probes.filter((p) => !p.changes)
  const before = await fingerprint(t)
  for (let at = 0; at < reads.length; at += 20) results.push(...(await Promise.all(reads.slice(at, at + 20).map(answer))))
  expect(await fingerprint(t), 'reads changed the database').toEqual(before)
  let last = before
  for (const probe of probes.filter((p) => p.changes)) {
    const result = await answer(probe)
    const now = await fingerprint(t)
    if (result.status >= 400) expect(now, `refused ${probe.label}: ${result.status}`).toEqual(last)
    last = now
    results.push(result)
  }
  return results
}
