/**
 * `npm test` runs this before vitest: src/ must import only downward, in the layer order below
 * (README, Architecture). A unit is a folder of src/, or a file at its top. It fails on
 * - an import of a unit from a higher layer;
 * - any cycle between units, even within one layer;
 * - a file in the base, domain, presentation or wiring layers that imports `hono` or src/http/: rules
 *   throw AppError (src/errors.ts) and know nothing of requests.
 * Type-only imports count: a type is as much a dependency to a reader as a value.
 *
 * It also keeps one way to write HTML (issue 15 §6): src/pages/html.ts is the only place that
 * escapes, and markup is written only in its `html` template. It fails on
 * - `escapeHtml` in any other file (a hand escape, or a second escaper of that name);
 * - a template that is not tagged `html`, with a `${…}`, whose text holds markup (`<p>${name}</p>`);
 * - `+` joining a string with markup to anything but plain strings (`'<p>' + name + '</p>'`), and
 *   `+=` appending markup;
 * - `.replace()` putting markup in with a replacement string (escape-then-substitute, as the
 *   API docs page once did).
 * Markup is a tag (`<p`, `</p`, `<a href`), a comment or a doctype in the string's text. Two
 * files write markup that is not a page, each with its own escaper, and are exempt below.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const layers: [name: string, units: string[]][] = [
  [
    'base',
    [
      'errors.ts',
      'docs-flag.ts',
      'i18n',
      'logger.ts',
      'logged-error.ts',
      'config.ts',
      'zod-issues.ts',
      'cancel-decompression.ts',
      'db',
      'crypto',
      'net',
      'sources',
      'audit',
      'settings',
      'mail',
    ],
  ],
  [
    'domain',
    [
      'articles',
      'webhooks',
      'jobs',
      'spam',
      'comments',
      'auth',
      'moderation',
      'notifications',
      'privacy',
      'identity',
      'importers',
      'exports',
      'read-cache',
    ],
  ],
  ['presentation', ['pages', 'admin-pages', 'widget', 'fragments', 'demo', 'emails']],
  ['wiring', ['deps.ts', 'app-env.ts']],
  ['http', ['http']],
  ['openapi', ['openapi']],
  ['routes', ['routes']],
  ['app', ['app.ts', 'route-docs.ts']],
  ['entry points', ['runtime', 'cli']],
]
const freeOfHttp = new Set(['base', 'domain', 'presentation', 'wiring'])

const root = resolve(import.meta.dirname, '../src')
const layerOf = new Map(layers.flatMap(([name, units], rank) => units.map((unit) => [unit, { name, rank }] as const)))
const unitOf = (file: string) => (relative(root, file).split('/')[0] ?? '').replace(/\.js$/, '.ts')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    // The widget's browser code and the built files have no server imports.
    if (statSync(path).isDirectory()) return path.endsWith('widget/client') || name === 'static' ? [] : sources(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

const problems: string[] = []
const edges = new Map<string, Set<string>>()
for (const file of sources(root)) {
  const from = unitOf(file)
  const layer = layerOf.get(from)
  if (!layer) {
    problems.push(`${relative(root, file)}: ${from} has no layer in scripts/check-layers.ts`)
    continue
  }
  const text = readFileSync(file, 'utf8')
  for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
    if (!specifier) continue
    if (!specifier.startsWith('.')) {
      if (freeOfHttp.has(layer.name) && /^(hono|@hono\/)/.test(specifier))
        problems.push(`${relative(root, file)}: a ${layer.name} file imports ${specifier}`)
      continue
    }
    const to = unitOf(resolve(dirname(file), specifier))
    if (to === from) continue
    const target = layerOf.get(to)
    if (to === 'http' && freeOfHttp.has(layer.name))
      problems.push(`${relative(root, file)}: a ${layer.name} file imports src/http/ (${specifier})`)
    else if (target && target.rank > layer.rank)
      problems.push(`${relative(root, file)}: ${layer.name} imports ${target.name} (${specifier})`)
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from)?.add(to)
  }
}

// One way to write HTML: see the header. The template module itself is exempt from every rule.
const template = join(root, 'pages/html.ts')
// Markup that is no page, exempt from the markup rules (not from the escapeHtml one).
const notPages = new Set([
  // The sanitizer: it makes the stored comment HTML that pages pass through `trusted`.
  'comments/render-body.ts',
  // WordPress's export format is XML, escaped by its own xmlText and cdata.
  'exports/wxr-export.ts',
])
const markup = /<\/?[a-z][a-z0-9-]*[\s/>]|<!--|<!doctype/i
const isPlainString = (node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
const isPlus = (node: ts.Node): node is ts.BinaryExpression =>
  ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken
/** The operands of a chain of `+`: `'<p>' + name + '</p>'` is three. */
const summands = (node: ts.Expression): ts.Expression[] => (isPlus(node) ? [...summands(node.left), ...summands(node.right)] : [node])
const isMarkup = (node: ts.Node) => isPlainString(node) && markup.test(node.text)
for (const file of sources(root)) {
  if (file === template) continue
  const name = relative(root, file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/\bescapeHtml\b/g)) {
    const line = text.slice(0, match.index).split('\n').length
    problems.push(`${name}:${line}: escapeHtml outside src/pages/html.ts; build the markup with its html template`)
  }
  if (notPages.has(name)) continue
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const at = (node: ts.Node) => `${name}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node)) {
      const tagged = ts.isTaggedTemplateExpression(node.parent) && ts.isIdentifier(node.parent.tag) && node.parent.tag.text === 'html'
      const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)]
      if (!tagged && parts.some((part) => markup.test(part)))
        problems.push(`${at(node)}: markup in a template not tagged html (its values go in unescaped)`)
    } else if (isPlus(node) && !isPlus(node.parent)) {
      const all = summands(node)
      if (all.some(isMarkup) && !all.every(isPlainString))
        problems.push(`${at(node)}: markup joined to a value with + (unescaped); use the html template`)
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
      summands(node.right).some(isMarkup)
    ) {
      problems.push(`${at(node)}: markup appended with += ; build it with the html template`)
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^replace(All)?$/.test(node.expression.name.text)
    ) {
      const replacement = node.arguments[1]
      if (replacement && isMarkup(replacement)) problems.push(`${at(node)}: markup put in by .replace(); build it with the html template`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

// Cycles between units: Tarjan's strongly connected components, each of more than one unit.
let index = 0
const indexOf = new Map<string, number>()
const low = new Map<string, number>()
const stack: string[] = []
const onStack = new Set<string>()
function visit(unit: string): void {
  indexOf.set(unit, index)
  low.set(unit, index++)
  stack.push(unit)
  onStack.add(unit)
  for (const next of edges.get(unit) ?? []) {
    if (!indexOf.has(next)) {
      visit(next)
      low.set(unit, Math.min(low.get(unit) ?? 0, low.get(next) ?? 0))
    } else if (onStack.has(next)) low.set(unit, Math.min(low.get(unit) ?? 0, indexOf.get(next) ?? 0))
  }
  if (low.get(unit) !== indexOf.get(unit)) return
  const component: string[] = []
  for (let member = stack.pop(); member !== undefined; member = member === unit ? undefined : stack.pop()) {
    onStack.delete(member)
    component.push(member)
  }
  if (component.length > 1) problems.push(`import cycle between ${component.sort().join(', ')}`)
}
for (const unit of edges.keys()) if (!indexOf.has(unit)) visit(unit)

if (problems.length > 0) {
  console.error(`Layers (scripts/check-layers.ts): ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`)
  process.exit(1)
}
