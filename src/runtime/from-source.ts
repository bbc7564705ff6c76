import type { AppOptions } from '../app.js'
import type { ClientFilePath } from '../http/client-files.js'
import { generatedOpenApi } from '../openapi/openapi-document.js'
import { readFile } from 'node:fs/promises'
import { buildWidget } from '../widget/build-widget.js'

// The dashboard's script and stylesheet are written as the files src/static holds; the widget is
// bundled from src/widget/client by esbuild. Each made once: the files do not change while the
// process runs. The path goes up to the repository root, so that it holds both here and in
// `npm start`'s bundle, dist/node/node.js: two levels down too.
function staticFile(path: string): () => Promise<string> {
  let text: Promise<string> | undefined
  return () => (text ??= readFile(new URL(`../../src/static${path}`, import.meta.url), 'utf8'))
}

let widget: Promise<string> | undefined
const sources: Record<ClientFilePath, () => Promise<string> | string> = {
  '/widget.js': () => (widget ??= buildWidget()),
  '/admin/admin.js': staticFile('/admin/admin.js'),
  '/admin/admin.css': staticFile('/admin/admin.css'),
}

/**
 * The app's served files as Node makes them: the OpenAPI document and the widget built from their
 * sources (`npm run static:write` writes those into src/static for the Worker, whose bundle then
 * carries neither the sources nor the OpenAPI generator), the dashboard's files read as they are.
 */
export const fromSource: AppOptions = {
  openApiDocument: generatedOpenApi,
  clientFiles: { text: async (path) => sources[path]() },
}
