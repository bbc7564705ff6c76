/** The files Parley's pages and publishers' pages load from it, as src/static holds them. */
export const CLIENT_FILES = ['/widget.js', '/admin/admin.js', '/admin/admin.css'] as const
export type ClientFilePath = (typeof CLIENT_FILES)[number]

/**
 * Where those files come from: built from their sources on Node
 * (`src/runtime/client-files-from-source.ts`), read from the static assets on Workers, so that
 * their text stays out of the Worker's bundle.
 */
export interface ClientFiles {
  text(path: ClientFilePath): Promise<string>
}
