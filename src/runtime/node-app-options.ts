import type { AppOptions } from '../app.js'
import type { ClientFilePath } from '../http/client-files.js'
import { generatedOpenApi } from '../openapi/openapi-document.js'
import { renderDocs } from '../openapi/docs-page.js'
import { routeDocs } from '../route-docs.js'
import { readFile } from 'node:fs/promises'
import { demoRoutes } from '../routes/demo-routes.js'
import { registerAllLanguages } from '../i18n/all-languages.js'

// Node has every catalog's code at hand (the Worker loads them from its static assets).
registerAllLanguages()

const texts = new Map<ClientFilePath, Promise<string>>()

/**
 * A file of src/static, read once: the files do not change while the process runs. The path goes
 * up to the repository root, so that it holds both here and in `npm start`'s bundle,
 * dist/node/node.js: two levels down too.
 */
function staticFile(path: ClientFilePath): Promise<string> {
  let text = texts.get(path)
  if (!text) {
    text = readFile(new URL(`../../src/static${path}`, import.meta.url), 'utf8').catch((error: unknown) => {
      texts.delete(path)
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
      throw new Error(`src/static${path} is not built: run \`npm run build:widget\` (\`npm start\` runs it first)`)
    })
    texts.set(path, text)
  }
  return text
}

/**
 * The app's served files as Node makes them: the OpenAPI document generated from the routes, the
 * files of src/static as they are there (the dashboard's as written, the widget as built by
 * `npm run build:widget`). The Worker serves copies of all of them from its static assets instead,
 * so that its bundle carries neither the OpenAPI generator nor the files' text.
 */
export const nodeAppOptions: AppOptions = {
  openApiDocument: () => generatedOpenApi(routeDocs),
  docsBody: async () => renderDocs(await generatedOpenApi(routeDocs)).markup,
  clientFiles: { text: staticFile },
  demo: demoRoutes,
}
