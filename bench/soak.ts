import autocannon from 'autocannon'
import { preparePostgres } from './bench-databases.js'
import { BIG_KEY, planDataset } from './dataset.js'
import { BENCH_SECRET, startParley } from './engine-runs.js'
import type { BenchOptions } from './options.js'
import { writeResults } from './results-file.js'
import { READS_PER_CYCLE, soakMix } from './soak-mix.js'
import { wholeThreadPaths, type SubmissionTally } from './workloads.js'

/**
 * The verdict on memory: the highest RSS of the last minute may exceed that of the second (the
 * first is the server warming up and its read cache filling) by this fraction. Peaks, not
 * medians: on a shared machine the load dips for a minute at a time, and RSS with it, which made
 * a quiet second minute's median look like growth (213 → 267 MB while the peaks held at 288 →
 * 287). A leak of a few hundred bytes per request still adds tens of MB a minute at these rates.
 */
export const RSS_GROWTH_TOLERANCE = 0.1
const RSS_SAMPLE_MS = 1000
const MINUTE_MS = 60_000

export interface SoakMinute {
  minute: number
  requests: number
  reads: number
  submissions: number
  requestsPerS: number
  rssMedianMb: number
  rssMaxMb: number
}

export interface SoakResult {
  startedAt: Date
  finishedAt: Date
  engine: 'postgres'
  minutes: number
  connections: number
  poolMax: number
  readCache: true
  totals: {
    requests: number
    reads: number
    submissions: number
    /** Share of reads among completed requests (the mix aims at 0.9). */
    readShare: number
    errors: number
    timeouts: number
    /** Every status, reads and submissions together; then the submissions' alone. */
    statusCounts: Record<string, number>
    submissionStatuses: Record<string, number>
    /** Anything but 200/304 for reads and 201 for submissions, errors and timeouts. */
    problems: string[]
  }
  tally: SubmissionTally
  perMinute: SoakMinute[]
  rss: {
    idleMb: number
    /** One sample a second: seconds since the load started, RSS in MB. */
    samples: { s: number; mb: number }[]
    /** The highest sample of the second and of the last whole minute, and the difference. */
    secondMinuteMaxMb: number | null
    lastMinuteMaxMb: number | null
    growthMb: number | null
    tolerance: number
    hwmMb: number
  }
  verdict: { clean: boolean; flat: boolean | null; pass: boolean | null; text: string }
}

const log = (text: string) => process.stderr.write(`${text}\n`)
const round1 = (value: number) => Math.round(value * 10) / 10

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function problemsOf(all: Record<string, number>, posts: Record<string, number>, errors: number, timeouts: number): string[] {
  const found: string[] = []
  for (const [status, count] of Object.entries(all)) {
    const asPosts = posts[status] ?? 0
    const asReads = count - asPosts
    if (asReads > 0 && status !== '200' && status !== '304') found.push(`${asReads} reads answered ${status}`)
    if (asPosts > 0 && status !== '201') found.push(`${asPosts} submissions answered ${status}`)
  }
  if (errors > 0) found.push(`${errors} errors`)
  if (timeouts > 0) found.push(`${timeouts} timeouts`)
  return found
}

export function judge(minutes: SoakMinute[], problems: string[], second: number | null, last: number | null): SoakResult['verdict'] {
  const clean = problems.length === 0
  const judged = minutes.length >= 3 && second !== null && last !== null
  const flat = judged ? last <= second * (1 + RSS_GROWTH_TOLERANCE) : null
  const pass = flat === null ? null : clean && flat
  const memory = !judged
    ? 'RSS not judged (needs at least 3 whole minutes)'
    : `RSS peak ${Math.round(second)} MB in minute 2, ${Math.round(last)} MB in minute ${minutes.length}: ` +
      `${flat ? 'flat' : 'GROWING'} (tolerance +${RSS_GROWTH_TOLERANCE * 100}%)`
  return { clean, flat, pass, text: `${clean ? 'no errors' : `PROBLEMS: ${problems.join(', ')}`}; ${memory}` }
}

/**
 * `npm run bench -- --soak [--soak-minutes 5]`: a PostgreSQL Parley server, read cache on as in
 * production, under mixed load for several minutes (90% thread reads, 10% new comments), its RSS
 * sampled every second: whether it answers everything and whether its memory settles.
 */
