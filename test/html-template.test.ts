// The one template every page is built with (src/pages/html.ts), and the API docs' Markdown on it.
import { describe, expect, it } from 'vitest'
import { html, joinHtml, safeHref, styleSheet, trusted } from '../src/pages/html.js'
import { inlineMarkdown } from '../src/openapi/docs-page.js'

const hostile = `<script>alert("x")</script> & 'y'`
const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;'

describe('html', () => {
  it("escapes every value, in text and in quoted attributes, and leaves the template's own markup alone", () => {
    expect(html`<p title="${hostile}">${hostile}</p>`.markup).toBe(`<p title="${escaped}">${escaped}</p>`)
  })

  it('nests without escaping twice, and renders lists, numbers and nothing', () => {
    const inner = html`<b>${'a&b'}</b>`
    expect(html`<i>${inner}</i>`.markup).toBe('<i><b>a&amp;b</b></i>')
    expect(html`${[html`<li>${1}</li>`, '<li>', [2, null]]}`.markup).toBe('<li>1</li>&lt;li&gt;2')
    expect(html`[${null}${undefined}${false}${0}]`.markup).toBe('[0]')
  })

  it('joins with an escaped separator', () => {
    expect(joinHtml([html`<p>a</p>`, '<b>'], '\n&').markup).toBe('<p>a</p>\n&amp;&lt;b&gt;')
  })

  it("passes the sanitizer's HTML through trusted, and nothing else", () => {
    expect(html`<div>${trusted('<p>ok <em>fine</em></p>')}</div>`.markup).toBe('<div><p>ok <em>fine</em></p></div>')
  })

  it('keeps a stylesheet as CSS, but never one that closes its element', () => {
    expect(html`<style>${styleSheet('a > b{content:"&"}')}</style>`.markup).toBe('<style>a > b{content:"&"}</style>')
    expect(() => styleSheet('a{}</STYLE><script>x()</script>')).toThrow()
  })

  it('links only http(s) URLs', () => {
    expect(safeHref('https://example.com/?a=1&b=2')).toBe('https://example.com/?a=1&b=2')
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', '', null, undefined])
      expect(safeHref(url)).toBeUndefined()
  })
})

describe("the API docs' inline Markdown", () => {
  it('writes code, strong, emphasis and links, and escapes the rest', () => {
    expect(inlineMarkdown('Send `a<b>` as **bold** or *em* (see [the guide](https://x.example/?a=1&b="2")) & <i>').markup).toBe(
      'Send <code>a&lt;b&gt;</code> as <strong>bold</strong> or <em>em</em> (see <a href="https://x.example/?a=1&amp;b=&quot;2&quot;">the guide</a>) &amp; &lt;i&gt;',
    )
    expect(inlineMarkdown('**Moderators** see [*all* of it](#schema-Comment)').markup).toBe(
      '<strong>Moderators</strong> see <a href="#schema-Comment"><em>all</em> of it</a>',
    )
  })

  it('links only http(s), paths and anchors', () => {
    expect(inlineMarkdown('[x](javascript:alert(1)) [y](/docs)').markup).toBe('[x](javascript:alert(1)) <a href="/docs">y</a>')
  })

  it('nests its tags properly where the delimiters overlap', () => {
    expect(inlineMarkdown('*a `b* c`').markup).toBe('<em>a `b</em> c`')
    expect(inlineMarkdown('`x **y` z**').markup).toBe('<code>x **y</code> z**')
  })
})
