/** The files Parley's pages and publishers' pages load from it, as src/static holds them. */
export type ClientFilePath = '/widget.js' | `/widget-${string}.js` | '/admin/admin.js' | '/admin/admin.css'

/**
 * Where those files come from: src/static on Node (`src/runtime/node-app-options.ts`; the widget built
 * there by `npm run build:widget`), the static assets on Workers, so that their text stays out of
 * the Worker's bundle.
 */
export interface ClientFiles {
  text(path: ClientFilePath): Promise<string>
}
