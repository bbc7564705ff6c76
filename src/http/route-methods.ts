import type { Hono } from 'hono'

/**
 * The methods that some route answers for this path, so that a known path asked with another
 * method gets 405 with `Allow` rather than 404.
 */
export function allowedMethods(app: Hono<never> | { routes: { path: string; method: string }[] }, path: string): string[] {
  const methods = new Set<string>()
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue
    const pattern = new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`)
    if (pattern.test(path)) methods.add(route.method)
  }
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods]
}
