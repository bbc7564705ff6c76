import { readdirSync } from 'node:fs'
import { Parser } from 'htmlparser2'

/**
 * The comments a WordPress or Disqus export holds, counted apart from Parley's reader (with
 * htmlparser2, which knows nothing of namespaces or WXR): what an import that loses nothing
 * must account for. Pingbacks and trackbacks are counted apart, since an import skips them.
 */
export function countExport(xml: string): { comments: number; pings: number } {
  let comments = 0
  let pings = 0
  let inComment = false
  let type = ''
  let field = ''
  const stack: string[] = []
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push(name)
        field = name
        if (name === 'wp:comment') {
          inComment = true
          type = ''
        }
        // A Disqus post is a child of the root.
        if (name === 'post' && stack.length === 2 && stack[0] === 'disqus') comments++
      },
      ontext(text) {
        if (inComment && field === 'wp:comment_type') type += text
      },
      onclosetag(name) {
        stack.pop()
        field = ''
        if (name !== 'wp:comment') return
        inComment = false
        if (['pingback', 'trackback'].includes(type.trim())) pings++
        else comments++
      },
    },
    { xmlMode: true, recognizeCDATA: true },
  )
  parser.write(xml)
  parser.end()
  return { comments, pings }
}

/** The real exports of test/fixtures: every WordPress importer test file, the theme test data and preview, the Disqus sample. */
export function realExports(): string[] {
  const importerTests = readdirSync(new URL('../fixtures/wordpress/importer-tests/', import.meta.url))
    .filter((name) => name.endsWith('.xml'))
    .sort()
  return [
    ...importerTests.map((name) => `wordpress/importer-tests/${name}`),
    'wordpress/themeunittestdata.wordpress.xml',
    'wordpress/theme-preview.xml',
    'disqus/export-sample.xml',
  ]
}
