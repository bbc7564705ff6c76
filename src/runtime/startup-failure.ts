/** What the Node server was doing when its start failed: each but the first names the setting behind it. */
export type StartStep =
  { step: 'config' } | { step: 'listen'; port: number } | { step: 'database'; url: string } | { step: 'data-dir'; dir: string }

/** A setting or file that makes no sense, its message written for the operator: one line at any step. */
export class SettingProblem extends Error {}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'CONNECT_TIMEOUT',
])
const FILE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EISDIR', 'ENOENT'])

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** DATABASE_URL without its password, which has no place on a terminal or in a log. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'DATABASE_URL (not a URL)'
  }
}

/**
 * One line for a failed start: what failed and what to do, with no stack (the three an operator
 * meets: a port taken, a database out of reach, a data directory that cannot be written). Anything
 * else is unexpected: its line says so, and the stack follows for the bug report.
 *
 * @example
 * startupFailure({ step: 'listen', port: 8787 }, error) // { line: 'Parley could not start: port 8787 is already in use…' }
 */
export function startupFailure(at: StartStep, error: unknown): { line: string; stack?: string } {
  const code = codeOf(error)
  const reason = messageOf(error)
  // The configuration's checks write their messages for the operator (src/runtime/app-config.ts).
  if (at.step === 'config' || error instanceof SettingProblem) return { line: `Parley could not start: ${reason}` }
  if (at.step === 'listen') {
    if (code === 'EADDRINUSE')
      return {
        line: `Parley could not start: port ${at.port} is already in use (EADDRINUSE). Stop the process using it, or set PORT to a free port.`,
      }
    if (code === 'EACCES')
      return { line: `Parley could not start: this user may not listen on port ${at.port} (EACCES). Set PORT to 1024 or above.` }
  }
  if (at.step === 'database') {
    const where = withoutPassword(at.url)
    if (code && NETWORK_CODES.has(code))
      return {
        line: `Parley could not start: the database at ${where} (DATABASE_URL) cannot be reached (${code}). Check that PostgreSQL is running there and accepts connections, or fix DATABASE_URL.`,
      }
    if (code === '28P01' || code === '28000')
      return {
        line: `Parley could not start: the database at ${where} (DATABASE_URL) refused the login (${reason}). Check the user and password in DATABASE_URL.`,
      }
    if (code === '3D000')
      return { line: `Parley could not start: ${reason} at ${where} (DATABASE_URL). Create it (createdb) or name an existing one.` }
  }
  if (at.step === 'data-dir' && code && FILE_CODES.has(code)) {
    return {
      line: `Parley could not start: it cannot write its data directory ${at.dir} (PARLEY_DATA_DIR): ${code}. Make it writable by this user, or set PARLEY_DATA_DIR to a directory that is.`,
    }
  }
  return { line: `Parley could not start (${at.step}): ${reason}`, stack: error instanceof Error ? error.stack : undefined }
}

/** Runs one step of the start; a failure ends the process (exit 1) with its line on stderr. */
export async function startStep<T>(at: StartStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    const { line, stack } = startupFailure(at, error)
    console.error(stack ? `${line}\n${stack}` : line)
    process.exit(1)
  }
}
