/** The few SVG pieces the bench chart is built from: strings, with every text escaped. */

export const WIDTH = 900
export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'

export const COLORS = {
  cacheOff: '#4c78a8',
  cacheOn: '#f58518',
  submissions: '#54a24b',
  sqlFloor: '#b5121b',
  httpFloor: '#333333',
  budget: '#7b3294',
  grid: '#e4e4e4',
  text: '#222222',
  muted: '#666666',
  line: '#4c78a8',
} as const

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

export const num = (value: number) => Math.round(value).toLocaleString('en-US')

export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`
}

export function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>`
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, attrs = ''): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}" ${attrs}/>`
}

/** Round tick steps (1, 2, 5 × 10^n) giving about `count` ticks up to at least `max`. */
export function ticks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let at = 0; at <= max + step * 0.999; at += step) out.push(Math.round(at * 1e6) / 1e6)
  return out
}

/** A legend row of swatches: filled boxes for bars, short lines for markers. */
export function legend(x: number, y: number, items: { label: string; color: string; kind: 'bar' | 'tick' | 'dashed' | 'line' }[]): string {
  const parts: string[] = []
  let at = x
  for (const item of items) {
    if (item.kind === 'bar') parts.push(rect(at, y - 9, 14, 10, item.color))
    else if (item.kind === 'tick') parts.push(line(at + 7, y - 11, at + 7, y + 2, item.color, 'stroke-width="3"'))
    else
      parts.push(
        line(
          at,
          y - 4,
          at + 14,
          y - 4,
          item.color,
          item.kind === 'dashed' ? 'stroke-width="2" stroke-dasharray="4 3"' : 'stroke-width="2"',
        ),
      )
    parts.push(text(at + 19, y, item.label, `font-size="12" fill="${COLORS.text}"`))
    at += 19 + item.label.length * 6.4 + 18
  }
  return parts.join('')
}
