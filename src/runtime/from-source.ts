import type { AppOptions } from '../app.js'
import type { ClientFilePath } from '../http/client-files.js'
import { generatedOpenApi } from '../openapi/openapi-document.js'
import { widgetScript } from '../widget/widget-script.js'
import { adminScript } from '../admin-pages/admin-script.js'
import { adminCss } from '../admin-pages/admin-css.js'

const sources: Record<ClientFilePath, () => string> = {
  '/widget.js': widgetScript,
  '/admin/admin.js': () => adminScript,
  '/admin/admin.css': () => adminCss,
}

/**
 * The app's built files made from their sources, as Node serves them and `npm run static:write`
 * writes them into src/static for the Worker (whose bundle then carries neither the sources nor the
 * OpenAPI generator).
 */
export const fromSource: AppOptions = {
  openApiDocument: generatedOpenApi,
  clientFiles: { text: (path) => Promise.resolve(sources[path]()) },
}
