import { COLORS, FONT, WIDTH, line, num, rect, text, ticks } from './chart-svg.js'

/**
 * The chart's small panels, one per optional result file (scale, outage, shutdown, soak). Those
 * files are read as unknown JSON: a panel takes the fields it knows and leaves out the rest, so a
 * file whose shape moved on still draws its verdict instead of breaking the chart.
 */
export interface SmallPanel {
  title: string
  notes: string[]
  bars?: { label: string; value: number; unit: string }[]
  /** Vertical marks across the bars, such as a budget. */
  marks?: { value: number; label: string }[]
  series?: { points: { x: number; y: number }[]; xLabel: string; yLabel: string; limit?: { value: number; label: string } }
}

type Json = Record<string, unknown>
const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const numberAt = (value: Json | undefined, key: string): number | undefined => {
  const found = value?.[key]
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined
}
const stringAt = (value: Json | undefined, key: string): string | undefined =>
  typeof value?.[key] === 'string' ? (value[key] as string) : undefined
const verdict = (passed: unknown) => (passed === true ? 'PASSED' : passed === false ? 'FAILED' : 'verdict not recorded')

export function soakPanel(data: unknown): SmallPanel {
  const soak = obj(data)
  const totals = obj(soak?.totals)
  const rss = obj(soak?.rss)
  const verdictText = stringAt(obj(soak?.verdict), 'text') ?? ''
  const minutes = list(soak?.perMinute).map(obj)
  const points = list(rss?.samples)
    .map(obj)
    .flatMap((sample) => {
      const s = numberAt(sample, 's')
      const mb = numberAt(sample, 'mb')
      return s !== undefined && mb !== undefined ? [{ x: s / 60, y: mb }] : []
    })
  const share = numberAt(totals, 'readShare')
  return {
    title: `Soak: ${numberAt(soak, 'minutes') ?? '?'} min of mixed load on PostgreSQL, read cache on — server RSS`,
    notes: [
      `${num(numberAt(totals, 'requests') ?? 0)} requests (${share === undefined ? '?' : (share * 100).toFixed(1)}% reads, the rest new comments), ` +
        `errors ${numberAt(totals, 'errors') ?? '?'}, timeouts ${numberAt(totals, 'timeouts') ?? '?'}`,
      `req/s by minute: ${minutes.map((m) => num(numberAt(m, 'requestsPerS') ?? 0)).join(', ') || '—'}`,
      verdictText,
    ],
    series: { points, xLabel: 'minutes under load', yLabel: 'RSS MB', limit: { value: 200, label: 'budget 200 MB' } },
  }
}

export function scalePanel(data: unknown): SmallPanel {
  const scale = obj(data)
  const budget = numberAt(scale, 'budget') ?? 1.25
  const sizes = list(scale?.sizes).map(obj)
  const checks = list(scale?.checks).map(obj)
  return {
    title: 'Flat with size: mean latency, large data set ÷ small (cache off, lower is better)',
    notes: [
      sizes
        .map(
          (size) =>
            `${stringAt(size, 'label') ?? '?'}: ${num(numberAt(size, 'comments') ?? 0)} comments on ${num(numberAt(size, 'articles') ?? 0)} articles`,
        )
        .join('; '),
      `${checks.every((check) => check?.pass === true) && checks.length > 0 ? 'PASSED' : checks.length > 0 ? 'FAILED' : 'no checks recorded'} (budget ≤ ${budget}×)`,
    ],
    bars: checks.flatMap((check) => {
      const ratio = numberAt(check, 'meanRatio')
      return ratio === undefined ? [] : [{ label: stringAt(check, 'read') ?? '?', value: ratio, unit: '×' }]
    }),
    marks: [{ value: budget, label: `budget ${budget}×` }],
  }
}

export function outagePanel(data: unknown): SmallPanel {
  const report = obj(data)
  const outages = list(report?.outages).map(obj)
  const budget = numberAt(report, 'recoveryBudgetMs')
  const name = (o: Record<string, unknown> | undefined) => {
    const cache = o?.readCache
    return `${stringAt(o, 'outage') ?? '?'}${cache === true ? ', cache on' : cache === false ? ', cache off' : ''}`
  }
  const bars: NonNullable<SmallPanel['bars']> = []
  for (const outage of outages) {
    const submit = numberAt(outage, 'firstSubmitOkMs')
    const steady = numberAt(outage, 'steadyMs')
    if (submit !== undefined) bars.push({ label: `${name(outage)}: first comment accepted`, value: submit, unit: 'ms' })
    if (steady !== undefined) bars.push({ label: `${name(outage)}: steady`, value: steady, unit: 'ms' })
  }
  return {
    title: 'Database outage: time from the database being back to Parley serving again',
    notes: [
      ...outages.map(
        (o) =>
          `${name(o)}: down ${num(numberAt(o, 'downMs') ?? 0)} ms, longest request ${num(numberAt(o, 'slowestMs') ?? 0)} ms, ${numberAt(o, 'overDeadline') ?? numberAt(o, 'hangs') ?? '?'} past the deadline`,
      ),
      `accepted ${num(numberAt(report, 'accepted') ?? 0)}, lost ${numberAt(report, 'lost') ?? '?'}: ${verdict(report?.passed)}`,
    ],
    bars,
    marks: budget === undefined ? [] : [{ value: budget, label: `budget ${num(budget)} ms` }],
  }
}

