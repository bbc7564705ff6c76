import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BUDGET } from './budgets.js'
import { repoRoot } from './child-server.js'
import { COLORS, FONT, WIDTH, esc, legend, line, num, rect, text, ticks } from './chart-svg.js'
import { drawPanel, outagePanel, scalePanel, shutdownPanel, soakPanel, type SmallPanel } from './chart-panels.js'
import type { EngineResults, Floors } from './engine-runs.js'
import type { LoadOptions } from './load.js'
import { RESULTS_DIR } from './results-file.js'
import { compressedReads, plainReads, type PlainRead } from './scenarios.js'

/** What bench/run.ts writes to bench/results/latest.json, as far as the chart reads it. */
export interface LatestReport {
  startedAt: string
  machine: { cpus: number; cpuModel: string; node: string }
  options: LoadOptions & { poolMax: number }
  floors: Floors
  engines: EngineResults[]
}

const SHORT: Record<PlainRead, string> = {
  'first-page': 'big article, first page',
  'whole-thread': 'big article, every page',
  small: 'small articles',
}

const LABEL_X = 20
const PLOT_X = 250
const PLOT_RIGHT = WIDTH - 190
const BAR = 16
const ROW = 22

interface Bar {
  label: string
  value: number
  color: string
  /** Said after the number, such as the share of a floor. */
  note?: string
}

interface Group {
  label: string
  bars: Bar[]
  /** A floor or budget marked across this group's bars. */
  mark?: { value: number; label: string; color: string }
}

const share = (value: number, floor: number | undefined, name: string) =>
  floor && floor > 0 ? `${Math.round((value / floor) * 100)}% of ${name}` : undefined

function groupsOf(engine: EngineResults, floors: Floors): Group[] {
  const http = floors.http?.measurement.rps
  const groups: Group[] = []
  for (const { id } of plainReads) {
    const off = engine.reads[id]?.measurement.rps
    const on = engine.cachedReads?.[id]?.measurement.rps
    const compressed = compressedReads.find((read) => read.base === id)
    const br = compressed && engine.cachedReads?.[compressed.id]?.measurement.rps
    const sql = floors.sql[id]?.rps
    const bars: Bar[] = []
    if (off !== undefined) bars.push({ label: 'cache off', value: off, color: COLORS.cacheOff, note: share(off, sql, 'SQL floor') })
    if (on !== undefined)
      bars.push({
        label: 'cache on',
        value: on,
        color: COLORS.cacheOn,
        note: id === 'first-page' ? share(on, http, 'HTTP floor') : undefined,
      })
    if (br !== undefined) bars.push({ label: 'cache on, br', value: br, color: COLORS.cacheOn })
    if (bars.length === 0) continue
    groups.push({
      label: SHORT[id],
      bars,
      mark: sql === undefined ? undefined : { value: sql, label: `SQL floor ${num(sql)}`, color: COLORS.sqlFloor },
    })
  }
  const posts = engine.submissions
  if (posts) {
    groups.push({
      label: 'submissions (201s/s)',
      bars: [{ label: 'accepted', value: posts.acceptedPerS, color: COLORS.submissions }],
      mark: { value: BUDGET.acceptedPerS, label: `budget ${num(BUDGET.acceptedPerS)}/s`, color: COLORS.budget },
    })
  }
  const hot = engine.hotArticle
  if (hot) {
    groups.push({
      label: 'hot article (201s/s)',
      bars: [
        { label: 'cold', value: hot.cold.acceptedPerS, color: COLORS.submissions },
        { label: 'warm', value: hot.warm.acceptedPerS, color: COLORS.submissions },
      ],
      mark: { value: BUDGET.hotAcceptedPerS, label: `budget (warm) ${num(BUDGET.hotAcceptedPerS)}/s`, color: COLORS.budget },
    })
  }
  return groups
}

const engineName = (engine: EngineResults, poolMax: number) =>
  engine.engine === 'postgres' ? `PostgreSQL (pool ${poolMax})` : 'PGlite (embedded)'

