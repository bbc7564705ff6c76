import { AppError } from '../errors.js'

// Driver and server conditions that mean "the database cannot answer now", not "this request is wrong".
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
])
const sqlStates = new Set(['53300', '57P01', '57P02', '57P03', '57014', '55P03', '40001', '40P01'])

/** True when an error, or any error it wraps, says the database is down, saturated or timed out. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (networkCodes.has(code) || sqlStates.has(code) || code.startsWith('08'))) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** The answer to a database that cannot answer now (or a deadline passed): try again in a moment. */
export const unavailable = () => new AppError('unavailable', 'The service is briefly unavailable; please try again.', { retryAfter: 5 })