export function shutdownPanel(data: unknown): SmallPanel {
  const report = obj(data)
  const rounds = list(report?.rounds).map(obj)
  const grace = numberAt(report, 'graceMs')
  const inFlight = rounds.reduce((sum, r) => sum + (numberAt(r, 'inFlight') ?? 0), 0)
  const answered = rounds.reduce((sum, r) => sum + (numberAt(r, 'inFlightAnswered') ?? 0), 0)
  return {
    title: 'Graceful shutdown under load: SIGTERM to exit',
    notes: [
      `in-flight requests answered ${num(answered)} of ${num(inFlight)}; accepted ${num(numberAt(report, 'accepted') ?? 0)}, lost ${numberAt(report, 'lost') ?? '?'}: ${verdict(report?.passed)}`,
    ],
    bars: rounds.flatMap((round, i) => {
      const ms = numberAt(round, 'exitMs')
      return ms === undefined ? [] : [{ label: `round ${numberAt(round, 'round') ?? i + 1}: exit after`, value: ms, unit: 'ms' }]
    }),
    marks: grace === undefined ? [] : [{ value: grace, label: `grace ${num(grace)} ms` }],
  }
}

const LABEL_X = 20
const PLOT_X = 270
const PLOT_RIGHT = WIDTH - 120

function valueText(value: number, unit: string): string {
  if (unit === '×') return `${value.toFixed(2)}×`
  return `${num(value)} ${unit}`
}

/** Draws one panel from `top`; answers its SVG and height. */
export function drawPanel(panel: SmallPanel, top: number): { svg: string; height: number } {
  const parts: string[] = [text(LABEL_X, top + 16, panel.title, `font-size="14" font-weight="600" fill="${COLORS.text}"`)]
  let y = top + 24
  for (const note of panel.notes.filter((n) => n.length > 0)) {
    y += 16
    parts.push(text(LABEL_X, y, note, `font-size="12" fill="${COLORS.muted}"`))
  }
  y += 10
  const bars = panel.bars ?? []
  if (bars.length > 0) {
    const max = Math.max(...bars.map((b) => b.value), ...(panel.marks ?? []).map((m) => m.value)) * 1.05
    const scale = (value: number) => PLOT_X + (value / max) * (PLOT_RIGHT - PLOT_X)
    const markTop = y
    y += 16
    for (const bar of bars) {
      parts.push(text(PLOT_X - 8, y + 12, bar.label, `font-size="12" text-anchor="end" fill="${COLORS.text}"`))
      parts.push(rect(PLOT_X, y, scale(bar.value) - PLOT_X, 16, COLORS.cacheOff))
      parts.push(text(scale(bar.value) + 5, y + 12, valueText(bar.value, bar.unit), `font-size="12" fill="${COLORS.text}"`))
      y += 22
    }
    for (const mark of panel.marks ?? []) {
      const x = scale(mark.value)
      parts.push(line(x, markTop + 4, x, y, COLORS.budget, 'stroke-width="2" stroke-dasharray="4 3"'))
      parts.push(text(x, markTop + 1, mark.label, `font-size="11" text-anchor="middle" fill="${COLORS.budget}"`))
    }
    y += 6
  }
  const series = panel.series
  if (series && series.points.length > 1) {
    const height = 150
    const plotTop = y + 8
    const plotBottom = plotTop + height
    const xMax = Math.max(...series.points.map((p) => p.x))
    const yMax = Math.max(...series.points.map((p) => p.y), series.limit?.value ?? 0) * 1.1
    const sx = (x: number) => PLOT_X + (x / xMax) * (PLOT_RIGHT - PLOT_X)
    const sy = (value: number) => plotBottom - (value / yMax) * height
    for (const tick of ticks(yMax, 4).filter((t) => t <= yMax)) {
      parts.push(line(PLOT_X, sy(tick), PLOT_RIGHT, sy(tick), COLORS.grid))
      parts.push(text(PLOT_X - 6, sy(tick) + 4, num(tick), `font-size="11" text-anchor="end" fill="${COLORS.muted}"`))
    }
    for (const tick of ticks(xMax, Math.min(10, Math.max(2, Math.round(xMax)))).filter((t) => t <= xMax)) {
      parts.push(line(sx(tick), plotBottom, sx(tick), plotBottom + 4, COLORS.muted))
      parts.push(text(sx(tick), plotBottom + 16, String(tick), `font-size="11" text-anchor="middle" fill="${COLORS.muted}"`))
    }
    parts.push(line(PLOT_X, plotBottom, PLOT_RIGHT, plotBottom, COLORS.muted))
    if (series.limit) {
      parts.push(
        line(
          PLOT_X,
          sy(series.limit.value),
          PLOT_RIGHT,
          sy(series.limit.value),
          COLORS.budget,
          'stroke-width="1.5" stroke-dasharray="4 3"',
        ),
      )
      parts.push(text(PLOT_RIGHT + 4, sy(series.limit.value) + 4, series.limit.label, `font-size="11" fill="${COLORS.budget}"`))
    }
    const path = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')
    parts.push(`<path d="${path}" fill="none" stroke="${COLORS.line}" stroke-width="1.5"/>`)
    parts.push(text(PLOT_X - 40, plotTop + height / 2, series.yLabel, `font-size="12" text-anchor="end" fill="${COLORS.text}"`))
    parts.push(text((PLOT_X + PLOT_RIGHT) / 2, plotBottom + 32, series.xLabel, `font-size="12" text-anchor="middle" fill="${COLORS.text}"`))
    y = plotBottom + 40
  }
  return { svg: `<g ${FONT}>${parts.join('')}</g>`, height: y - top + 10 }
}
