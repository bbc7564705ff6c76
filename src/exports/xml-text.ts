// Characters XML 1.0 cannot carry at all (not even escaped): C0 controls but tab and newlines,
// U+FFFE and U+FFFF. Lone surrogates are made well-formed first.
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

const xmlSafe = (text: string) => text.toWellFormed().replace(notXml, '')

/** Text for an element's content or an attribute, escaped. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** A CDATA section holding any text, `]]>` included (split across two sections, as WordPress does). */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** WordPress's `Y-m-d H:i:s`, in UTC. */
export function wordpressDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}
