/**
 * `npm run bench -- --outage`: a real Parley Node server on PostgreSQL, under steady submissions
 * and thread reads, through two database outages:
 *   restart  `pg_ctlcluster <version> <name> restart` (every connection drops, the server is down for a moment);
 *   exhaust  another client holds every free connection slot for --exhaust-seconds (4), ending the
 *            server's own backends as they reconnect, so that its pool and its read cache's LISTEN
 *            connection must get through "too many clients".
 * Figures, per outage: every 201 is in the database afterwards (by id and body); no request waits
 * longer than the server's deadline (max(5 s, 2 × DB_TIMEOUT_MS)) and failures are 503 `unavailable`
 * with Retry-After, never 500 or a reset; time from the database accepting connections again to the
 * first 2xx of each kind (budget 5 s, API.md Operations); and a comment posted after recovery shows
 * in the next read of its thread, whose page was cached before (the read cache listens again).
 *
 * It never touches the main cluster (5432): it runs on a throwaway cluster, `--outage-cluster`
 * (default 15/parley_outage), created if missing on `--outage-port` (default 5433) with trust auth on
 * loopback and max_connections 20, which needs root (pg_createcluster). The cluster is started for
 * the run and stopped at its end; it stays created (`pg_dropcluster --stop 15 parley_outage` removes
 * it). Its database is BENCH_DB_NAME (default parley_bench), dropped and created afresh.
 * Figures go to bench/results/outage.json.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { BENCH_DB, prepareEmptyPostgres } from './bench-databases.js'
import { startChild, type ChildServer } from './child-server.js'
import { BENCH_SECRET } from './engine-runs.js'
import { Traffic, checkAccepted, send, statusCounts, type Sample } from './fault-traffic.js'
import type { BenchOptions } from './options.js'
import { writeResults } from './results-file.js'
import { ConnectionHog, accepts, clusterCtl, ensureCluster, type OutageCluster } from './outage-cluster.js'
import { threadPath } from './workloads.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

const DB_TIMEOUT_MS = 2000
/** The request deadline src/http/request-guards.ts derives from DB_TIMEOUT_MS. */
const DEADLINE_MS = Math.max(5000, 2 * DB_TIMEOUT_MS)
/** Scheduling slack on a shared 2-core machine before a slow answer counts as a hang. */
const HANG_SLACK_MS = 1000
const RECOVERY_BUDGET_MS = 5000
/** Traffic before each outage, and watched after the database is back. */
const CALM_MS = 2000
const AFTER_MS = 8000
const KEYS = ['outage-a', 'outage-b', 'outage-c', 'outage-d']
const CHECK_KEY = 'outage-cache-check'

type OutageKind = 'restart' | 'exhaust'

export interface OutageFigures {
  outage: OutageKind
  /** From the fault's start to the database accepting connections again. */
  downMs: number
  requests: number
  statuses: Record<string, number>
  /** Failures that were not 503 `unavailable` with Retry-After (500s, resets, other codes). */
  badFailures: number
  slowestMs: number
  /** How long the failed requests took: fail-fast answers, or ones that waited for the deadline. */
  failureMedianMs: number | null
  /** Requests slower than DB_TIMEOUT_MS itself (allowed up to the deadline, but worth seeing). */
  overDbTimeout: number
  /** Requests that took longer than the deadline plus slack. */
  hangs: number
  /** From the database being back to the first 2xx of each kind (completed after that moment). */
  firstSubmitOkMs: number | null
  firstReadOkMs: number | null
  /** From the database being back to the last failed request: how long failures went on. */
  lastFailureMs: number | null
  /** From the database being back to the read cache's LISTEN connection being seen in pg_stat_activity. */
  listenerBackMs: number | null
  /** Extra for exhaust: slots the hog held, and Parley backends it had to end as they came back. */
  hogSlots?: number
  hogTerminated?: number
  /** A comment posted once service is back, then 3 s later, shows in the very next read of its thread. */
  freshAfterRecovery: boolean
  freshSettled: boolean
}

export interface OutageReport {
  startedAt: Date
  finishedAt: Date
  cluster: { version: string; name: string; port: number; stoppedAtEnd: boolean }
  dbTimeoutMs: number
  deadlineMs: number
  hangLimitMs: number
  recoveryBudgetMs: number
  outages: OutageFigures[]
  accepted: number
  lost: number
  /** Stored comments of this run that never got a 201 (a 503 after its commit): not lost, worth knowing. */
  storedWithoutAnswer: number
  passed: boolean
}

