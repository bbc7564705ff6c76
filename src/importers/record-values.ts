/** Field texts as the readers find them: trimmed, and empty means absent. */
export function text(fields: ReadonlyMap<string, string>, name: string): string {
  return (fields.get(name) ?? '').trim()
}

/**
 * The dates an imported record may carry: MySQL's DATETIME range, so every date WordPress can hold.
 * PostgreSQL refuses years before 1 or past 9999 (SQLSTATE 22008), and a year before 100 would come
 * back from it as 19xx (JavaScript's parsing of its output).
 */
const EARLIEST = Date.parse('1000-01-01T00:00:00.000Z')
const LATEST = Date.parse('9999-12-31T23:59:59.999Z')

/**
 * The date when it is in that range, else null: `0000-01-01`, or an offset that carries 9999-12-31
 * into 10000, counts as no valid date, like WordPress's zero date.
 */
export function storable(date: Date): Date | null {
  const time = date.getTime()
  return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : date
}

/** WordPress's `Y-m-d H:i:s` (UTC for the `_gmt` fields); its zero date, or a day that does not exist (Feb 30), means none. */
export function wordpressDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value)
  if (!match) return null
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = match.slice(1).map(Number)
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC takes years 0-99 for 1900-1999.
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, 0)
  const exact =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  return exact ? storable(date) : null
}

/** An ISO 8601 time (Disqus, Parley); null when it is not one, or not one PostgreSQL can store. */
export function isoDate(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  return storable(new Date(value))
}

export const isTrue = (value: string) => value.toLowerCase() === 'true'
