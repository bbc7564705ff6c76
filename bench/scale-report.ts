import type { LoadOptions, Measurement } from './load.js'
import { problems } from './report.js'
import { FLAT_WITH_SIZE, scaleReads, type FlatCheck, type LoadFigures, type SizeResult } from './scale-bench.js'

type Row = string[]

const HEADER: Row = ['read', 'size', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'RSS max MB', 'problems']
const NUMERIC = new Set([2, 3, 4, 5, 6])

const num = (value: number) => Math.round(value).toLocaleString('en-US')
const times = (ratio: number) => `${ratio.toFixed(2)}×`

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

const sizeName = (size: SizeResult) => `${num(size.comments)} comments`

function row(label: string, size: SizeResult, m: Measurement): Row {
  return [label, sizeName(size), num(m.rps), String(m.p50Ms), String(m.p99Ms), m.meanMs.toFixed(2), num(m.rssMaxMb), problems(m)]
}

export function scaleTable(
  small: SizeResult,
  large: SizeResult,
  checks: FlatCheck[],
  load: LoadFigures,
  options: LoadOptions,
  poolMax: number,
): string {
  const rows: Row[] = [HEADER]
  for (const cache of ['uncached', 'cached'] as const) {
    for (const { id, label } of scaleReads) {
      for (const size of [small, large]) {
        const m = size[cache][id]
        if (m) rows.push(row(`cache ${cache === 'uncached' ? 'off' : 'on'}: ${label}`, size, m))
      }
    }
  }
  if (large.moderationQueue) rows.push(row(`moderation queue, first page (${num(large.pending)} pending)`, large, large.moderationQueue))
  const { grown } = load
  const lines = [
    `Scale, PostgreSQL (pool ${poolMax}): ${options.connections} connections, ${options.durationS} s each after ${options.warmupS} s warm-up (${options.serverWarmupS} s more on a fresh server)`,
    `load: base ${num(load.seeded.comments)} comments in ${(load.seeded.ms / 1000).toFixed(1)} s; grown by ${num(grown.comments)} comments and ${num(grown.articles)} articles in ` +
      `${(grown.ms / 1000).toFixed(1)} s (${num(load.rowsPerS)} rows/s, of which VACUUM ANALYZE ${(grown.vacuumMs / 1000).toFixed(1)} s); database ${num(small.databaseMb)} → ${num(large.databaseMb)} MB`,
    table(rows),
    `server RSS at ${sizeName(large)}: idle ${num(large.idleMemory.rssMb)} MB, highest under load ${num(large.rssMaxMb)} MB, VmHWM ${num(large.rssPeakMb)} MB` +
      ` (at ${sizeName(small)}: idle ${num(small.idleMemory.rssMb)}, max ${num(small.rssMaxMb)} MB)`,
  ]
  if (large.queueCounts) lines.push(`moderation counts on the first page: ${JSON.stringify(large.queueCounts)}`)
  lines.push(
    '',
    `Flat with size (DESIGN.md): cache off, mean latency at ${sizeName(large)} ≤ ${FLAT_WITH_SIZE}× that at ${sizeName(small)}`,
  )
  for (const check of checks) {
    lines.push(
      `${check.pass ? 'PASS' : 'MISS'}  ${check.read.padEnd(10)}  mean ${times(check.meanRatio)}  p50 ${times(check.p50Ratio)}  p99 ${times(check.p99Ratio)}  req/s ${times(check.rpsRatio)}`,
    )
  }
  return lines.join('\n')
}
