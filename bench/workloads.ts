import { BIG_KEY, SMALL_COUNT, smallKey } from './dataset.js'
import type { Workload } from './load.js'

export const threadPath = (key: string, query = '') => `/api/v1/articles/${encodeURIComponent(key)}/comments${query}`

const WHOLE_THREAD_LIMIT = 100

/** Round robin over fixed paths, shared by all connections so that each path gets its share. */
export function cycle(paths: string[]): Workload {
  let at = 0
  return {
    method: 'GET',
    next: () => ({ path: paths[at++ % paths.length] ?? '/' }),
  }
}

export const bigFirstPage = (): Workload => cycle([threadPath(BIG_KEY)])

/** Every small article in turn, as many readers on many pages would. */
export const smallArticles = (): Workload => cycle(Array.from({ length: SMALL_COUNT }, (_, i) => threadPath(smallKey(i + 1))))

/** The pages a reader walks to read a whole thread: limit 100, following nextCursor to the end. */
export async function wholeThreadPaths(baseUrl: string, key: string): Promise<string[]> {
  const paths: string[] = []
  let cursor: string | null = null
  do {
    const query: string = `?limit=${WHOLE_THREAD_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const path = threadPath(key, query)
    const response = await fetch(baseUrl + path)
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
    const page = (await response.json()) as { nextCursor: string | null }
    paths.push(path)
    cursor = page.nextCursor
  } while (cursor !== null && paths.length < 1000)
  return paths
}

export interface SubmissionTally {
  approved: number
  held: number
}

/**
 * New comments spread over the small articles, each with its own body and email (the same
 * text twice would be a 409 duplicate). Counts which of the 201s came back approved.
 */
export function submissions(tally: SubmissionTally): Workload {
  const run = Date.now().toString(36)
  let n = 0
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    next: () => {
      n++
      const body = JSON.stringify({
        name: `Bench Reader ${n % 500}`,
        email: `bench-${run}-${n}@mail.example`,
        body: `Comment ${run}-${n}. I read the whole piece and I think the council should publish the full budget, line by line, before the vote next month.`,
      })
      return { path: threadPath(smallKey((n % SMALL_COUNT) + 1)), body }
    },
    onResponse: (status, body) => {
      if (status !== 201) return
      if (body.includes('"status":"approved"')) tally.approved++
      else tally.held++
    },
  }
}
