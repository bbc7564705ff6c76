/**
 * `npm run bench -- --shutdown`: SIGTERM to a real Parley Node server on PostgreSQL in the middle of
 * submissions and thread reads over keep-alive sockets (a few submissions send their body in two
 * halves 500 ms apart, jobs run every 200 ms), several rounds. Figures, per round: requests in
 * flight at the signal that got their answer vs a reset socket; requests sent after it that got an
 * answer, were refused (nothing listening: fine, the client retries elsewhere) or were reset (sent on
 * a kept-alive socket the server then dropped: not fine); the exit code and time against the grace
 * period (GRACE_MS in src/runtime/node.ts); and, over all rounds, every 201 is in the database.
 *
 * Runs on --pg-url's server (default the local 5432) in its own database BENCH_DB_NAME (default
 * parley_bench), dropped and created afresh. Figures go to bench/results/shutdown.json.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { BENCH_DB, prepareEmptyPostgres } from './bench-databases.js'
import { startChild } from './child-server.js'
import { BENCH_SECRET } from './engine-runs.js'
import { Traffic, checkAccepted, statusCounts, type Sample } from './fault-traffic.js'
import type { BenchOptions } from './options.js'
import { writeResults } from './results-file.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

/** GRACE_MS in src/runtime/node.ts: past it the server exits 1 with requests unfinished. */
const GRACE_MS = 10_000
const ROUNDS = 3
const LOAD_BEFORE_MS = 3000
const KEYS = ['shutdown-a', 'shutdown-b', 'shutdown-c', 'shutdown-d']

export interface ShutdownRound {
  round: number
  requestsBefore: number
  /** Requests started before the signal and not yet answered at it. */
  inFlight: number
  inFlightAnswered: number
  inFlightStatuses: Record<string, number>
  /**
   * Requests sent after the signal: answered; refused (nothing listens); reset on a kept-alive socket
   * the server closed as idle just as the request went out (the keep-alive race: never processed,
   * since only a socket with no request on it is closed, so a client may retry, POST included);
   * and any other socket error.
   */
  afterAnswered: number
  afterRefused: number
  afterIdleReset: number
  afterBroken: number
  afterStatuses: Record<string, number>
  exitCode: number | null
  exitSignal: string | null
  exitMs: number
}

export interface ShutdownReport {
  startedAt: Date
  finishedAt: Date
  database: string
  graceMs: number
  rounds: ShutdownRound[]
  accepted: number
  lost: number
  /** This run's comments in the database that never got their 201 (their connection broke after the commit). */
  storedWithoutAnswer: number
  passed: boolean
}

const answered = (samples: Sample[]) => samples.filter((s) => s.status > 0)
const idleReset = (s: Sample) => s.status === 0 && s.error === 'ECONNRESET' && s.reusedSocket === true

async function runRound(round: number, url: string, all: Sample[]): Promise<ShutdownRound> {
  const server = await startChild('parley', 'src/runtime/node.ts', [], {
    DATABASE_URL: url,
    PARLEY_SECRET: BENCH_SECRET,
    LOG_LEVEL: 'error',
    DB_POOL_MAX: '6',
    READ_CACHE_MB: '16',
    JOBS_INTERVAL_MS: '200',
  })
  const traffic = new Traffic({
    baseUrl: server.baseUrl,
    writers: 4,
    readers: 4,
    slowWriters: 2,
    slowBodyMs: 500,
    keys: KEYS,
    hardTimeoutMs: GRACE_MS + 5000,
    failurePauseMs: 50,
  })
  // Nothing listens any more: this worker is done (a real client would go to another instance).
  traffic.stopWhen = (sample) => sample.error === 'ECONNREFUSED'
  let signalAt = 0
  let exitAt: number
  let exit: { code: number | null; signal: NodeJS.Signals | null }
  try {
    traffic.start()
    await sleep(LOAD_BEFORE_MS)
    signalAt = traffic.now()
    server.kill('SIGTERM')
    exit = await Promise.race([server.exited, sleep(GRACE_MS + 5000).then(() => ({ code: null, signal: null }))])
    exitAt = traffic.now()
  } finally {
    await server.stop()
    await traffic.stop()
  }
  all.push(...traffic.samples)
  const inFlight = traffic.samples.filter((s) => s.startedAt < signalAt && s.endedAt >= signalAt)
  const after = traffic.samples.filter((s) => s.startedAt >= signalAt)
  return {
    round,
    requestsBefore: traffic.samples.filter((s) => s.endedAt < signalAt).length,
    inFlight: inFlight.length,
    inFlightAnswered: answered(inFlight).length,
    inFlightStatuses: statusCounts(inFlight),
    afterAnswered: answered(after).length,
    afterRefused: after.filter((s) => s.error === 'ECONNREFUSED').length,
    afterIdleReset: after.filter(idleReset).length,
    afterBroken: after.filter((s) => s.status === 0 && s.error !== 'ECONNREFUSED' && !idleReset(s)).length,
    afterStatuses: statusCounts(after),
    exitCode: exit.code,
    exitSignal: exit.signal,
    exitMs: Math.round(exitAt - signalAt),
  }
}

export async function benchShutdown(options: BenchOptions): Promise<void> {
  const startedAt = new Date()
  log(`database ${BENCH_DB} on ${new URL(options.adminUrl).host}`)
  const url = await prepareEmptyPostgres(options.adminUrl)
  const samples: Sample[] = []
  const rounds: ShutdownRound[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    log(`shutdown round ${round}`)
    rounds.push(await runRound(round, url, samples))
  }
  // The database is this run's alone: every comment in it came from one of the rounds.
  const { accepted, lost, storedWithoutAnswer } = await checkAccepted(url, samples, '')
  const passed =
    lost === 0 && rounds.every((r) => r.inFlightAnswered === r.inFlight && r.afterBroken === 0 && r.exitCode === 0 && r.exitMs < GRACE_MS)
  const report: ShutdownReport = {
    startedAt,
    finishedAt: new Date(),
    database: BENCH_DB,
    graceMs: GRACE_MS,
    rounds,
    accepted,
    lost,
    storedWithoutAnswer,
    passed,
  }
  console.log(shutdownTable(report))
  await writeResults('shutdown', report)
  if (!passed) process.exitCode = 1
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${status} ×${n}`)
    .join(', ') || 'none'

function shutdownTable(report: ShutdownReport): string {
  const lines = [`Graceful shutdown under load (SIGTERM; grace period ${report.graceMs} ms; database ${report.database})`]
  for (const r of report.rounds) {
    lines.push(
      `\nround ${r.round}: ${r.requestsBefore} requests before the signal`,
      `  in flight at SIGTERM ${r.inFlight}: answered ${r.inFlightAnswered} (${list(r.inFlightStatuses)})`,
      `  sent after SIGTERM: answered ${r.afterAnswered}, refused ${r.afterRefused}, reset on a reused idle socket ${r.afterIdleReset}, broken otherwise ${r.afterBroken} (${list(r.afterStatuses)})`,
      `  exit ${r.exitCode ?? r.exitSignal ?? 'none'} after ${r.exitMs} ms`,
    )
  }
  lines.push(
    `\naccepted (201) ${report.accepted}, lost ${report.lost}; stored without a 201 ${report.storedWithoutAnswer}`,
    report.passed ? 'PASSED' : 'FAILED',
  )
  return lines.join('\n')
}
