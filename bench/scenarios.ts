import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startChild, type ChildServer } from './child-server.js'
import { measure, warmUp, type LoadOptions, type Measurement, type Workload } from './load.js'
import { bigFirstPage, cycle, smallArticles, submissions, type SubmissionTally } from './workloads.js'

export type ReadScenario = 'first-page' | 'whole-thread' | 'small'

export const readScenarios: { id: ReadScenario; label: string }[] = [
  { id: 'first-page', label: 'big article, first page (20 threads)' },
  { id: 'whole-thread', label: 'big article, whole thread (limit 100)' },
  { id: 'small', label: 'small articles (10 comments)' },
]

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
}

export interface ParleyResults {
  /** With the read cache off (READ_CACHE_MB=0): every read goes to the database. */
  reads: Partial<Record<ReadScenario, ReadResult>>
  submissions?: SubmissionResult
  /** The same reads from a server with the read cache on (a fresh server on the same data). */
  cachedReads?: Partial<Record<ReadScenario, ReadResult>>
}

function readWorkload(id: ReadScenario, wholeThread: string[]): Workload {
  if (id === 'first-page') return bigFirstPage()
  if (id === 'whole-thread') return cycle(wholeThread)
  return smallArticles()
}

const log = (text: string) => process.stderr.write(`  ${text}\n`)

async function measureReads(
  server: ChildServer,
  load: LoadOptions,
  wholeThread: string[],
  who: string,
): Promise<Partial<Record<ReadScenario, ReadResult>>> {
  const reads: Partial<Record<ReadScenario, ReadResult>> = {}
  await warmUp(server, bigFirstPage(), load, load.serverWarmupS)
  for (const { id, label } of readScenarios) {
    log(`${who}: ${label}`)
    const measurement = await measure(server, readWorkload(id, wholeThread), load)
    reads[id] = id === 'whole-thread' ? { measurement, pages: wholeThread.length } : { measurement }
  }
  return reads
}

/** Reads served by the read cache: after the warm-up every page asked for is in memory. */
export const measureCachedReads = (server: ChildServer, load: LoadOptions, wholeThread: string[]) =>
  measureReads(server, load, wholeThread, 'parley, cache on')

/** Parley's reads, then submissions last, since they add comments to the small articles. */
export async function measureParley(server: ChildServer, load: LoadOptions, wholeThread: string[]): Promise<ParleyResults> {
  const results: ParleyResults = { reads: await measureReads(server, load, wholeThread, 'parley, cache off') }
  log('parley: submissions')
  // Warm-up posts are real comments too; only the measured run's 201s are tallied.
  const tally: SubmissionTally = { approved: 0, held: 0 }
  const measurement = await measure(server, submissions(tally), load)
  const accepted = measurement.statusCounts['201'] ?? 0
  results.submissions = { measurement, acceptedPerS: accepted / measurement.durationS, tally }
  return results
}

/** The SQL floor for each read, over the same paths, in its own process with the same pool size. */
export async function measureSqlFloors(
  databaseUrl: string,
  poolMax: number,
  load: LoadOptions,
  wholeThread: string[],
): Promise<Partial<Record<ReadScenario, Measurement>>> {
  const floor = await startChild('sql floor', 'bench/floor-server.ts', ['sql'], { DATABASE_URL: databaseUrl, DB_POOL_MAX: String(poolMax) })
  const floors: Partial<Record<ReadScenario, Measurement>> = {}
  try {
    await warmUp(floor, bigFirstPage(), load, load.serverWarmupS)
    for (const { id, label } of readScenarios) {
      log(`sql floor: ${label}`)
      floors[id] = await measure(floor, readWorkload(id, wholeThread), load)
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