/** One engine's bars on the shared scale, the HTTP floor dashed across them all. */
function enginePanel(engine: EngineResults, report: LatestReport, max: number, top: number): { svg: string; height: number } {
  const scale = (value: number) => PLOT_X + (value / max) * (PLOT_RIGHT - PLOT_X)
  const parts: string[] = [
    text(LABEL_X, top + 18, engineName(engine, report.options.poolMax), `font-size="15" font-weight="600" fill="${COLORS.text}"`),
  ]
  const plotTop = top + 26
  let y = plotTop + 8
  const rows: string[] = []
  for (const group of groupsOf(engine, report.floors)) {
    y += 16
    rows.push(text(LABEL_X, y, group.label, `font-size="13" font-weight="600" fill="${COLORS.text}"`))
    const barsTop = y + 6
    const markX = group.mark ? scale(group.mark.value) : undefined
    for (const bar of group.bars) {
      const barY = y + 6
      const end = scale(bar.value)
      const label = `${num(bar.value)}${bar.note ? ` · ${bar.note}` : ''}`
      // A mark just past the bar would cross its number: the number then starts after the mark.
      const labelX = markX !== undefined && markX > end && markX < end + label.length * 7 + 10 ? markX + 6 : end + 5
      rows.push(text(PLOT_X - 8, barY + 12, bar.label, `font-size="12" text-anchor="end" fill="${COLORS.text}"`))
      rows.push(rect(PLOT_X, barY, end - PLOT_X, BAR, bar.color))
      rows.push(text(labelX, barY + 12, label, `font-size="12" fill="${COLORS.text}"`))
      y += ROW
    }
    if (group.mark && markX !== undefined) {
      rows.push(line(markX, barsTop - 4, markX, y + 4, group.mark.color, 'stroke-width="3"'))
      // Kept clear of the group's title on the left when the mark sits near zero.
      rows.push(
        text(Math.max(markX, PLOT_X + 45), barsTop - 7, group.mark.label, `font-size="11" text-anchor="middle" fill="${group.mark.color}"`),
      )
    }
    y += 8
  }
  const plotBottom = y + 4
  const grid: string[] = []
  for (const tick of ticks(max).filter((t) => t <= max)) {
    grid.push(line(scale(tick), plotTop, scale(tick), plotBottom, COLORS.grid))
    grid.push(text(scale(tick), plotBottom + 14, num(tick), `font-size="11" text-anchor="middle" fill="${COLORS.muted}"`))
  }
  grid.push(line(PLOT_X, plotTop, PLOT_X, plotBottom, COLORS.muted))
  const http = report.floors.http?.measurement.rps
  if (http !== undefined) {
    grid.push(line(scale(http), plotTop + 10, scale(http), plotBottom, COLORS.httpFloor, 'stroke-width="1.5" stroke-dasharray="5 4"'))
    grid.push(text(scale(http), plotTop + 6, `HTTP floor ${num(http)}`, `font-size="11" text-anchor="middle" fill="${COLORS.httpFloor}"`))
  }
  parts.push(...grid, ...rows)
  parts.push(
    text(
      (PLOT_X + PLOT_RIGHT) / 2,
      plotBottom + 30,
      'requests per second (higher is better)',
      `font-size="12" text-anchor="middle" fill="${COLORS.text}"`,
    ),
  )
  return { svg: parts.join(''), height: plotBottom + 40 - top }
}

/** Every value the engine panels draw, so that they share one scale. */
function largest(report: LatestReport): number {
  const values: number[] = [report.floors.http?.measurement.rps ?? 0, ...Object.values(report.floors.sql).map((m) => m?.rps ?? 0)]
  for (const engine of report.engines)
    for (const group of groupsOf(engine, report.floors)) values.push(...group.bars.map((b) => b.value), group.mark?.value ?? 0)
  return Math.max(1, ...values) * 1.02
}

export interface ChartExtras {
  scale?: unknown
  outage?: unknown
  shutdown?: unknown
  soak?: unknown
}

/** The whole chart: the bench's throughput per engine against its floors, then any extra panels. */
export function drawChart(report: LatestReport, extras: ChartExtras = {}): string {
  const day = report.startedAt.slice(0, 10)
  const load = report.options
  const parts: string[] = [
    text(
      LABEL_X,
      28,
      `Parley bench, ${day}: thread reads and submissions against their floors`,
      `font-size="18" font-weight="700" fill="${COLORS.text}"`,
    ),
    text(
      LABEL_X,
      48,
      `${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}; server, database and load generator on one machine; ` +
        `${load.connections} connections, ${load.durationS} s per scenario`,
      `font-size="12" fill="${COLORS.muted}"`,
    ),
    legend(LABEL_X, 74, [
      { label: 'cache off', color: COLORS.cacheOff, kind: 'bar' },
      { label: 'cache on', color: COLORS.cacheOn, kind: 'bar' },
      { label: 'comments accepted', color: COLORS.submissions, kind: 'bar' },
      { label: 'SQL floor (same query, bare Hono)', color: COLORS.sqlFloor, kind: 'tick' },
      { label: 'HTTP floor (fixed JSON)', color: COLORS.httpFloor, kind: 'dashed' },
    ]),
  ]
  let y = 84
  const max = largest(report)
  for (const engine of report.engines) {
    const panel = enginePanel(engine, report, max, y)
    parts.push(panel.svg)
    y += panel.height
  }
  const panels: SmallPanel[] = []
  if (extras.scale !== undefined) panels.push(scalePanel(extras.scale))
  if (extras.outage !== undefined) panels.push(outagePanel(extras.outage))
  if (extras.shutdown !== undefined) panels.push(shutdownPanel(extras.shutdown))
  if (extras.soak !== undefined) panels.push(soakPanel(extras.soak))
  for (const panel of panels) {
    parts.push(line(LABEL_X, y + 4, WIDTH - LABEL_X, y + 4, COLORS.grid))
    const drawn = drawPanel(panel, y + 10)
    parts.push(drawn.svg)
    y += drawn.height + 10
  }
  const height = Math.ceil(y + 10)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc('Parley bench results')}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g ${FONT}>${parts.join('\n')}</g>`,
    '</svg>',
    '',
  ].join('\n')
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/**
 * Draws bench/results/chart.svg from latest.json and whichever of scale, outage, shutdown and
 * soak.json are there, and copies it to bench/chart.svg, the one the README shows.
 */
export async function writeChart(): Promise<string> {
  const results = RESULTS_DIR
  const latest = await readJson(join(results, 'latest.json'))
  if (latest === undefined) throw new Error('no bench/results/latest.json: run `npm run bench` first')
  const extras: ChartExtras = {}
  for (const name of ['scale', 'outage', 'shutdown', 'soak'] as const) extras[name] = await readJson(join(results, `${name}.json`))
  // latest.json is this bench's own output, so its shape is the one run.ts wrote.
  const svg = drawChart(latest as LatestReport, extras)
  const file = join(results, 'chart.svg')
  await writeFile(file, svg)
  await copyFile(file, join(repoRoot, 'bench', 'chart.svg'))
  return file
}