/** Whether the comment just posted is on the next read of its thread; the page was read (and so cached) before. */
async function postShowsInNextRead(server: ChildServer, traffic: Traffic): Promise<boolean> {
  const read = () => send(traffic.agent, server.baseUrl, 'GET', threadPath(CHECK_KEY, '?order=newest&limit=5'), { timeoutMs: 10_000 })
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await read()
      await read()
      const { body, email } = traffic.nextComment()
      const posted = await send(traffic.agent, server.baseUrl, 'POST', threadPath(CHECK_KEY), { body: JSON.stringify({ name: 'Cache Check', email, body }), timeoutMs: 10_000 })
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
      const sql = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {}, fetch_types: false, connection: { application_name: 'outage-watch' } })
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
  return { seenAt: () => seenAt, stop: async () => { stopped = true; await watcher } }
}

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted[Math.floor(sorted.length / 2)]
  return middle === undefined ? null : Math.round(middle)
}

const firstOkAfter = (samples: Sample[], kind: Sample['kind'], at: number) =>
  samples.filter((s) => s.kind === kind && s.status >= 200 && s.status < 300 && s.endedAt >= at).reduce<number | null>((first, s) => (first === null || s.endedAt < first ? s.endedAt : first), null)

async function runOutage(kind: OutageKind, cluster: OutageCluster, url: string, server: ChildServer, traffic: Traffic): Promise<OutageFigures> {
  log(`outage: ${kind}`)
  await sleep(CALM_MS)
  await postShowsInNextRead(server, traffic)
  const from = traffic.now()
  const hog = kind === 'exhaust' ? new ConnectionHog(url) : undefined
  let readyAt: number
  let hogSlots = 0
  if (hog) {
    await hog.hold()
    log(`  hog holds ${hog.size} connections`)
    await sleep(4000)
    hogSlots = hog.size
    await hog.release()
    log(`  released ${hogSlots} connections (${hog.terminated} Parley backends ended meanwhile)`)
    while (!(await accepts(url))) await sleep(25)
    readyAt = traffic.now()
  } else {
    // Probed alongside the restart: pg_ctlcluster returns a while after the server accepts again.
    let restarted = false
    let sawDown = false
    const restart = clusterCtl(cluster, 'restart').finally(() => (restarted = true))
    for (;;) {
      const up = await accepts(url)
      if (up && (sawDown || restarted)) break
      if (!up) sawDown = true
      await sleep(25)
    }
    readyAt = traffic.now()
    await restart
  }
  const listener = watchListener(url, traffic)
  await sleep(AFTER_MS)
  const freshAfterRecovery = await postShowsInNextRead(server, traffic)
  await sleep(3000)
  const freshSettled = await postShowsInNextRead(server, traffic)
  await listener.stop()
  const to = traffic.now()

  const samples = traffic.samples.filter((s) => s.endedAt >= from && s.startedAt <= to)
  const failures = samples.filter((s) => s.status < 200 || s.status > 299)
  const lastFailure = failures.filter((s) => s.endedAt >= readyAt).reduce<number | null>((last, s) => Math.max(last ?? 0, s.endedAt), null)
  const since = (at: number | null) => (at === null ? null : Math.max(0, Math.round(at - readyAt)))
  const figures: OutageFigures = {
    outage: kind,
    downMs: Math.round(readyAt - from),
    requests: samples.length,
    statuses: statusCounts(samples),
    badFailures: failures.filter((s) => !(s.status === 503 && s.code === 'unavailable' && s.retryAfter !== undefined)).length,
    slowestMs: Math.round(Math.max(0, ...samples.map((s) => s.endedAt - s.startedAt))),
    failureMedianMs: median(failures.map((s) => s.endedAt - s.startedAt)),
    overDbTimeout: samples.filter((s) => s.endedAt - s.startedAt > DB_TIMEOUT_MS).length,
    hangs: samples.filter((s) => s.endedAt - s.startedAt > DEADLINE_MS + HANG_SLACK_MS).length,
    firstSubmitOkMs: since(firstOkAfter(samples, 'submit', readyAt)),
    firstReadOkMs: since(firstOkAfter(samples, 'read', readyAt)),
    lastFailureMs: since(lastFailure),
    listenerBackMs: since(listener.seenAt()),
    freshAfterRecovery,
    freshSettled,
  }
  if (hog) Object.assign(figures, { hogSlots, hogTerminated: hog.terminated })
  return figures
}

