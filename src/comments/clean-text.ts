const encoder = new TextEncoder()

export function byteLength(text: string): number {
  return encoder.encode(text).length
}

/**
 * What PostgreSQL and every reader can hold: no NUL or other control characters (a body keeps
 * its tabs and newlines), no lone surrogates.
 */
export function cleanText(value: string, { multiline }: { multiline: boolean }): string {
  const wellFormed = value.toWellFormed()
  return multiline
    ? wellFormed.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    : wellFormed.replace(/[\u0000-\u001F\u007F]/g, ' ')
}
