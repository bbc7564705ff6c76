/**
 * What a log line may say about an error: its class, its code (a SQLSTATE, a network code) and
 * where it was thrown — never its message. A database error's message quotes the failed statement
 * with its parameters (a commenter's IP, user agent, name, body, email ciphertext and hash), and
 * other messages may quote input: none of it belongs in a log.
 *
 * @example
 * logger.error('unhandled error', { ...loggedError(error), path: c.req.path })
 */
export function loggedError(error: unknown): { error: string; code?: string; cause?: string; frames?: string } {
  if (!(error instanceof Error)) return { error: typeof error }
  const fields: { error: string; code?: string; cause?: string; frames?: string } = { error: error.name || 'Error' }
  const code = codeOf(error)
  if (code) fields.code = code
  if (error.cause instanceof Error) fields.cause = error.cause.name
  // A stack's first line repeats the message: only the frames are kept.
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .map((line) => line.trim())
  if (frames && frames.length > 0) fields.frames = frames.join(' | ')
  return fields
}

/** The first string `code` of the error or of an error it wraps. */
function codeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[\w.-]{1,40}$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
