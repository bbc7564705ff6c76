import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { renderBody, renderMarkup } from '../src/comments/render-body.js'
import { blns, edges, sqli, xss } from './support/corpora.js'

/**
 * renderBody skips sanitize-html for text with no '<', '>' or '&' (its output would be its input):
 * both ways must give the same HTML for every text, byte for byte.
 */
describe('renderBody without sanitize-html', () => {
  const plain = (text: string) => !/[<>&]/.test(text)

  it('gives what sanitize-html gives for every corpus entry it takes', () => {
    const entries = [...blns, ...sqli, ...xss, ...edges]
    const taken = entries.filter(plain)
    // The corpora hold both kinds in numbers: the check below means something.
    expect(taken.length).toBeGreaterThan(1_000)
    for (const text of taken) expect(renderBody(text), JSON.stringify(text)).toBe(renderMarkup(text))
    for (const text of entries.filter((t) => !plain(t)).slice(0, 500)) expect(renderBody(text)).toBe(renderMarkup(text))
  })

  it('gives what sanitize-html gives for comments as readers write them', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '  ', '\n', '\n\n', '\r\n', '\r\n\r\n', '\n \n', '\t', '\u00a0', '\u2028', '\u0000', '\uFEFF', '\uD800'),
      fc.constantFrom('"', "'", '`', '=', '/', ';', '#', '%20', '--', '*', '_', '\\', '{', '}'),
      fc.constantFrom('https://example.com/a?b=c', 'www.example.org', 'http://x', 'mailto:a@b.c', 'ftp://f', 'javascript:alert(1)'),
      fc.constantFrom('I’m', 'naïve', 'Ελληνικά', '日本語', '😀', 'e\u0301', 'عربى', '‮rtl'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
    )
    const text = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''))
    let taken = 0
    fc.assert(
      fc.property(text, (body) => {
        if (!plain(body)) return
        taken++
        expect(renderBody(body)).toBe(renderMarkup(body))
      }),
      { numRuns: 3_000, seed: 20261207 },
    )
    expect(taken).toBeGreaterThan(1_000)
  })

  it('still parses anything with markup or an entity', () => {
    expect(renderBody('a <b>bold</b> & <script>x</script>')).toBe('<p>a <b>bold</b> &amp; &lt;script&gt;x&lt;/script&gt;</p>')
    expect(renderBody('5 > 3 &amp; so on')).toBe('<p>5 &gt; 3 &amp; so on</p>')
    expect(renderBody('plain "quoted" text\n\nwww.example.org')).toBe(
      '<p>plain "quoted" text</p>\n<p><a href="http://www.example.org/" rel="nofollow ugc noopener">www.example.org</a></p>',
    )
  })
})