export async function runSoak(options: BenchOptions): Promise<SoakResult> {
  log('Soak: recreating the bench database on PostgreSQL and seeding')
  const { url, seeded } = await preparePostgres(options.adminUrl, planDataset(), BENCH_SECRET)
  log(`  seeded ${seeded.comments} comments on ${seeded.articles} articles`)
  const server = await startParley({ DATABASE_URL: url }, options.poolMax, true)
  try {
    const idle = await server.memory()
    const wholeThread = await wholeThreadPaths(server.baseUrl, BIG_KEY)
    const durationS = Math.round(options.soakMinutes * 60)
    log(`Soak: ${options.soakMinutes} min, ${options.connections} connections, ${READS_PER_CYCLE} reads to 1 submission`)

    const startedAt = new Date()
    const start = startedAt.getTime()
    const mix = soakMix(wholeThread, start)
    const samples: { s: number; mb: number }[] = []
    let hwmMb = idle.peakMb
    const sampler = setInterval(() => {
      void server.memory().then(
        (memory) => {
          samples.push({ s: round1((Date.now() - start) / 1000), mb: round1(memory.rssMb) })
          hwmMb = Math.max(hwmMb, memory.peakMb)
        },
        () => undefined,
      )
    }, RSS_SAMPLE_MS)
    // Answers counted per minute since the start, all of them and the submissions among them.
    const responsesPerMinute: number[] = []
    const minuteOf = (time: number) => Math.floor((time - start) / MINUTE_MS)
    let result: autocannon.Result
    try {
      result = await new Promise<autocannon.Result>((resolve, reject) => {
        // The callback form, since only it hands back the instance whose events count the answers.
        const instance = autocannon(
          { url: server.baseUrl, connections: options.connections, duration: durationS, requests: mix.requests },
          (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
        )
        instance.on('response', () => {
          const minute = minuteOf(Date.now())
          responsesPerMinute[minute] = (responsesPerMinute[minute] ?? 0) + 1
        })
        let lastMinute = 0
        instance.on('tick', () => {
          const minute = minuteOf(Date.now())
          if (minute > lastMinute) log(`  minute ${minute} done, RSS ${Math.round(samples.at(-1)?.mb ?? 0)} MB`)
          lastMinute = minute
        })
      })
    } finally {
      clearInterval(sampler)
    }
    const finishedAt = new Date()

    // Whole minutes only: a last partial minute would judge memory on a few seconds.
    const minuteCount = Math.floor(result.duration / 60)
    const perMinute: SoakMinute[] = Array.from({ length: minuteCount }, (_, m) => {
      const requests = responsesPerMinute[m] ?? 0
      const posts = mix.postsPerMinute[m] ?? 0
      const rss = samples.filter((sample) => sample.s >= m * 60 && sample.s < (m + 1) * 60).map((sample) => sample.mb)
      return {
        minute: m + 1,
        requests,
        reads: requests - posts,
        submissions: posts,
        requestsPerS: Math.round(requests / 60),
        rssMedianMb: round1(median(rss) ?? 0),
        rssMaxMb: Math.max(0, ...rss),
      }
    })

    const statusCounts: Record<string, number> = {}
    for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = stats.count ?? 0
    const requests = Object.values(statusCounts).reduce((sum, count) => sum + count, 0)
    const submissions = Object.values(mix.postStatuses).reduce((sum, count) => sum + count, 0)
    const problems = problemsOf(statusCounts, mix.postStatuses, result.errors, result.timeouts)
    const second = perMinute.length >= 2 ? (perMinute[1]?.rssMaxMb ?? null) : null
    const last = perMinute.at(-1)?.rssMaxMb ?? null
    return {
      startedAt,
      finishedAt,
      engine: 'postgres',
      minutes: options.soakMinutes,
      connections: options.connections,
      poolMax: options.poolMax,
      readCache: true,
      totals: {
        requests,
        reads: requests - submissions,
        submissions,
        readShare: requests > 0 ? Math.round(((requests - submissions) / requests) * 1000) / 1000 : 0,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCounts,
        submissionStatuses: mix.postStatuses,
        problems,
      },
      tally: mix.tally,
      perMinute,
      rss: {
        idleMb: round1(idle.rssMb),
        samples,
        secondMinuteMaxMb: second,
        lastMinuteMaxMb: last,
        growthMb: second !== null && last !== null ? round1(last - second) : null,
        tolerance: RSS_GROWTH_TOLERANCE,
        hwmMb: round1(hwmMb),
      },
      verdict: judge(perMinute, problems, second, last),
    }
  } finally {
    await server.stop()
  }
}

export function soakTable(soak: SoakResult): string {
  const num = (value: number) => Math.round(value).toLocaleString('en-US')
  const t = soak.totals
  const rows = soak.perMinute.map(
    (m) =>
      `  minute ${String(m.minute).padStart(2)}  ${num(m.requestsPerS).padStart(6)} req/s  ${num(m.reads).padStart(8)} reads  ` +
      `${num(m.submissions).padStart(7)} submissions  RSS median ${num(m.rssMedianMb).padStart(4)} MB, max ${num(m.rssMaxMb).padStart(4)} MB`,
  )
  return [
    `Soak (PostgreSQL, read cache on): ${soak.minutes} min, ${soak.connections} connections, pool ${soak.poolMax}`,
    `  ${num(t.requests)} requests: ${num(t.reads)} reads, ${num(t.submissions)} submissions (${(t.readShare * 100).toFixed(1)}% reads); ` +
      `201s: ${soak.tally.approved} approved, ${soak.tally.held} held`,
    `  statuses ${JSON.stringify(t.statusCounts)}, errors ${t.errors}, timeouts ${t.timeouts}`,
    ...rows,
    `  RSS idle ${num(soak.rss.idleMb)} MB, VmHWM ${num(soak.rss.hwmMb)} MB`,
    `${soak.verdict.pass === null ? 'n/a ' : soak.verdict.pass ? 'PASS' : 'FAIL'}  ${soak.verdict.text}`,
  ].join('\n')
}

/** Runs the soak, prints it and writes bench/results/soak.json. */
export async function benchSoak(options: BenchOptions): Promise<void> {
  const soak = await runSoak(options)
  console.log(`\n${soakTable(soak)}`)
  await writeResults('soak', soak)
}