export async function benchOutage(options: BenchOptions): Promise<void> {
  const startedAt = new Date()
  const cluster = await ensureCluster(options.outageCluster, options.outagePort, log)
  log(`cluster ${cluster.version}/${cluster.name} on port ${cluster.port}; database ${BENCH_DB}`)
  let stoppedAtEnd = false
  try {
    const url = await prepareEmptyPostgres(cluster.adminUrl)
    const server = await startChild('parley', 'src/runtime/node.ts', [], {
      DATABASE_URL: url,
      PARLEY_SECRET: BENCH_SECRET,
      LOG_LEVEL: 'error',
      DB_POOL_MAX: '6',
      DB_TIMEOUT_MS: String(DB_TIMEOUT_MS),
      READ_CACHE_MB: '16',
    })
    const traffic = new Traffic({ baseUrl: server.baseUrl, writers: 3, readers: 3, keys: KEYS, hardTimeoutMs: 30_000, failurePauseMs: 100 })
    const outages: OutageFigures[] = []
    try {
      traffic.start()
      for (const kind of ['restart', 'exhaust'] as const) outages.push(await runOutage(kind, cluster, url, server, traffic))
    } finally {
      await traffic.stop()
      await server.stop()
    }
    const { accepted, lost, storedWithoutAnswer } = await checkAccepted(url, traffic.samples, traffic.bodyPrefix)
    const passed = lost === 0 && outages.every((o) =>
      o.hangs === 0 && o.badFailures === 0 && o.freshAfterRecovery && o.freshSettled &&
      o.firstSubmitOkMs !== null && o.firstSubmitOkMs <= RECOVERY_BUDGET_MS && o.firstReadOkMs !== null && o.firstReadOkMs <= RECOVERY_BUDGET_MS)
    await clusterCtl(cluster, 'stop')
    stoppedAtEnd = true
    const report: OutageReport = {
      startedAt, finishedAt: new Date(),
      cluster: { version: cluster.version, name: cluster.name, port: cluster.port, stoppedAtEnd },
      dbTimeoutMs: DB_TIMEOUT_MS, deadlineMs: DEADLINE_MS, hangLimitMs: DEADLINE_MS + HANG_SLACK_MS, recoveryBudgetMs: RECOVERY_BUDGET_MS,
      outages, accepted, lost, storedWithoutAnswer, passed,
    }
    console.log(outageTable(report))
    await writeResults('outage', report)
    if (!passed) process.exitCode = 1
  } finally {
    if (!stoppedAtEnd) await clusterCtl(cluster, 'stop').catch((error: unknown) => log(`could not stop the cluster: ${String(error)}`))
  }
}

const ms = (value: number | null) => (value === null ? 'never' : `${value} ms`)

function outageTable(report: OutageReport): string {
  const lines = [`Database outages (DB_TIMEOUT_MS ${report.dbTimeoutMs}; deadline ${report.deadlineMs} ms; a hang is over ${report.hangLimitMs} ms; recovery budget ${report.recoveryBudgetMs} ms)`]
  for (const o of report.outages) {
    lines.push(
      `\n${o.outage}: database down ${o.downMs} ms${o.hogSlots === undefined ? '' : ` (hog held ${o.hogSlots} slots, ended ${o.hogTerminated} Parley backends)`}`,
      `  requests ${o.requests}: ${Object.entries(o.statuses).map(([status, n]) => `${status} ×${n}`).join(', ')}`,
      `  failures other than 503 unavailable + Retry-After: ${o.badFailures}; failures took ${ms(o.failureMedianMs)} (median); slowest ${o.slowestMs} ms; over DB_TIMEOUT_MS ${o.overDbTimeout}; hangs ${o.hangs}`,
      `  after the database was back: first 201 ${ms(o.firstSubmitOkMs)}, first 200 read ${ms(o.firstReadOkMs)}, last failure ${ms(o.lastFailureMs)}, read cache listening ${ms(o.listenerBackMs)}`,
      `  new comment in the next thread read: right after recovery ${o.freshAfterRecovery ? 'yes' : 'NO'}, 3 s later ${o.freshSettled ? 'yes' : 'NO'}`,
    )
  }
  lines.push(
    `\naccepted (201) ${report.accepted}, lost ${report.lost}; stored without a 201 ${report.storedWithoutAnswer}`,
    `cluster ${report.cluster.version}/${report.cluster.name} (port ${report.cluster.port}) ${report.cluster.stoppedAtEnd ? 'stopped, kept' : 'left running'}`,
    report.passed ? 'PASSED' : 'FAILED',
  )
  return lines.join('\n')
}
