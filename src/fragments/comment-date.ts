/** WordPress's default comment date and time (`F j, Y` at `g:i a`): "December 6, 2026 at 11:05 pm". */
const formats = new Map<string, Intl.DateTimeFormat>()

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    })
    // A handful of zones a site uses; a stranger's many are refused before they get here (isTimeZone).
    if (formats.size < 64) formats.set(timeZone, format)
  }
  return format
}

/** Whether Intl knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  if (name.length > 64 || !/^[A-Za-z0-9_+/-]+$/.test(name)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export function commentDate(iso: string, timeZone: string): string {
  const parts = formatIn(timeZone).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('month')} ${part('day')}, ${part('year')} at ${part('hour')}:${part('minute')} ${part('dayPeriod').toLowerCase()}`
}
