import type { Language } from '../i18n/languages.js'

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
    // A handful of zones a site uses: a stranger's many push out the oldest, never the whole table.
    if (formats.size >= 64) formats.delete(formats.keys().next().value ?? '')
    formats.set(timeZone, format)
  }
  return format
}

/**
 * The IANA name Intl knows this zone by (`utc` is `UTC`, `Asia/Calcutta` stays itself), or
 * undefined for one it does not know. Only its canonical spelling is kept in the read cache: every
 * other spelling of one zone is answered, not kept.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length > 64 || !/^[A-Za-z0-9_+/-]+$/.test(name)) return undefined
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

const localFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * WordPress's date in English; in another language, that language's long date and short time as
 * Intl writes them ("6. Dezember 2026 um 23:05", "6 de diciembre de 2026, 23:05").
 */
export function commentDate(iso: string, timeZone: string, language: Language = 'en'): string {
  if (language !== 'en') {
    const key = `${language} ${timeZone}`
    let format = localFormats.get(key)
    if (!format) {
      format = new Intl.DateTimeFormat(language, { timeZone, dateStyle: 'long', timeStyle: 'short' })
      if (localFormats.size >= 64) localFormats.delete(localFormats.keys().next().value ?? '')
      localFormats.set(key, format)
    }
    return format.format(new Date(iso))
  }
  const parts = formatIn(timeZone).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('month')} ${part('day')}, ${part('year')} at ${part('hour')}:${part('minute')} ${part('dayPeriod').toLowerCase()}`
}
