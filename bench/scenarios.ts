import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startChild, type ChildServer } from './child-server.js'
import { measure, mergeMeasurements, warmUp, type LoadOptions, type Measurement, type Workload } from './load.js'
import { BIG_KEY } from './dataset.js'
import { withCpu, type CpuPerPost } from './posting-cpu.js'
import {
  bigFirstPage,
  cycle,
  hotArticle,
  smallArticles,
  submissions,
  signedInSubmissions,
  threadPath,
  commentIdsOf,
  votes,
  type VoteTally,
  type NewCommenter,
  type SubmissionTally,
} from './workloads.js'

/** The reads every server is measured on, and the SQL floor too. */
export type PlainRead = 'first-page' | 'whole-thread' | 'small'
export type ReadScenario =
  | PlainRead
  | 'first-page-br'
  | 'whole-thread-br'
  | 'first-page-html'
  | 'whole-thread-html'
  | 'first-page-html-br'
  | 'whole-thread-html-br'
  | 'first-page-votes-off'

interface ReadSpec {
  id: ReadScenario
  label: string
  /** The plain read it repeats, with `encoding` asked for. */
  base: PlainRead
  encoding?: 'br'
  /** The same page as the server-rendered fragment (…/comments.html), as the WordPress plugin reads it. */
  html?: true
}

export const plainReads: (ReadSpec & { id: PlainRead })[] = [
  { id: 'first-page', label: 'big article, first page (20 threads)', base: 'first-page' },
  { id: 'whole-thread', label: 'big article, whole thread (limit 100)', base: 'whole-thread' },
  { id: 'small', label: 'small articles (10 comments)', base: 'small' },
]

/**
 * The big article's reads again with `accept-encoding: br`, as browsers send it, on the cache-on
 * server only. autocannon does not decompress, so bytes/resp is what went over the wire.
 */
export const compressedReads: ReadSpec[] = [
  { id: 'first-page-br', label: 'big article, first page (20 threads), br', base: 'first-page', encoding: 'br' },
  { id: 'whole-thread-br', label: 'big article, whole thread (limit 100), br', base: 'whole-thread', encoding: 'br' },
]

/**
 * The big article's reads as HTML fragments (issue 18: at least 80% of the JSON reads' throughput
 * with the cache on), on the cache-on server only; the first page asks for the JSON's 20 threads.
 */
export const fragmentReads: ReadSpec[] = [
  { id: 'first-page-html', label: 'big article, first page (20 threads), HTML fragment', base: 'first-page', html: true },
  { id: 'whole-thread-html', label: 'big article, whole thread (limit 100), HTML fragment', base: 'whole-thread', html: true },
  {
    id: 'first-page-html-br',
    label: 'big article, first page (20 threads), HTML fragment, br',
    base: 'first-page',
    html: true,
    encoding: 'br',
  },
  {
    id: 'whole-thread-html-br',
    label: 'big article, whole thread (limit 100), HTML fragment, br',
    base: 'whole-thread',
    html: true,
    encoding: 'br',
  },
]

/** Every read scenario, in the order the reports list them. */
export const readScenarios: ReadSpec[] = [...plainReads, ...compressedReads, ...fragmentReads]

/** The cached first page again with readers' votes off (measureCacheOn, PostgreSQL only): issue 20's comparison. */
export const votesOffRead: ReadSpec = {
  id: 'first-page-votes-off',
  label: 'big article, first page (20 threads), votes off',
  base: 'first-page',
}

/** A JSON thread path as the fragment's: the same page, key and cursor. */
const asFragment = (path: string) => path.replace(/\/comments(\?|$)/, (_, q: string) => `/comments.html${q || '?limit=20'}`)

export interface ReadResult {
  measurement: Measurement
  /** Whole thread only: pages per thread, so that threads/s = req/s ÷ pages. */
  pages?: number
}

export interface SubmissionResult {
  measurement: Measurement
  /** 201 answers per second: the comments the pipeline accepted. */
  acceptedPerS: number
  tally: SubmissionTally
  /** CPU per accepted post (the hot article's runs). */
  cpu?: CpuPerPost
}

