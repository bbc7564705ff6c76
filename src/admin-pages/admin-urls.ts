/** The queues of the dashboard: a status, or the reported comments of any status. */
export const QUEUES = ['pending', 'approved', 'reported', 'spam', 'trash'] as const
export type Queue = (typeof QUEUES)[number]

export interface QueueFilter {
  queue: Queue
  article?: string | undefined
  q?: string | undefined
  /** Comments a page, when not the default. */
  limit?: number | undefined
  /** Newest first, when not the default (oldest first). */
  newest?: boolean | undefined
}

/**
 * A path inside the dashboard, for redirects after login and actions: anything else (another
 * host, `//evil.example`, a path outside /admin) is refused, so no redirect leaves Parley.
 */
export function localAdminPath(value: string | undefined | null): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined
  const base = 'http://parley.invalid'
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return undefined
  }
  if (url.origin !== base || !(url.pathname === '/admin' || url.pathname.startsWith('/admin/'))) return undefined
  return url.pathname + url.search
}

/** A queue page's URL; `extra` adds paging or a notice. */
export function queueUrl(filter: QueueFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (filter.queue !== 'pending') params.set('queue', filter.queue)
  if (filter.article) params.set('article', filter.article)
  if (filter.q) params.set('q', filter.q)
  if (filter.limit) params.set('limit', String(filter.limit))
  if (filter.newest) params.set('order', 'newest')
  for (const [name, value] of Object.entries(extra)) params.set(name, value)
  const query = params.toString()
  return query ? `/admin?${query}` : '/admin'
}

/** `path` with a notice of what was just done (see notices.ts) and what its Undo takes back, replacing an earlier one. */
export function withNotice(path: string, done: string, count?: number, undo?: string): string {
  const url = new URL(path, 'http://parley.invalid')
  for (const name of ['done', 'n', 'undo']) url.searchParams.delete(name)
  url.searchParams.set('done', done)
  if (count !== undefined) url.searchParams.set('n', String(count))
  if (undo) url.searchParams.set('undo', undo)
  return url.pathname + url.search
}

export const commentUrl = (id: number, from?: string) =>
  from ? `/admin/comments/${id}?${new URLSearchParams({ from }).toString()}` : `/admin/comments/${id}`
