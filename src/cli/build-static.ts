import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildWidget, buildWidgetCatalogs } from '../widget/build-widget.js'
import type { OpenApiDocument } from '../openapi/docs-page.js'

// The files src/static holds that are built, not written (git ignores them):
// - `npm run build:widget`: /widget.js and its other languages' words (/widget-de.js, …), which both
//   runtimes serve. `npm start` runs it first.
// - `npm run build:static`: that and /openapi.json, the Worker's static assets (its bundle carries
//   neither the widget's sources nor the OpenAPI generator; Node generates the document itself).
//   wrangler.toml's `[build]` runs it before `wrangler deploy` and `wrangler dev` bundle.
// The tests' setup runs both (test/support/global-setup.ts, test-workers/global-setup.ts).
export const STATIC_DIR = fileURLToPath(new URL('../static', import.meta.url))

/** The OpenAPI document as the Worker serves it. Loaded on demand: it needs every route's module. */
export async function openApiJson(): Promise<string> {
  const [{ routeDocs }, { generatedOpenApi }] = await Promise.all([import('../route-docs.js'), import('../openapi/openapi-document.js')])
  return `${JSON.stringify(await generatedOpenApi(routeDocs), null, 2)}\n`
}

/**
 * Writes the built files into src/static, each whole (a server reading one never sees half of it),
 * and only where they changed: `wrangler dev` runs the build again on any change under src/.
 */
export async function writeStaticFiles(which: { openApi: boolean }): Promise<{ file: string; changed: boolean }[]> {
  const files: Record<string, string> = { '/widget.js': await buildWidget(), ...(await buildWidgetCatalogs()) }
  if (which.openApi) {
    files['/openapi.json'] = await openApiJson()
    // /docs's body as the Worker serves it, in its own page shell (src/app.ts).
    const { renderDocs } = await import('../openapi/docs-page.js')
    files['/docs-body.html'] = renderDocs(JSON.parse(files['/openapi.json']) as OpenApiDocument).markup
    // The readers' languages but English, as the Worker loads them (src/runtime/worker.ts).
    const { catalogData } = await import('../i18n/all-languages.js')
    for (const [language, data] of Object.entries(catalogData)) files[`/i18n/${language}.json`] = `${JSON.stringify(data)}\n`
  }
  const results: { file: string; changed: boolean }[] = []
  for (const [path, text] of Object.entries(files)) {
    const file = join(STATIC_DIR, path)
    const before = await readFile(file, 'utf8').catch(() => undefined)
    if (before !== text) {
      await mkdir(dirname(file), { recursive: true })
      const partial = `${file}.${process.pid}.tmp`
      await writeFile(partial, text)
      await rename(partial, file)
    }
    results.push({ file, changed: before !== text })
  }
  return results
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const widgetOnly = process.argv.includes('--widget-only')
  for (const { file, changed } of await writeStaticFiles({ openApi: !widgetOnly }))
    console.log(`${changed ? 'Wrote' : 'Unchanged:'} ${file}`)
}