export interface ParleyResults {
  /** With the read cache off (READ_CACHE_MB=0): every read goes to the database. */
  reads: Partial<Record<ReadScenario, ReadResult>>
  submissions?: SubmissionResult
  /** The same posts by readers signed in with the site (identity tokens), right after the guests'. */
  signedInSubmissions?: SubmissionResult
  /** The same reads, and the compressed ones, from a server with the read cache on (a fresh server on the same data). */
  cachedReads?: Partial<Record<ReadScenario, ReadResult>>
  /**
   * Posts to the hot article on the cache-on server: `cold` the first load it gets after starting
   * (no warm-up of any kind), `warm` after its reads and a warm-up of its own.
   */
  hotArticle?: { cold: SubmissionResult; warm: SubmissionResult }
  /** Readers' upvotes on the big article's comments, on the cache-on server after its reads. */
  votes?: VoteResult
}

export interface VoteResult {
  measurement: Measurement
  /** 200 answers per second: votes counted. */
  countedPerS: number
  tally: VoteTally
}

function plainWorkload(id: PlainRead, wholeThread: string[]): Workload {
  if (id === 'first-page') return bigFirstPage()
  if (id === 'whole-thread') return cycle(wholeThread)
  return smallArticles()
}

export function readWorkload({ base, encoding, html }: ReadSpec, wholeThread: string[]): Workload {
  const plain = html
    ? base === 'first-page'
      ? cycle([asFragment(threadPath(BIG_KEY))])
      : cycle(wholeThread.map(asFragment))
    : plainWorkload(base, wholeThread)
  return encoding ? { ...plain, headers: { ...plain.headers, 'accept-encoding': encoding } } : plain
}

const log = (text: string) => process.stderr.write(`  ${text}\n`)

/**
 * Each JSON read beside its fragment, in both orders (JSON, fragment, fragment, JSON), each figure
 * the mean of its two runs: issue 18's ratio without the drift of a ten-minute run between them
 * (in the order of the list, four other reads once stood between a pair, and the heap grew meanwhile).
 */
const FRAGMENT_PAIRS: [ReadScenario, ReadScenario][] = [
  ['first-page-br', 'first-page-html-br'],
  ['whole-thread-br', 'whole-thread-html-br'],
]

/** The order the cache-on server is measured in: the plain reads, the pairs both ways round, the rest. */
function cacheOnOrder(): ReadSpec[] {
  const paired = new Set(FRAGMENT_PAIRS.flat())
  const spec = (id: ReadScenario) => {
    const found = readScenarios.find((s) => s.id === id)
    if (!found) throw new Error(`no read scenario ${id}`)
    return found
  }
  const plain = readScenarios.filter((s) => !paired.has(s.id) && !s.html)
  const rest = readScenarios.filter((s) => !paired.has(s.id) && s.html)
  return [...plain, ...FRAGMENT_PAIRS.flatMap(([json, html]) => [json, html, html, json].map(spec)), ...rest]
}

async function measureReads(
  server: ChildServer,
  load: LoadOptions,
  wholeThread: string[],
  who: string,
  scenarios: ReadSpec[],
): Promise<Partial<Record<ReadScenario, ReadResult>>> {
  const runs = new Map<ReadScenario, Measurement[]>()
  await warmUp(server, bigFirstPage(), load, load.serverWarmupS)
  for (const spec of scenarios) {
    log(`${who}: ${spec.label}`)
    runs.set(spec.id, [...(runs.get(spec.id) ?? []), await measure(server, readWorkload(spec, wholeThread), load)])
  }
  const reads: Partial<Record<ReadScenario, ReadResult>> = {}
  for (const spec of scenarios) {
    const measurement = mergeMeasurements(runs.get(spec.id) ?? [])
    reads[spec.id] = spec.base === 'whole-thread' ? { measurement, pages: wholeThread.length } : { measurement }
  }
  return reads
}

/** A posting workload measured (after `load.warmupS` of it); only the measured run's 201s are tallied. */
export async function measurePosts(
  server: ChildServer,
  load: LoadOptions,
  workload: (tally: SubmissionTally) => Workload,
): Promise<SubmissionResult> {
  // Warm-up posts are real comments too, by commenters of their own: the tally is the measured run's.
  const tally: SubmissionTally = { approved: 0, held: 0 }
  const measurement = await measure(server, workload(tally), load)
  const accepted = measurement.statusCounts['201'] ?? 0
  return { measurement, acceptedPerS: accepted / measurement.durationS, tally }
}

/**
 * The cache-on server, freshly started: the hot article first, cold (the burst a story gets the
 * moment it is linked, on a server that has not warmed up), then the reads as the cache serves
 * them, then the hot article again, warm.
 */
