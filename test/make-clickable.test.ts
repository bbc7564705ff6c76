import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { dropUnopenedParens, findLinks } from '../src/comments/make-clickable.js'

const count = (text: string, char: string) => text.split(char).length - 1

/** WordPress's own loop, as _make_url_clickable_cb writes it: recount, cut at the last `)`, again. */
function wordpressLoop(url: string): string {
  let cut = url
  while (count(cut, '(') < count(cut, ')')) cut = cut.slice(0, cut.lastIndexOf(')'))
  return cut
}

describe('make-clickable', () => {
  it("balances parentheses as WordPress's loop does, in one pass", () => {
    const parenthesised = fc.string({ unit: fc.constantFrom('(', ')', 'a', '/', '.'), maxLength: 40 })
    fc.assert(
      fc.property(parenthesised, (url) => dropUnopenedParens(url) === wordpressLoop(url)),
      { numRuns: 5000 },
    )
    expect(dropUnopenedParens('http://x/a_(b))c)')).toBe('http://x/a_(b)')
  })

  it("ends a URL at ASCII whitespace only, as PHP's \\s does, so a no-break space cannot lift the 2,000-character bound", () => {
    const hostile = `http://x\u00a0${')a'.repeat(32_750)}`
    // One URL character run past 2,000 without ASCII whitespace: WordPress links none of it.
    expect(findLinks(hostile)).toEqual([])
    expect(findLinks('see http://example.com/a\u00a0b done').map((link) => link.href)).toEqual(['http://example.com/a\u00a0b'])
    expect(findLinks('see http://example.com/(a)) done').map((link) => link.href)).toEqual(['http://example.com/(a)'])
  })
})
