/** WordPress's `F j, Y \\a\\t g:i a`, written another way than the code under test does. */
export function wordpressDate(date: Date, timeZone: string): string {
  const day = date.toLocaleDateString('en-US', { timeZone, month: 'long', day: 'numeric', year: 'numeric' })
  const time = date
    .toLocaleTimeString('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
    .replace(/\s?([AP]M)$/, (_, p: string) => ` ${p.toLowerCase()}`)
  return `${day} at ${time}`
}
