/** Field texts as the readers find them: trimmed, and empty means absent. */
export function text(fields: ReadonlyMap<string, string>, name: string): string {
  return (fields.get(name) ?? '').trim()
}

/** WordPress's `Y-m-d H:i:s` (UTC for the `_gmt` fields); its zero date means none. */
export function wordpressDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value)
  if (!match || value.startsWith('0000')) return null
  const [, y, mo, d, h, mi, s] = match.map(Number)
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0))
  return Number.isNaN(date.getTime()) ? null : date
}

/** An ISO 8601 time (Disqus, Parley); null when it is not one. */
export function isoDate(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

export const isTrue = (value: string) => value.toLowerCase() === 'true'
