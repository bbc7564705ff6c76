/**
 * The public reads whose answer depends on nothing but the URL, the Origin and the database: the
 * read cache (Node) keeps them in memory and the edge cache (Workers) in Cloudflare's cache. One
 * list for both, in Hono's path syntax.
 */
export const CACHEABLE_READS = ['/api/v1/articles/:key/comments', '/api/v1/articles/:key/comments.html', '/api/v1/counts'] as const

const patterns = CACHEABLE_READS.map((path) => new RegExp(`^${path.replace(/\./g, '\\.').replace(/:\w+/g, '[^/]+')}$`))

/** Whether a request path is one of them. */
export const isCacheableRead = (path: string): boolean => patterns.some((pattern) => pattern.test(path))
