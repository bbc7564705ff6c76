import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { queryRows } from '../src/db/database.js'
import { openPostgres } from '../src/db/postgres.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'
import { BENCH_DB, preparePostgres } from './bench-databases.js'
import { type ChildServer, type Memory } from './child-server.js'
import { planDataset } from './dataset.js'
import { BENCH_SECRET, startParley } from './engine-runs.js'
import { measure, warmUp, type LoadOptions, type Measurement, type Workload } from './load.js'
import type { BenchOptions } from './options.js'
import { machine, recordedOptions, writeResults } from './results-file.js'
import { grow, SCALE_KEY_PREFIX, type GrowSummary } from './scale-load.js'
import { scaleTable } from './scale-report.js'
import { countsWorkload, moderationQueueWorkload } from './scale-workloads.js'
import type { SeedSummary } from './seed.js'
import { bigFirstPage, smallArticles, threadPath } from './workloads.js'

/** DESIGN.md, "Flat with size": the same read at 1M comments within this factor of its latency at 10k. */
export const FLAT_WITH_SIZE = 1.25
const SCALE_ARTICLES = 10_000
/** A tenth of the comments wait in the moderation queue (100,000 at full size). */
const PENDING_SHARE = 0.1

export type ScaleRead = 'first-page' | 'small' | 'counts'

export const scaleReads: { id: ScaleRead; label: string; workload: () => Workload }[] = [
  { id: 'first-page', label: 'big article, first page', workload: bigFirstPage },
  { id: 'small', label: 'small articles (10 comments)', workload: smallArticles },
  { id: 'counts', label: 'counts, 100 keys', workload: countsWorkload },
]

export interface SizeResult {
  label: string
  comments: number
  articles: number
  pending: number
  databaseMb: number
  /** Read cache off (READ_CACHE_MB=0): every read is a query. */
  uncached: Partial<Record<ScaleRead, Measurement>>
  cached: Partial<Record<ScaleRead, Measurement>>
  moderationQueue?: Measurement
  /** The queue's counts as the first page reported them. */
  queueCounts?: Record<string, number>
  idleMemory: Memory
  /** Highest RSS sampled under any load on either server, and the kernel's high-water mark. */
  rssMaxMb: number
  rssPeakMb: number
}

export interface FlatCheck {
  read: ScaleRead
  /** The budget's figure: mean latency (autocannon's p50/p99 are whole milliseconds, too coarse for a ratio). */
  meanRatio: number
  p50Ratio: number
  p99Ratio: number
  rpsRatio: number
  pass: boolean
}

const log = (text: string) => process.stderr.write(`${text}\n`)

interface Moderator {
  email: string
  password: string
}

