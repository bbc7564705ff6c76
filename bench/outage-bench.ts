/**
 * `npm run bench -- --outage`: a real Parley Node server on PostgreSQL, under steady submissions
 * (4 writers) and thread reads (2 readers), through three database outages, once with the read
 * cache on and once with it off (READ_CACHE_MB=0):
 *   restart  the server stopped (`pg_ctl stop -m fast`: every backend ended) and started again at once;
 *   stop     the same, with the database down for 4 s in between;
 *   exhaust  another client holds every free connection slot for 4 s, ending the server's own
 *            backends as they reconnect, so that its pool and its read cache's LISTEN connection
 *            must get through "too many clients".
 * Figures, per outage: every 201 is in the database afterwards (by id and body); the longest
 * request, and how many outlived the server's deadline (max(5 s, 2 × DB_TIMEOUT_MS)); failures are
 * 503 `unavailable` with Retry-After, never 500 or a reset; from the database accepting connections
 * again to the first 2xx of each kind and to steady state (the first success after the last
 * failure), budget 5 s (API.md Operations); and a comment posted after recovery shows in the next
 * read of its thread, whose page was cached before (the read cache listens again).
 *
 * It never touches the main cluster (5432): the database is a throwaway cluster made with initdb
 * on a free port (bench/throwaway-cluster.ts; root runs it as `postgres`), removed at the end.
 * Figures go to bench/results/outage.json.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { BENCH_DB, prepareEmptyPostgres } from './bench-databases.js'
import { startChild, type ChildServer } from './child-server.js'
import { BENCH_SECRET } from './engine-runs.js'
import { Traffic, checkAccepted, send, statusCounts, type Sample } from './fault-traffic.js'
import { writeResults } from './results-file.js'
import { ConnectionHog, accepts } from './database-probes.js'
import { createThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.js'
import { threadPath } from './workloads.js'
import { outageTable } from './outage-report.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

const DB_TIMEOUT_MS = 2000
/** The request deadline src/http/request-guards.ts derives from DB_TIMEOUT_MS. */
const DEADLINE_MS = Math.max(5000, 2 * DB_TIMEOUT_MS)
/** Scheduling slack on a shared 2-core machine before a slow answer counts as a hang. */
const HANG_SLACK_MS = 1000
const RECOVERY_BUDGET_MS = 5000
/** How long the `stop` outage keeps the database down, and the `exhaust` one holds every slot. */
const DOWN_MS = 4000
/** Small, so that exhausting it costs a handful of connections. */
const MAX_CONNECTIONS = 20
/** Traffic before each outage, and watched after the database is back. */
const CALM_MS = 2000
const AFTER_MS = 8000
const KEYS = ['outage-a', 'outage-b', 'outage-c', 'outage-d']
const CHECK_KEY = 'outage-cache-check'

export type OutageKind = 'restart' | 'stop' | 'exhaust'

export interface OutageFigures {
  outage: OutageKind
  readCache: boolean
  /** From the fault's start to the database accepting connections again. */
  downMs: number
  requests: number
  statuses: Record<string, number>
  /** Failures that were not 503 `unavailable` with Retry-After (500s, resets, other codes). */
  badFailures: number
  /** The longest request. */
  slowestMs: number
  /** How long the failed requests took: fail-fast answers, or ones that waited for the deadline. */
  failureMedianMs: number | null
  /** Requests slower than DB_TIMEOUT_MS itself (allowed up to the deadline, but worth seeing). */
  overDbTimeout: number
  /** Requests that outlived the deadline. */
  overDeadline: number
  /** Requests that took longer than the deadline plus slack. */
  hangs: number
  /** From the database being back to the first 2xx of each kind (completed after that moment). */
  firstSubmitOkMs: number | null
  firstReadOkMs: number | null
  /** From the database being back to the last failed request: how long failures went on. */
  lastFailureMs: number | null
  /** From the database being back to steady state: the first success after the last failure. */
  steadyMs: number | null
  /** From the database being back to the read cache's LISTEN connection being seen in pg_stat_activity. */
  listenerBackMs: number | null
  /** Extra for exhaust: slots the hog held, and Parley backends it had to end as they came back. */
  hogSlots?: number
  hogTerminated?: number
  /** A comment posted once service is back, then 3 s later, shows in the very next read of its thread. */
  freshAfterRecovery: boolean
  freshSettled: boolean
}

export interface OutageRun {
  readCache: boolean
  accepted: number
  lost: number
  /** Stored comments of this run that never got a 201 (a 503 after its commit): not lost, worth knowing. */
  storedWithoutAnswer: number
}

export interface OutageReport {
  startedAt: Date
  finishedAt: Date
  cluster: { port: number; maxConnections: number }
  dbTimeoutMs: number
  deadlineMs: number
  hangLimitMs: number
  recoveryBudgetMs: number
  downMs: number
  traffic: { writers: number; readers: number }
  outages: OutageFigures[]
  runs: OutageRun[]
  accepted: number
  lost: number
  storedWithoutAnswer: number
  passed: boolean
}

