import postgres from 'postgres'
import { BENCH_SSO_SECRET } from './identity-tokens.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { repoRoot, startChild, type ChildServer, type Memory } from './child-server.js'
import type { PlannedArticle } from './dataset.js'
import { BIG_KEY } from './dataset.js'
import { BENCH_DB } from './bench-databases.js'
import { preparePglite, preparePostgres } from './bench-databases.js'
import { trackDir } from './exit-cleanup.js'
import type { LoadOptions, Measurement } from './load.js'
import type { BenchOptions } from './options.js'
import type { SeedSummary } from './seed.js'
import {
  measureCacheOn,
  measureHotCold,
  measureHttpFloor,
  measureParley,
  measureSqlFloors,
  type HttpFloor,
  type ParleyResults,
  type PlainRead,
  type SubmissionResult,
} from './scenarios.js'
import { newCommenters, threadPath, wholeThreadPaths, type NewCommenter } from './workloads.js'

/** Fixed so that seeded avatars and hashes match what the server computes for the same emails. */
export const BENCH_SECRET = 'parley-bench-secret-not-for-production-use-0123456789'

/** What `npm run build:node` writes (package.json). */
const NODE_BUNDLE = 'dist/node/node.js'

export type Engine = 'postgres' | 'pglite'

export interface EngineResults extends ParleyResults {
  engine: Engine
  seeded: SeedSummary
  /** The server's memory once started and seeded data opened, before any load. */
  idleMemory: Memory
  firstPageBytes: number
  wholeThreadPages: number
}

export interface Floors {
  http?: HttpFloor
  sql: Partial<Record<PlainRead, Measurement>>
}

interface Context {
  options: BenchOptions
  load: LoadOptions
  floors: Floors
  workDir: string
  /** The run's one source of new commenters: no address or email comes back within the run. */
  commenters: () => NewCommenter
  /** With --profile: the directories the servers' CPU profiles went to, relative to the repository. */
  profiles: string[]
}

const log = (text: string) => process.stderr.write(`${text}\n`)

const run = promisify(execFile)

/** `npm start`'s bundle, built once per bench run from the sources as they are now. */
let built: Promise<unknown> | undefined
const buildServer = () => (built ??= run('npm', ['run', '--silent', 'build:node'], { cwd: repoRoot }))

/**
 * Parley as `npm start` runs it: the bundle its prestart builds (dist/node), not the sources through tsx.
 * `profileDir` (relative to the repository): V8 writes a CPU profile there when the server exits.
 */
export async function startParley(
  env: Record<string, string>,
  poolMax: number,
  readCache: boolean,
  profileDir?: string,
): Promise<ChildServer> {
  await buildServer()
  // The heap `npm start` gives the server (package.json: PARLEY_HEAP_MB, default 160).
  // PARLEY_BENCH_NODE_FLAGS: more flags for the servers, for an experiment (V8's, a --import of a probe).
  const heap = [`--max-old-space-size=${process.env.PARLEY_HEAP_MB || 160}`, process.env.PARLEY_BENCH_NODE_FLAGS ?? ''].join(' ').trim()
  return startChild('parley', NODE_BUNDLE, [], {
    NODE_OPTIONS: profileDir ? `${heap} --cpu-prof --cpu-prof-dir=${profileDir}` : heap,
    // The bench's posts each carry a new commenter's address in x-forwarded-for (workloads.ts), as a
    // proxy in front of Parley would; a request without one is still known by its socket's address.
    TRUST_PROXY: 'x-forwarded-for',
    // As `npm start` sets it (package.json): glibc's malloc in two arenas, not one per thread.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    ...env,
    READ_CACHE_MB: readCache ? '64' : '0',
    PARLEY_SECRET: BENCH_SECRET,
    PARLEY_SSO_SECRET: BENCH_SSO_SECRET,
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: String(poolMax),
  })
}

/** Where --profile has a server's CPU profile written: one directory per engine and cache setting. */
function profileDirFor(engine: Engine, readCache: boolean, ctx: Context): string | undefined {
  if (!ctx.options.profile) return undefined
  const dir = `bench/results/profiles/${engine}-cache-${readCache ? 'on' : 'off'}`
  if (!ctx.profiles.includes(dir)) ctx.profiles.push(dir)
  return dir
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url)
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
  return response.text()
}

/**
 * Everything measured against Parley on one database, the floors joining in where still missing:
 * first a server with the read cache off (every read a query, then the spread submissions), then a
 * fresh one with it on (the hot article cold, the reads, the hot article warm: scenarios.ts).
 */
