/**
 * `npm test` runs this before vitest: src/ must import only downward, in the layer order below
 * (README, Architecture). A unit is a folder of src/, or a file at its top. It fails on
 * - an import of a unit from a higher layer;
 * - any cycle between units, even within one layer;
 * - a file in the base, domain or presentation layers that imports `hono` or src/http/: rules
 *   throw AppError (src/errors.ts) and know nothing of requests.
 * Type-only imports count: a type is as much a dependency to a reader as a value.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const layers: [name: string, units: string[]][] = [
  ['base', ['errors.ts', 'logger.ts', 'logged-error.ts', 'config.ts', 'zod-issues.ts', 'cancel-decompression.ts', 'db', 'crypto', 'net', 'sources', 'audit', 'settings']],
  ['domain', ['articles', 'webhooks', 'jobs', 'spam', 'comments', 'auth', 'moderation', 'privacy', 'importers', 'exports', 'read-cache']],
  ['presentation', ['pages', 'admin-pages', 'widget', 'demo']],
  ['wiring', ['deps.ts', 'app-env.ts']],
  ['http', ['http']],
  ['openapi', ['openapi']],
  ['routes', ['routes']],
  ['app', ['app.ts']],
  ['entry points', ['runtime', 'cli']],
]
const freeOfHttp = new Set(['base', 'domain', 'presentation'])

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
      if (freeOfHttp.has(layer.name) && /^(hono|@hono\/)/.test(specifier)) problems.push(`${relative(root, file)}: a ${layer.name} file imports ${specifier}`)
      continue
    }
    const to = unitOf(resolve(dirname(file), specifier))
    if (to === from) continue
    const target = layerOf.get(to)
    if (to === 'http' && freeOfHttp.has(layer.name)) problems.push(`${relative(root, file)}: a ${layer.name} file imports src/http/ (${specifier})`)
    else if (target && target.rank > layer.rank) problems.push(`${relative(root, file)}: ${layer.name} imports ${target.name} (${specifier})`)
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from)?.add(to)
  }
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
