import type { EngineResults, Floors } from './engine-runs.js'
import type { Measurement } from './load.js'
import type { ReadResult } from './scenarios.js'

/** DESIGN.md, "Budgets": the figures `npm run bench` is judged by. */
export const BUDGET = {
  firstPageVsSqlFloor: 0.8,
  firstPageP99Ms: 50,
  cachedFirstPageVsHttpFloor: 0.7,
  pgliteReadsPerS: 500,
  acceptedPerS: 1000,
  hotAcceptedPerS: 1300,
  hotP99Ms: 200,
  cachedWholeThreadsPerS: 480,
  fragmentVsJsonCached: 0.8,
  signedInVsGuestPosts: 0.9,
  rssMb: 200,
  votesPerS: 1000,
  /** Issue 20: the cached first page with votes and picks, at least 90% of the same page with votes off (same run). */
  cachedWithVotesVsBefore: 0.9,
} as const

export interface BudgetCheck {
  name: string
  figure: string
  /** null: not measured in this run (say, --pglite-only has no SQL floor). */
  pass: boolean | null
}

const round = (value: number) => Math.round(value).toLocaleString('en-US')
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`

function measuredRuns(engine: EngineResults): Measurement[] {
  const reads = [...Object.values(engine.reads), ...Object.values(engine.cachedReads ?? {})]
  const posts = [engine.submissions, engine.signedInSubmissions, engine.hotArticle?.cold, engine.hotArticle?.warm, engine.votes].filter(
    (run) => run !== undefined,
  )
  return [...reads, ...posts].map((run) => run.measurement)
}

/** The highest RSS sampled while the server was under any of its loads. */
export const rssUnderLoad = (engine: EngineResults) => Math.max(0, ...measuredRuns(engine).map((run) => run.rssMaxMb))

/** The kernel's high-water mark (VmHWM), which also covers the server's start. */
export const rssHighWater = (engine: EngineResults) => Math.max(0, ...measuredRuns(engine).map((run) => run.rssPeakMb))

export function checkBudgets(engines: EngineResults[], floors: Floors): BudgetCheck[] {
  const checks: BudgetCheck[] = []
  const postgres = engines.find((engine) => engine.engine === 'postgres')
  const pglite = engines.find((engine) => engine.engine === 'pglite')
  const pgFirst = postgres?.reads['first-page']?.measurement
  const sqlFirst = floors.sql['first-page']
  if (pgFirst && sqlFirst) {
    const ratio = pgFirst.rps / sqlFirst.rps
    checks.push({
      name: `PostgreSQL first page ≥ ${percent(BUDGET.firstPageVsSqlFloor)} of the SQL floor`,
      figure: `${percent(ratio)} (${round(pgFirst.rps)} vs ${round(sqlFirst.rps)} req/s)`,
      pass: ratio >= BUDGET.firstPageVsSqlFloor,
    })
  }
  if (pgFirst) {
    checks.push({
      name: `PostgreSQL first page p99 < ${BUDGET.firstPageP99Ms} ms`,
      figure: `${pgFirst.p99Ms} ms`,
      pass: pgFirst.p99Ms < BUDGET.firstPageP99Ms,
    })
  }
  const httpFloor = floors.http?.measurement
  for (const engine of engines) {
    const cached = engine.cachedReads?.['first-page']?.measurement
    if (!cached || !httpFloor) continue
    const ratio = cached.rps / httpFloor.rps
    checks.push({
      name: `${engine.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} first page, cache on ≥ ${percent(BUDGET.cachedFirstPageVsHttpFloor)} of the HTTP floor`,
      figure: `${percent(ratio)} (${round(cached.rps)} vs ${round(httpFloor.rps)} req/s)`,
      pass: ratio >= BUDGET.cachedFirstPageVsHttpFloor,
    })
  }
  // DESIGN.md's budget is for "PGlite default": `npm start` as it comes, read cache on. The
  // uncached figure (every read a query) is shown beside it, and for small articles a miss's cost.
  const pgliteDefault = pglite?.cachedReads?.['first-page']?.measurement
  const pgliteUncached = pglite?.reads['first-page']?.measurement
  const pgliteSmallUncached = pglite?.reads['small']?.measurement
  if (pgliteDefault) {
    const uncached = pgliteUncached ? `; cache off ${round(pgliteUncached.rps)}` : ''
    const small = pgliteSmallUncached ? `, small articles cache off ${round(pgliteSmallUncached.rps)}` : ''
    checks.push({
      name: `PGlite default thread reads ≥ ${BUDGET.pgliteReadsPerS}/s (big, first page, cache on)`,
      figure: `${round(pgliteDefault.rps)} req/s${uncached}${small}`,
      pass: pgliteDefault.rps >= BUDGET.pgliteReadsPerS,
    })
  }
  for (const engine of engines) {
    const guests = engine.submissions
    const signed = engine.signedInSubmissions
    if (!guests || !signed) continue
    const ratio = signed.acceptedPerS / guests.acceptedPerS
    checks.push({
      name: `${engine.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} posting with an identity token ≥ ${percent(BUDGET.signedInVsGuestPosts)} of guest posting`,
      figure: `${percent(ratio)} (${round(signed.acceptedPerS)} vs ${round(guests.acceptedPerS)} accepted/s)`,
      pass: ratio >= BUDGET.signedInVsGuestPosts,
    })
  }
  const pgPosts = postgres?.submissions
  if (pgPosts) {
    checks.push({
      name: `PostgreSQL submissions ≥ ${round(BUDGET.acceptedPerS)} accepted/s`,
      figure: `${round(pgPosts.acceptedPerS)}/s`,
      pass: pgPosts.acceptedPerS >= BUDGET.acceptedPerS,
    })
  }
  if (postgres) checks.push(...hotArticleChecks(postgres), ...cachedWholeThreadChecks(postgres), ...voteChecks(postgres))
  for (const engine of engines) checks.push(...fragmentChecks(engine))
  for (const engine of engines) {
    const rss = rssUnderLoad(engine)
    checks.push({
      name: `${engine.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} server RSS under load ≤ ${BUDGET.rssMb} MB`,
      figure: `${Math.round(rss)} MB`,
      pass: rss <= BUDGET.rssMb,
    })
  }
  if (!pgFirst || !sqlFirst) checks.push({ name: 'PostgreSQL budgets', figure: 'not measured (PostgreSQL run skipped)', pass: null })
  return checks
}

/**
 * Issue 18: the HTML fragment read, from the read cache, against the same JSON read in the same
 * run, both compressed (br): what reaches the reader's browser and the WordPress plugin (which asks
 * for gzip) is compressed, and from the cache the cost of a read is its bytes. WordPress's markup
 * is three times the JSON's bytes uncompressed, and about as small once compressed: the
 * uncompressed ratio is shown beside it. Each pair is measured JSON, fragment, fragment, JSON, each
 * figure the mean of its two runs (scenarios.ts, FRAGMENT_PAIRS).
 */
function fragmentChecks(engine: EngineResults): BudgetCheck[] {
  const name = engine.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'
  const pairs = [
    ['first page', 'first-page-br', 'first-page-html-br', 'first-page', 'first-page-html'],
    ['whole thread', 'whole-thread-br', 'whole-thread-html-br', 'whole-thread', 'whole-thread-html'],
  ] as const
  return pairs.flatMap(([label, json, html, plainJson, plainHtml]) => {
    const a = engine.cachedReads?.[json]?.measurement
    const b = engine.cachedReads?.[html]?.measurement
    if (!a || !b) return []
    const ratio = b.rps / a.rps
    const pa = engine.cachedReads?.[plainJson]?.measurement
    const pb = engine.cachedReads?.[plainHtml]?.measurement
    const plain =
      pa && pb ? `; uncompressed ${percent(pb.rps / pa.rps)} (${round(pb.bytesPerResponse)} vs ${round(pa.bytesPerResponse)} bytes)` : ''
    return [
      {
        name: `${name} ${label} as HTML, br (cache on) ≥ ${percent(BUDGET.fragmentVsJsonCached)} of the JSON read`,
        figure: `${percent(ratio)} (${round(b.rps)} vs ${round(a.rps)} req/s; ${round(b.bytesPerResponse)} vs ${round(a.bytesPerResponse)} bytes)${plain}`,
        pass: ratio >= BUDGET.fragmentVsJsonCached,
      },
    ]
  })
}

/** The hot article, warm: every post to one article, the path comment-batches.ts groups. */
function hotArticleChecks(postgres: EngineResults): BudgetCheck[] {
  const warm = postgres.hotArticle?.warm
  if (!warm) return []
  return [
    {
      name: `PostgreSQL hot article (warm) ≥ ${round(BUDGET.hotAcceptedPerS)} accepted/s`,
      figure: `${round(warm.acceptedPerS)}/s`,
      pass: warm.acceptedPerS >= BUDGET.hotAcceptedPerS,
    },
    {
      name: `PostgreSQL hot article (warm) p99 < ${BUDGET.hotP99Ms} ms`,
      figure: `${warm.measurement.p99Ms} ms`,
      pass: warm.measurement.p99Ms < BUDGET.hotP99Ms,
    },
  ]
}

/**
 * Whole threads a second (req/s ÷ pages) from the read cache. Judged on the br figure, since
 * browsers ask for it; the plain one is shown beside it.
 */
function cachedWholeThreadChecks(postgres: EngineResults): BudgetCheck[] {
  const threadsPerS = (read: ReadResult | undefined) => (read?.pages ? read.measurement.rps / read.pages : undefined)
  const br = threadsPerS(postgres.cachedReads?.['whole-thread-br'])
  const plain = threadsPerS(postgres.cachedReads?.['whole-thread'])
  if (br === undefined && plain === undefined) return []
  return [
    {
      name: `PostgreSQL whole threads (cache on) ≥ ${BUDGET.cachedWholeThreadsPerS} threads/s`,
      figure: `br ${br === undefined ? 'not measured' : round(br)}, plain ${plain === undefined ? 'not measured' : round(plain)} threads/s`,
      pass: br === undefined ? null : br >= BUDGET.cachedWholeThreadsPerS,
    },
  ]
}

/**
 * Issue 20: a vote on PostgreSQL at 1,000/s or more; and the cached first page, carrying votes and
 * picks (kept pages re-read every few seconds where readers vote), at 90% or more of the same page
 * with votes off, on the same server in the same run.
 */
function voteChecks(postgres: EngineResults): BudgetCheck[] {
  const checks: BudgetCheck[] = []
  const voted = postgres.votes
  if (voted) {
    checks.push({
      name: `PostgreSQL votes ≥ ${round(BUDGET.votesPerS)} counted/s`,
      figure: `${round(voted.countedPerS)}/s (p99 ${voted.measurement.p99Ms} ms; ${voted.tally.refused} refused)`,
      pass: voted.countedPerS >= BUDGET.votesPerS,
    })
  }
  const cached = postgres.cachedReads?.['first-page']?.measurement
  const off = postgres.cachedReads?.['first-page-votes-off']?.measurement
  if (cached && off) {
    const ratio = cached.rps / off.rps
    checks.push({
      name: `PostgreSQL cached first page with votes and picks ≥ ${percent(BUDGET.cachedWithVotesVsBefore)} of it with votes off`,
      figure: `${percent(ratio)} (${round(cached.rps)} vs ${round(off.rps)} req/s, same server and run)`,
      pass: ratio >= BUDGET.cachedWithVotesVsBefore,
    })
  }
  return checks
}