async function benchServer(
  engine: Engine,
  env: Record<string, string>,
  seeded: SeedSummary,
  ctx: Context,
  databaseUrl: string | null,
): Promise<EngineResults> {
  const uncached = await startParley(env, ctx.options.poolMax, false, profileDirFor(engine, false, ctx))
  let results: EngineResults
  let wholeThread: string[]
  try {
    const idleMemory = await uncached.memory()
    const firstPage = await fetchText(uncached.baseUrl + threadPath(BIG_KEY))
    wholeThread = await wholeThreadPaths(uncached.baseUrl, BIG_KEY)
    ctx.floors.http ??= await measureHttpFloor(firstPage, ctx.workDir, ctx.load)
    if (databaseUrl) ctx.floors.sql = await measureSqlFloors(databaseUrl, ctx.options.poolMax, ctx.load, wholeThread)
    const measured = await measureParley(uncached, ctx.load, wholeThread, ctx.commenters)
    results = {
      engine,
      seeded,
      idleMemory,
      firstPageBytes: Buffer.byteLength(firstPage),
      wholeThreadPages: wholeThread.length,
      ...measured,
    }
  } finally {
    await uncached.stop()
  }
  // One process at a time: PGlite's data directory cannot be opened by two. The cold posts get a
  // server of their own: once a server has taken posts its reads run slower (measured: 9,100
  // cached small reads/s against 10,300 to 13,000 on a server that only read), and the cached reads
  // keep the fresh server earlier runs measured them on; the warm posts come after them.
  const cold = await startParley(env, ctx.options.poolMax, true, profileDirFor(engine, true, ctx))
  let hotCold: SubmissionResult
  try {
    hotCold = await measureHotCold(cold, ctx.load, ctx.commenters, databaseUrl !== null)
  } finally {
    await cold.stop()
  }
  const cached = await startParley(env, ctx.options.poolMax, true, profileDirFor(engine, true, ctx))
  try {
    Object.assign(
      results,
      await measureCacheOn(cached, ctx.load, wholeThread, ctx.commenters, hotCold, databaseUrl ? votesSwitch(databaseUrl) : undefined),
    )
  } finally {
    await cached.stop()
  }
  return results
}

/**
 * Sets `votes` in the settings row of the running server's database: its change notification
 * empties the server's read cache and settings, as an admin's change would.
 */
function votesSwitch(databaseUrl: string): (on: boolean) => Promise<void> {
  return async (on) => {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined })
    try {
      await sql`update settings set value = value || ${sql.json({ votes: on })}, revision = revision + 1`
    } finally {
      await sql.end()
    }
    // The notification reaches the server within milliseconds; a moment more for good measure.
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

async function runPostgres(plan: PlannedArticle[], ctx: Context): Promise<EngineResults> {
  log(`PostgreSQL: recreating ${BENCH_DB} and seeding`)
  const { url, seeded } = await preparePostgres(ctx.options.adminUrl, plan, BENCH_SECRET)
  log(`  seeded ${seeded.comments} comments on ${seeded.articles} articles in ${seeded.ms} ms`)
  return benchServer('postgres', { DATABASE_URL: url }, seeded, ctx, url)
}

async function runPglite(plan: PlannedArticle[], ctx: Context): Promise<EngineResults> {
  log('PGlite: seeding a fresh data directory')
  const prepared = await preparePglite(plan, BENCH_SECRET)
  try {
    log(`  seeded ${prepared.seeded.comments} comments on ${prepared.seeded.articles} articles in ${prepared.seeded.ms} ms`)
    // An empty DATABASE_URL counts as unset: an inherited one must not turn this run into PostgreSQL.
    return await benchServer('pglite', { DATABASE_URL: '', PARLEY_DATA_DIR: prepared.dataDir }, prepared.seeded, ctx, null)
  } finally {
    await prepared.remove()
  }
}

/** Each engine in turn (PostgreSQL first, so PGlite can be compared with its SQL floor). */
export async function runEngines(
  plan: PlannedArticle[],
  options: BenchOptions,
  load: LoadOptions,
): Promise<{ engines: EngineResults[]; floors: Floors; profiles: string[] }> {
  const workDir = await mkdtemp(join(tmpdir(), 'parley-bench-floor-'))
  const untrack = trackDir(workDir)
  const ctx: Context = { options, load, floors: { sql: {} }, workDir, commenters: newCommenters(), profiles: [] }
  const engines: EngineResults[] = []
  try {
    if (options.postgres) engines.push(await runPostgres(plan, ctx))
    if (options.pglite) engines.push(await runPglite(plan, ctx))
  } finally {
    await rm(workDir, { recursive: true, force: true })
    untrack()
  }
  return { engines, floors: ctx.floors, profiles: ctx.profiles }
}