const WRITERS = 4
const READERS = 2

/** Whether the comment just posted is on the next read of its thread; the page was read (and so cached) before. */
async function postShowsInNextRead(server: ChildServer, traffic: Traffic): Promise<boolean> {
  const read = () => send(traffic.agent, server.baseUrl, 'GET', threadPath(CHECK_KEY, '?order=newest&limit=5'), { timeoutMs: 10_000 })
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await read()
      await read()
      const { body, email } = traffic.nextComment()
      const posted = await send(traffic.agent, server.baseUrl, 'POST', threadPath(CHECK_KEY), {
        body: JSON.stringify({ name: 'Cache Check', email, body }),
        timeoutMs: 10_000,
      })
      if (posted.status !== 201) throw new Error(`check submission answered ${posted.status}`)
      const { comment } = JSON.parse(posted.text) as { comment: { id: number; status: string } }
      if (comment.status !== 'approved') throw new Error(`check comment is ${comment.status}, not approved`)
      traffic.samples.push({ kind: 'submit', startedAt: traffic.now(), endedAt: traffic.now(), status: 201, id: comment.id, body })
      const after = await read()
      if (after.status !== 200) throw new Error(`check read answered ${after.status}`)
      return (JSON.parse(after.text) as { comments: { id: number }[] }).comments.some((shown) => shown.id === comment.id)
    } catch (error) {
      log(`  cache check retry: ${error instanceof Error ? error.message : String(error)}`)
      await sleep(500)
    }
  }
  return false
}

/** Polls pg_stat_activity for the read cache's listening backend. */
function watchListener(url: string, traffic: Traffic): { seenAt: () => number | null; stop: () => Promise<void> } {
  let seenAt: number | null = null
  let stopped = false
  const watcher = (async () => {
    while (!stopped && seenAt === null) {
      const sql = postgres(url, {
        max: 1,
        connect_timeout: 1,
        onnotice: () => {},
        fetch_types: false,
        connection: { application_name: 'outage-watch' },
      })
      try {
        const rows = await sql`select 1 from pg_stat_activity where application_name = 'parley-read-cache' and query ilike 'listen%'`
        if (rows.length > 0) seenAt = traffic.now()
      } catch {
        // The database is still down or full: look again.
      } finally {
        await sql.end({ timeout: 1 }).catch(() => {})
      }
      await sleep(100)
    }
  })()
  return {
    seenAt: () => seenAt,
    stop: async () => {
      stopped = true
      await watcher
    },
  }
}

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted[Math.floor(sorted.length / 2)]
  return middle === undefined ? null : Math.round(middle)
}

const ok = (s: Sample) => s.status >= 200 && s.status < 300
const firstOkAfter = (samples: Sample[], at: number, kind?: Sample['kind']) =>
  samples
    .filter((s) => (kind === undefined || s.kind === kind) && ok(s) && s.endedAt >= at)
    .reduce<number | null>((first, s) => (first === null || s.endedAt < first ? s.endedAt : first), null)

/** Brings the fault about; resolves with the moment the database accepts connections again. */
async function fault(
  kind: OutageKind,
  cluster: ThrowawayCluster,
  url: string,
  traffic: Traffic,
): Promise<{ readyAt: number; hog?: ConnectionHog; hogSlots?: number }> {
  if (kind === 'exhaust') {
    const hog = new ConnectionHog(url)
    await hog.hold()
    log(`  hog holds ${hog.size} connections`)
    await sleep(DOWN_MS)
    const hogSlots = hog.size
    await hog.release()
    log(`  released ${hogSlots} connections (${hog.terminated} Parley backends ended meanwhile)`)
    while (!(await accepts(url))) await sleep(25)
    return { readyAt: traffic.now(), hog, hogSlots }
  }
  await cluster.stop()
  if (kind === 'stop') await sleep(DOWN_MS)
  await cluster.start()
  while (!(await accepts(url))) await sleep(10)
  return { readyAt: traffic.now() }
}

