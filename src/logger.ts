export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/**
 * One JSON line per event on stdout/stderr. Callers pass only what is safe to keep: no email
 * address, IP, user agent or token is ever a field.
 */
export function createLogger(level: LogLevel = 'info', write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const emit = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (order[at] < order[level]) return
    write(JSON.stringify({ level: at, time: new Date().toISOString(), message, ...fields }), at)
  }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}

function defaultWrite(line: string, level: LogLevel): void {
  if (level === 'error' || level === 'warn') console.error(line)
  else console.log(line)
}

export function parseLogLevel(value: string | undefined): LogLevel {
  return value && value in order ? (value as LogLevel) : 'info'
}