async function signIn(baseUrl: string, moderator: Moderator): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(moderator),
  })
  if (response.status !== 200) throw new Error(`moderator login answered ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

async function databaseFigures(url: string): Promise<{ comments: number; articles: number; pending: number; databaseMb: number }> {
  const database = openPostgres({ url, poolMax: 1, timeoutMs: 60_000 })
  try {
    const [row] = await queryRows<{ comments: number; articles: number; pending: number; bytes: number }>(
      database.db,
      sql`
      select (select count(*) from comments)::int as comments, (select count(*) from articles)::int as articles,
        (select count(*) from comments where status = 'pending')::int as pending, pg_database_size(current_database())::float8 as bytes`,
    )
    if (!row) throw new Error('no figures')
    return { comments: row.comments, articles: row.articles, pending: row.pending, databaseMb: Math.round(row.bytes / 2 ** 20) }
  } finally {
    await database.close()
  }
}

interface Side {
  url: string
  result: SizeResult
  runs: Measurement[]
}

interface Running {
  side: Side
  server: ChildServer
}

async function startServers(sides: Side[], options: BenchOptions, readCache: boolean): Promise<Running[]> {
  const running: Running[] = []
  try {
    for (const side of sides) running.push({ side, server: await startParley({ DATABASE_URL: side.url }, options.poolMax, readCache) })
  } catch (error) {
    await Promise.all(running.map(({ server }) => server.stop()))
    throw error
  }
  return running
}

/**
 * Both sizes at once, a server on each, each read measured on one right after the other: the
 * machine is shared, and a ratio of two runs minutes apart would mostly measure its neighbours.
 * The moderation queue is measured on the largest only (the smaller has no pending comments).
 */
async function measureSides(
  sides: Side[],
  options: BenchOptions,
  load: LoadOptions,
  readCache: boolean,
  moderator: Moderator,
): Promise<void> {
  const cache = readCache ? 'cache on' : 'cache off'
  const running = await startServers(sides, options, readCache)
  try {
    if (!readCache) for (const { side, server } of running) side.result.idleMemory = await server.memory()
    for (const { server } of running) await warmUp(server, bigFirstPage(), load, load.serverWarmupS)
    for (const { id, label, workload } of scaleReads) {
      for (const { side, server } of running) {
        log(`  ${cache}, ${side.result.label}: ${label}`)
        const measurement = await measure(server, workload(), load)
        side.runs.push(measurement)
        side.result[readCache ? 'cached' : 'uncached'][id] = measurement
      }
    }
    const largest = running[running.length - 1]
    if (!readCache && largest && largest.side.result.pending > 0) {
      const { side, server } = largest
      const token = await signIn(server.baseUrl, moderator)
      const first = await fetch(`${server.baseUrl}/api/v1/moderation/comments`, { headers: { authorization: `Bearer ${token}` } })
      side.result.queueCounts = ((await first.json()) as { counts: Record<string, number> }).counts
      log(`  ${cache}, ${side.result.label}: moderation queue, first page`)
      side.result.moderationQueue = await measure(server, moderationQueueWorkload(token), load)
      side.runs.push(side.result.moderationQueue)
    }
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()))
  }
}

async function side(label: string, url: string): Promise<Side> {
  const figures = await databaseFigures(url)
  log(
    `${label}: ${figures.comments.toLocaleString('en-US')} comments on ${figures.articles.toLocaleString('en-US')} articles, ${figures.databaseMb} MB`,
  )
  return {
    url,
    runs: [],
    result: { label, ...figures, uncached: {}, cached: {}, idleMemory: { rssMb: 0, peakMb: 0 }, rssMaxMb: 0, rssPeakMb: 0 },
  }
}

/** The bench's own database, before growing, copied for the side-by-side runs (PostgreSQL copies files: instant at this size). */
const SMALL_DB = `${BENCH_DB.replace(/^parley_bench/, 'parley_scale')}_small`

async function adminDo(adminUrl: string, statements: string[]): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    for (const statement of statements) await admin.unsafe(statement)
  } finally {
    await admin.end({ timeout: 5 })
  }
}

export function flatChecks(small: SizeResult, large: SizeResult): FlatCheck[] {
  return scaleReads.flatMap(({ id }) => {
    const before = small.uncached[id]
    const after = large.uncached[id]
    if (!before || !after) return []
    // autocannon's latencies are whole milliseconds: a sub-ms p50 counts as 1 ms, not as a 0 to divide by.
    const p50Ratio = Math.max(1, after.p50Ms) / Math.max(1, before.p50Ms)
    const p99Ratio = Math.max(1, after.p99Ms) / Math.max(1, before.p99Ms)
    const meanRatio = after.meanMs / Math.max(0.001, before.meanMs)
    return [{ read: id, meanRatio, p50Ratio, p99Ratio, rpsRatio: after.rps / Math.max(1, before.rps), pass: meanRatio <= FLAT_WITH_SIZE }]
  })
}

interface PageComment {
  replies: PageComment[]
}

const countTree = (comments: PageComment[]): number => comments.reduce((sum, comment) => sum + 1 + countTree(comment.replies), 0)

/**
 * Sanity check of the grown rows through the app itself: the first grown article's whole thread
 * (one page: it has fewer than 100 threads) holds as many comments as its counter says.
 */
async function checkGrownArticle(url: string, options: BenchOptions): Promise<void> {
  const server = await startParley({ DATABASE_URL: url }, options.poolMax, false)
  try {
    const response = await fetch(server.baseUrl + threadPath(`${SCALE_KEY_PREFIX}1`, '?limit=100'))
    const page = (await response.json()) as { article: { commentCount: number }; comments: PageComment[]; nextCursor: string | null }
    const shown = countTree(page.comments)
    if (response.status !== 200 || shown === 0 || page.nextCursor !== null || shown !== page.article.commentCount) {
      throw new Error(
        `the grown article ${SCALE_KEY_PREFIX}1 reads wrong: ${response.status}, ${shown} comments shown, counter ${page.article.commentCount}`,
      )
    }
  } finally {
    await server.stop()
  }
}

/** `npm run bench -- --scale`: the same reads at 10,000 and 1,000,000 comments, PostgreSQL only. */
export async function benchScale(options: BenchOptions): Promise<void> {
  const { connections, durationS, warmupS, serverWarmupS } = options
  const load: LoadOptions = { connections, durationS, warmupS, serverWarmupS }
  const startedAt = new Date()
  log(`Scale: recreating ${BENCH_DB} and seeding the bench's data set`)
  const plan = planDataset()
  const { url, seeded } = await preparePostgres(options.adminUrl, plan, BENCH_SECRET)
  await adminDo(options.adminUrl, [
    `drop database if exists "${SMALL_DB}" with (force)`,
    `create database "${SMALL_DB}" template "${BENCH_DB}"`,
  ])
  const smallUrl = new URL(url)
  smallUrl.pathname = `/${SMALL_DB}`

  const total = options.scaleComments
  const pending = Math.round(total * PENDING_SHARE)
  const approved = total - seeded.comments - pending
  if (approved < SCALE_ARTICLES) throw new Error(`--scale-comments must be well above the base data set's ${seeded.comments} comments`)
  const moderator: Moderator = { email: 'scale-moderator@news.example', password: 'scale bench moderator password' }
  log(
    `Scale: growing ${BENCH_DB} to ${total.toLocaleString('en-US')} comments (${pending.toLocaleString('en-US')} pending) over ${SCALE_ARTICLES.toLocaleString('en-US')} articles`,
  )
  const database = openPostgres({ url, poolMax: 1, timeoutMs: 600_000 })
  let grown: GrowSummary
  try {
    await createModerator(database.db, nativeArgon2, { ...moderator, name: 'Scale bench', role: 'moderator' }, new Date())
    grown = await grow(
      database.db,
      { articles: SCALE_ARTICLES - seeded.articles, approved, pending, start: new Date(Date.now() - 20 * 86_400_000) },
      BENCH_SECRET,
      log,
      async (db) => {
        await db.execute(sql`vacuum analyze comments`)
        await db.execute(sql`vacuum analyze articles`)
      },
    )
  } finally {
    await database.close()
  }
  const rowsPerS = Math.round(grown.comments / (grown.ms / 1000))
  log(
    `  loaded ${grown.comments.toLocaleString('en-US')} comments in ${(grown.ms / 1000).toFixed(1)} s (${rowsPerS.toLocaleString('en-US')} rows/s, vacuum ${(grown.vacuumMs / 1000).toFixed(1)} s)`,
  )
  await checkGrownArticle(url, options)

  const sides = [await side('small', smallUrl.href), await side('large', url)]
  try {
    await measureSides(sides, options, load, false, moderator)
    await measureSides(sides, options, load, true, moderator)
  } finally {
    await adminDo(options.adminUrl, [`drop database if exists "${SMALL_DB}" with (force)`])
  }
  for (const { result, runs } of sides) {
    result.rssMaxMb = Math.max(...runs.map((run) => run.rssMaxMb))
    result.rssPeakMb = Math.max(...runs.map((run) => run.rssPeakMb))
  }
  const [small, large] = sides.map((s) => s.result)
  if (!small || !large) throw new Error('both sizes must have been measured')
  const checks = flatChecks(small, large)
  const loadFigures = { seeded, grown, rowsPerS }
  console.log(`\n${scaleTable(small, large, checks, loadFigures, load, options.poolMax)}`)
  await writeResults('scale', {
    startedAt,
    finishedAt: new Date(),
    machine: machine(),
    options: recordedOptions(options),
    budget: FLAT_WITH_SIZE,
    load: loadFigures,
    sizes: [small, large],
    checks,
  })
}

export interface LoadFigures {
  seeded: SeedSummary
  grown: GrowSummary
  rowsPerS: number
}
