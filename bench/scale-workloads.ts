import { SMALL_COUNT, smallKey } from './dataset.js'
import type { Workload } from './load.js'
import { cycle } from './workloads.js'

export const COUNTS_KEYS = 100

/** GET /api/v1/counts with 100 keys at a time, over the small articles (the same keys at every size). */
export function countsWorkload(): Workload {
  const paths: string[] = []
  for (let first = 1; first + COUNTS_KEYS - 1 <= SMALL_COUNT; first += COUNTS_KEYS) {
    const keys = Array.from({ length: COUNTS_KEYS }, (_, i) => smallKey(first + i))
    paths.push(`/api/v1/counts?keys=${keys.join(',')}`)
  }
  return cycle(paths)
}

/** The moderation queue's first page (pending, oldest first, the default limit), as a signed-in moderator. */
export function moderationQueueWorkload(token: string): Workload {
  return { ...cycle(['/api/v1/moderation/comments']), headers: { authorization: `Bearer ${token}` } }
}
