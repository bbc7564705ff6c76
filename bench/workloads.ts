import { BIG_KEY, HOT_KEY, SMALL_COUNT, smallKey } from './dataset.js'
import type { Workload } from './load.js'
import { benchIdentityToken } from './identity-tokens.js'

export const threadPath = (key: string, query = '') => `/api/v1/articles/${encodeURIComponent(key)}/comments${query}`

const WHOLE_THREAD_LIMIT = 100

/** Round robin over fixed paths, shared by all connections so that each path gets its share. */
export function cycle(paths: string[], headers?: Record<string, string>): Workload {
  let at = 0
  return {
    method: 'GET',
    ...(headers ? { headers } : {}),
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

export interface NewCommenter {
  name: string
  email: string
  /** Sent as x-forwarded-for, which the bench's Parley servers trust (TRUST_PROXY). */
  ip: string
  /** Unique within the run: makes each comment's text its own (the same text twice would be a 409). */
  tag: string
}

/** 10.0.0.1 onwards, one address each: 10/8 holds 2^24 − 1 of them, far more than a run posts. */
const ADDRESSES = 2 ** 24

/**
 * Commenters never seen before, one per submission, each with its own name, email and client IP:
 * with flood control on at its default, a network or an email that posted a second time within the
 * flood window would be answered 429. One source per bench run, shared by every posting workload
 * and by their warm-ups, so that no address comes back within the run.
 */
export function newCommenters(): () => NewCommenter {
  const run = Date.now().toString(36)
  let n = 0
  return () => {
    n++
    if (n >= ADDRESSES) throw new Error('the bench ran out of 10.0.0.0/8 addresses for new commenters')
    return {
      name: `Bench Reader ${n}`,
      email: `bench-${run}-${n}@mail.example`,
      ip: `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`,
      tag: `${run}-${n}`,
    }
  }
}

/**
 * Each post by a new commenter, to the article `nextKey` names; counts which of the 201s came back
 * approved. `signedIn`: each commenter is a reader signed in with the site, posting with the
 * site's identity token (issue 19) instead of a typed name and email.
 */
function postsByNewCommenters(tally: SubmissionTally, commenters: () => NewCommenter, nextKey: () => string, signedIn = false): Workload {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    next: () => {
      const { name, email, ip, tag } = commenters()
      const who = signedIn ? { identityToken: benchIdentityToken(`account-${tag}`, name, email) } : { name, email }
      const body = JSON.stringify({
        ...who,
        body: `Comment ${tag}. I read the whole piece and I think the council should publish the full budget, line by line, before the vote next month.`,
      })
      return { path: threadPath(nextKey()), body, headers: { 'x-forwarded-for': ip } }
    },
    onResponse: (status, body) => {
      if (status !== 201) return
      if (body.includes('"status":"approved"')) tally.approved++
      else tally.held++
    },
  }
}

/** New comments spread over the small articles in turn. */
export function submissions(tally: SubmissionTally, commenters: () => NewCommenter): Workload {
  let n = 0
  return postsByNewCommenters(tally, commenters, () => smallKey((n++ % SMALL_COUNT) + 1))
}

/** The same spread of new comments, each by a reader signed in with the site (an identity token). */
export function signedInSubmissions(tally: SubmissionTally, commenters: () => NewCommenter): Workload {
  let n = 0
  return postsByNewCommenters(tally, commenters, () => smallKey((n++ % SMALL_COUNT) + 1), true)
}

/** Every new comment to the one hot article: all the load on one article's row, count and cache entry. */
export const hotArticle = (tally: SubmissionTally, commenters: () => NewCommenter): Workload =>
  postsByNewCommenters(tally, commenters, () => HOT_KEY)

/** The ids of every comment on the pages a whole-thread read walks (replies too): what readers vote on. */
export async function commentIdsOf(baseUrl: string, paths: string[]): Promise<number[]> {
  interface Node {
    id: number
    removed: boolean
    replies: Node[]
  }
  const ids: number[] = []
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (!node.removed) ids.push(node.id)
      walk(node.replies)
    }
  }
  for (const path of paths) walk(((await (await fetch(baseUrl + path)).json()) as { comments: Node[] }).comments)
  return ids
}

export interface VoteTally {
  counted: number
  refused: number
}

/**
 * Readers upvoting the big article's comments in turn, each vote by a reader never seen before (its
 * own browser id and address, 100.64.0.0/10: the limit is per network), as a busy thread gets them.
 */
export function votes(ids: number[], tally: VoteTally): Workload {
  const run = Date.now().toString(36)
  let n = 0
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    next: () => {
      n++
      const id = ids[n % ids.length] ?? 1
      const ip = `100.${64 + ((n >>> 16) & 63)}.${(n >>> 8) & 255}.${n & 255}`
      return {
        path: `/api/v1/comments/${id}/vote`,
        body: JSON.stringify({ up: true, voter: `bench-${run}-${n.toString(36).padStart(8, '0')}` }),
        headers: { 'x-forwarded-for': ip },
      }
    },
    onResponse: (status) => {
      if (status === 200) tally.counted++
      else tally.refused++
    },
  }
}
