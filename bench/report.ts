import type { BudgetCheck } from './budgets.js'
import { rssHighWater, rssUnderLoad } from './budgets.js'
import type { EngineResults, Floors } from './engine-runs.js'
import type { LoadOptions, Measurement } from './load.js'
import { cpuText } from './posting-cpu.js'
import { plainReads, readScenarios, votesOffRead, type SubmissionResult, type VoteResult } from './scenarios.js'

type Row = string[]

const HEADER: Row = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs SQL floor', 'vs HTTP floor', 'bytes/resp', 'RSS max MB', 'problems']
const NUMERIC = new Set([1, 2, 3, 4, 5, 6, 7])

const num = (value: number) => Math.round(value).toLocaleString('en-US')
const ratio = (value: number, floor: Measurement | undefined) =>
  floor && floor.rps > 0 ? `${Math.round((value / floor.rps) * 100)}%` : '—'

/** Anything but clean 2xx answers, so a fast run that was mostly errors cannot pass for a good one. */
export function problems(m: Measurement, expected = ['200']): string {
  const parts: string[] = []
  for (const [status, count] of Object.entries(m.statusCounts)) if (!expected.includes(status)) parts.push(`${count}×${status}`)
  if (m.errors > 0) parts.push(`${m.errors} errors`)
  if (m.timeouts > 0) parts.push(`${m.timeouts} timeouts`)
  return parts.length > 0 ? parts.join(', ') : 'none'
}

function table(rows: Row[]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => (NUMERIC.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function row(
  label: string,
  m: Measurement,
  rps: number,
  sqlFloor: Measurement | undefined,
  httpFloor: Measurement | undefined,
  expected?: string[],
): Row {
  return [
    label,
    num(rps),
    String(m.p50Ms),
    String(m.p99Ms),
    ratio(rps, sqlFloor),
    ratio(rps, httpFloor),
    // Headers included; for a compressed read, the compressed size (autocannon does not decompress).
    num(m.bytesPerResponse),
    num(m.rssMaxMb),
    problems(m, expected),
  ]
}

export function floorsTable(floors: Floors): string {
  const rows: Row[] = [HEADER]
  const http = floors.http
  if (http)
    rows.push(
      row(`HTTP floor: fixed JSON body, ${num(http.bodyBytes)} bytes`, http.measurement, http.measurement.rps, undefined, undefined),
    )
  for (const { id, label } of plainReads) {
    const sql = floors.sql[id]
    if (sql) rows.push(row(`SQL floor: ${label}`, sql, sql.rps, undefined, undefined))
  }
  return `Floors (bare Hono; the SQL floor runs the thread page's own SQL on PostgreSQL)\n${table(rows)}`
}

/** A row under another, its figure in the req/s column and the rest blank. */
const noteRow = (label: string, figure = ''): Row => [label, figure, ...HEADER.slice(2).map(() => '')]

function readRows(prefix: string, reads: EngineResults['reads'] | undefined, floors: Floors): Row[] {
  const rows: Row[] = []
  for (const { id, label, base, encoding } of [...readScenarios, votesOffRead]) {
    const read = reads?.[id]
    if (!read) continue
    const m = read.measurement
    // The SQL floor answers uncompressed: a compressed read is not set against it.
    rows.push(row(`${prefix}: ${label}`, m, m.rps, encoding ? undefined : floors.sql[base], floors.http?.measurement))
    if (read.pages) rows.push(noteRow(`  = whole threads/s (${read.pages} pages each)`, num(m.rps / read.pages)))
  }
  return rows
}

function postRows(label: string, posts: SubmissionResult | undefined): Row[] {
  if (!posts) return []
  return [
    row(`${label}: accepted (201) per s`, posts.measurement, posts.acceptedPerS, undefined, undefined, ['201']),
    noteRow(`  201s: ${posts.tally.approved} approved, ${posts.tally.held} held` + (posts.cpu ? `; ${cpuText(posts.cpu)}` : '')),
  ]
}

function voteRows(voted: VoteResult | undefined): Row[] {
  if (!voted) return []
  return [
    row('votes on the big article: counted (200) per s', voted.measurement, voted.countedPerS, undefined, undefined, ['200']),
    noteRow(`  ${voted.tally.counted} counted, ${voted.tally.refused} refused`),
  ]
}

export function engineTable(engine: EngineResults, floors: Floors, load: LoadOptions, poolMax: number): string {
  const name = engine.engine === 'postgres' ? `PostgreSQL (pool ${poolMax})` : 'PGlite (embedded)'
  const rows: Row[] = [
    HEADER,
    ...readRows('cache off', engine.reads, floors),
    ...postRows('submissions', engine.submissions),
    ...postRows('submissions, signed-in readers', engine.signedInSubmissions),
    ...postRows('hot article, cold', engine.hotArticle?.cold),
    ...readRows('cache on', engine.cachedReads, floors),
    ...voteRows(engine.votes),
    ...postRows('hot article, warm', engine.hotArticle?.warm),
  ]
  const lines = [
    `${name}: ${load.connections} connections, ${load.durationS} s each after ${load.warmupS} s warm-up (${load.serverWarmupS} s more on a fresh server)` +
      '; hot article, cold: a freshly started server (read cache on), no warm-up',
    table(rows),
    `server RSS: idle ${num(engine.idleMemory.rssMb)} MB, highest under load ${num(rssUnderLoad(engine))} MB` +
      `, VmHWM ${num(rssHighWater(engine))} MB` +
      `; first page ${num(engine.firstPageBytes)} bytes`,
  ]
  if (engine.engine === 'pglite') lines.push('(ratios are against the PostgreSQL floors: PGlite has no SQL floor of its own)')
  return lines.join('\n')
}

export function budgetsTable(checks: BudgetCheck[]): string {
  const mark = (pass: boolean | null) => (pass === null ? 'n/a ' : pass ? 'PASS' : 'MISS')
  const width = Math.max(...checks.map((check) => check.name.length))
  return `Budgets (DESIGN.md)\n${checks.map((check) => `${mark(check.pass)}  ${check.name.padEnd(width)}  ${check.figure}`).join('\n')}`
}
