import type autocannon from 'autocannon'
import { BIG_KEY, SMALL_COUNT, smallKey } from './dataset.js'
import { newCommenters, submissions, threadPath, type SubmissionTally } from './workloads.js'

/** Of every ten requests a connection sends, this many are thread reads and the rest one submission. */
export const READS_PER_CYCLE = 9

/**
 * The pages readers ask for, in proportions a news site's comment widgets might: mostly small
 * articles (one page each), the big article's first page, the rest of its thread page by page,
 * and its newest-first view. Round robin within each kind, so every article and page gets its turn.
 */
function readPaths(wholeThread: string[]): () => string {
  const small = Array.from({ length: SMALL_COUNT }, (_, i) => threadPath(smallKey(i + 1)))
  const kinds: string[][] = [
    small,
    small,
    small,
    small,
    [threadPath(BIG_KEY)],
    [threadPath(BIG_KEY)],
    [threadPath(BIG_KEY)],
    wholeThread,
    wholeThread,
    [threadPath(BIG_KEY, '?order=newest')],
  ]
  const at = kinds.map(() => 0)
  let n = 0
  return () => {
    const kind = n++ % kinds.length
    const paths = kinds[kind] ?? small
    const index = at[kind] ?? 0
    at[kind] = index + 1
    return paths[index % paths.length] ?? '/'
  }
}

export interface SoakMix {
  /** autocannon's request cycle: READS_PER_CYCLE reads, then one submission. */
  requests: autocannon.Request[]
  tally: SubmissionTally
  /** Each submission's answer by status. */
  postStatuses: Record<string, number>
  /** Submissions answered in each minute since `start`. */
  postsPerMinute: number[]
}

/**
 * Each connection sends its cycle in order, so the mix is 90/10 by requests whatever either
 * kind costs; only the submissions' answers are read (to tally them), the reads' are not
 * buffered, so the load generator spends its CPU on sending.
 */
/** `start`: when the load begins (ms since the epoch), from which minutes are counted. */
export function soakMix(wholeThread: string[], start: number): SoakMix {
  const nextRead = readPaths(wholeThread)
  const tally: SubmissionTally = { approved: 0, held: 0 }
  // Each by a new commenter from an address of its own: flood control is on (seed.ts).
  const post = submissions(tally, newCommenters())
  const postStatuses: Record<string, number> = {}
  const postsPerMinute: number[] = []
  const read: autocannon.Request = {
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: nextRead() }),
  }
  const submission: autocannon.Request = {
    method: 'POST',
    headers: post.headers ?? {},
    setupRequest: (request) => {
      const { path, body, headers } = post.next()
      return { ...request, path, body, headers: { ...request.headers, ...headers } }
    },
    onResponse: (status, body) => {
      postStatuses[status] = (postStatuses[status] ?? 0) + 1
      const minute = Math.floor((Date.now() - start) / 60_000)
      postsPerMinute[minute] = (postsPerMinute[minute] ?? 0) + 1
      post.onResponse?.(status, body)
    },
  }
  return { requests: [...Array.from({ length: READS_PER_CYCLE }, () => read), submission], tally, postStatuses, postsPerMinute }
}