/** Posts to the hot article on a server that has just started: no warm-up of any kind. */
export function measureHotCold(
  server: ChildServer,
  load: LoadOptions,
  commenters: () => NewCommenter,
  postgres: boolean,
): Promise<SubmissionResult> {
  log('parley, cache on: hot article, cold')
  return withCpu(server, postgres, () => measurePosts(server, { ...load, warmupS: 0 }, (tally) => hotArticle(tally, commenters)))
}

export async function measureCacheOn(
  server: ChildServer,
  load: LoadOptions,
  wholeThread: string[],
  commenters: () => NewCommenter,
  cold: SubmissionResult,
  /** Turns readers' votes on or off on the running server (its settings row; PostgreSQL only). */
  setVotes?: (on: boolean) => Promise<void>,
): Promise<Pick<ParleyResults, 'cachedReads' | 'hotArticle' | 'votes'>> {
  const cachedReads = await measureReads(server, load, wholeThread, 'parley, cache on', cacheOnOrder())
  if (setVotes) {
    // Issue 20's budget, in this run: the cached first page with votes (re-read every few seconds,
    // counts and their digest in the page) against the same page with votes off.
    await setVotes(false)
    log('parley, cache on: big article, first page, votes off')
    await warmUp(server, bigFirstPage(), load, load.warmupS)
    cachedReads['first-page-votes-off'] = { measurement: await measure(server, bigFirstPage(), load) }
    await setVotes(true)
  }
  log('parley, cache on: votes on the big article')
  const ids = await commentIdsOf(server.baseUrl, wholeThread)
  const tally: VoteTally = { counted: 0, refused: 0 }
  const voted = await measure(server, votes(ids, tally), load)
  const counted = voted.statusCounts['200'] ?? 0
  log('parley, cache on: hot article, warm')
  // The votes switch is there only on PostgreSQL, whose processes withCpu counts.
  const warm = await withCpu(server, setVotes !== undefined, () => measurePosts(server, load, (tally) => hotArticle(tally, commenters)))
  return {
    cachedReads,
    votes: { measurement: voted, countedPerS: counted / voted.durationS, tally },
    hotArticle: { cold, warm },
  }
}

/** Parley's reads, then submissions last, since they add comments to the small articles. */
export async function measureParley(
  server: ChildServer,
  load: LoadOptions,
  wholeThread: string[],
  commenters: () => NewCommenter,
): Promise<ParleyResults> {
  const results: ParleyResults = { reads: await measureReads(server, load, wholeThread, 'parley, cache off', plainReads) }
  log('parley: submissions')
  results.submissions = await measurePosts(server, load, (tally) => submissions(tally, commenters))
  log('parley: submissions by signed-in readers')
  results.signedInSubmissions = await measurePosts(server, load, (tally) => signedInSubmissions(tally, commenters))
  return results
}

/** The SQL floor for each read, over the same paths, in its own process with the same pool size. */
export async function measureSqlFloors(
  databaseUrl: string,
  poolMax: number,
  load: LoadOptions,
  wholeThread: string[],
): Promise<Partial<Record<PlainRead, Measurement>>> {
  const floor = await startChild('sql floor', 'bench/floor-server.ts', ['sql'], { DATABASE_URL: databaseUrl, DB_POOL_MAX: String(poolMax) })
  const floors: Partial<Record<PlainRead, Measurement>> = {}
  try {
    await warmUp(floor, bigFirstPage(), load, load.serverWarmupS)
    for (const spec of plainReads) {
      log(`sql floor: ${spec.label}`)
      floors[spec.id] = await measure(floor, readWorkload(spec, wholeThread), load)
    }
  } finally {
    await floor.stop()
  }
  return floors
}

export interface HttpFloor {
  measurement: Measurement
  bodyBytes: number
}

/** The HTTP floor: a fixed body, byte for byte the app's first page of the big article. */
export async function measureHttpFloor(body: string, workDir: string, load: LoadOptions): Promise<HttpFloor> {
  const file = join(workDir, 'http-floor-body.json')
  await writeFile(file, body)
  const floor = await startChild('http floor', 'bench/floor-server.ts', ['json'], { FLOOR_BODY_FILE: file })
  try {
    log('http floor: fixed JSON body')
    await warmUp(floor, bigFirstPage(), load, load.serverWarmupS)
    return { measurement: await measure(floor, bigFirstPage(), load), bodyBytes: Buffer.byteLength(body) }
  } finally {
    await floor.stop()
  }
}