async function runOutage(
  kind: OutageKind,
  readCache: boolean,
  cluster: ThrowawayCluster,
  url: string,
  server: ChildServer,
  traffic: Traffic,
): Promise<OutageFigures> {
  log(`outage: ${kind}, read cache ${readCache ? 'on' : 'off'}`)
  await sleep(CALM_MS)
  await postShowsInNextRead(server, traffic)
  const from = traffic.now()
  const { readyAt, hog, hogSlots } = await fault(kind, cluster, url, traffic)
  const listener = readCache ? watchListener(url, traffic) : undefined
  await sleep(AFTER_MS)
  const freshAfterRecovery = await postShowsInNextRead(server, traffic)
  await sleep(3000)
  const freshSettled = await postShowsInNextRead(server, traffic)
  await listener?.stop()
  const to = traffic.now()

  const samples = traffic.samples.filter((s) => s.endedAt >= from && s.startedAt <= to)
  const failures = samples.filter((s) => !ok(s))
  const lastFailure = failures.filter((s) => s.endedAt >= readyAt).reduce<number | null>((last, s) => Math.max(last ?? 0, s.endedAt), null)
  const since = (at: number | null) => (at === null ? null : Math.max(0, Math.round(at - readyAt)))
  const took = (s: Sample) => s.endedAt - s.startedAt
  const figures: OutageFigures = {
    outage: kind,
    readCache,
    downMs: Math.round(readyAt - from),
    requests: samples.length,
    statuses: statusCounts(samples),
    badFailures: failures.filter((s) => !(s.status === 503 && s.code === 'unavailable' && s.retryAfter !== undefined)).length,
    slowestMs: Math.round(Math.max(0, ...samples.map(took))),
    failureMedianMs: median(failures.map(took)),
    overDbTimeout: samples.filter((s) => took(s) > DB_TIMEOUT_MS).length,
    overDeadline: samples.filter((s) => took(s) > DEADLINE_MS).length,
    hangs: samples.filter((s) => took(s) > DEADLINE_MS + HANG_SLACK_MS).length,
    firstSubmitOkMs: since(firstOkAfter(samples, readyAt, 'submit')),
    firstReadOkMs: since(firstOkAfter(samples, readyAt, 'read')),
    lastFailureMs: since(lastFailure),
    steadyMs: since(firstOkAfter(samples, lastFailure ?? readyAt)),
    listenerBackMs: since(listener?.seenAt() ?? null),
    freshAfterRecovery,
    freshSettled,
  }
  if (hog) Object.assign(figures, { hogSlots, hogTerminated: hog.terminated })
  return figures
}

/** One Parley server, with or without its read cache, through every outage; then its 201s checked. */
async function runServer(
  readCache: boolean,
  cluster: ThrowawayCluster,
  url: string,
): Promise<{ outages: OutageFigures[]; run: OutageRun }> {
  const server = await startChild('parley', 'src/runtime/node.ts', [], {
    DATABASE_URL: url,
    PARLEY_SECRET: BENCH_SECRET,
    LOG_LEVEL: 'error',
    DB_POOL_MAX: '6',
    DB_TIMEOUT_MS: String(DB_TIMEOUT_MS),
    READ_CACHE_MB: readCache ? '16' : '0',
  })
  const traffic = new Traffic({
    baseUrl: server.baseUrl,
    writers: WRITERS,
    readers: READERS,
    keys: KEYS,
    hardTimeoutMs: 30_000,
    failurePauseMs: 100,
  })
  const outages: OutageFigures[] = []
  try {
    traffic.start()
    for (const kind of ['restart', 'stop', 'exhaust'] as const)
      outages.push(await runOutage(kind, readCache, cluster, url, server, traffic))
  } finally {
    await traffic.stop()
    await server.stop()
  }
  return { outages, run: { readCache, ...(await checkAccepted(url, traffic.samples, traffic.bodyPrefix)) } }
}

const recovered = (o: OutageFigures) =>
  o.steadyMs !== null &&
  o.steadyMs <= RECOVERY_BUDGET_MS &&
  o.firstSubmitOkMs !== null &&
  o.firstSubmitOkMs <= RECOVERY_BUDGET_MS &&
  o.firstReadOkMs !== null &&
  o.firstReadOkMs <= RECOVERY_BUDGET_MS

export async function benchOutage(): Promise<void> {
  const startedAt = new Date()
  const cluster = await createThrowawayCluster({ maxConnections: MAX_CONNECTIONS })
  try {
    await cluster.start()
    log(`throwaway cluster on port ${cluster.port}; database ${BENCH_DB}`)
    const url = await prepareEmptyPostgres(cluster.adminUrl)
    const outages: OutageFigures[] = []
    const runs: OutageRun[] = []
    for (const readCache of [true, false]) {
      const result = await runServer(readCache, cluster, url)
      outages.push(...result.outages)
      runs.push(result.run)
    }
    const sum = (field: 'accepted' | 'lost' | 'storedWithoutAnswer') => runs.reduce((total, run) => total + run[field], 0)
    const passed =
      sum('lost') === 0 &&
      outages.every((o) => o.overDeadline === 0 && o.badFailures === 0 && o.freshAfterRecovery && o.freshSettled && recovered(o))
    const report: OutageReport = {
      startedAt,
      finishedAt: new Date(),
      cluster: { port: cluster.port, maxConnections: MAX_CONNECTIONS },
      dbTimeoutMs: DB_TIMEOUT_MS,
      deadlineMs: DEADLINE_MS,
      hangLimitMs: DEADLINE_MS + HANG_SLACK_MS,
      recoveryBudgetMs: RECOVERY_BUDGET_MS,
      downMs: DOWN_MS,
      traffic: { writers: WRITERS, readers: READERS },
      outages,
      runs,
      accepted: sum('accepted'),
      lost: sum('lost'),
      storedWithoutAnswer: sum('storedWithoutAnswer'),
      passed,
    }
    console.log(outageTable(report))
    await writeResults('outage', report)
    if (!passed) process.exitCode = 1
  } finally {
    await cluster.remove()
  }
}
