import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { loggedError } from '../logged-error.js'
import { isDatabaseUnavailable, unavailable } from './unavailable.js'
import { ClientClosed } from './client-closed.js'

/** Hono's own refusals (its body limit, JSON parser, helpers) in Parley's words. */
const honoRefusals: Partial<Record<number, () => AppError>> = {
  413: () => new AppError('payload_too_large', 'The request body is larger than 1 MiB.'),
  400: () => new AppError('malformed_json', 'The request body is not valid JSON.'),
  401: () => new AppError('unauthenticated', 'Please sign in.'),
  403: () => new AppError('forbidden', 'This is not allowed.'),
  404: () => new AppError('not_found', 'Nothing is here.'),
}

/**
 * The one classifier: whatever a handler threw becomes one AppError, which each renderer (the
 * API's problem+json, the dashboard's page, the comment form's WordPress page) shows its own way.
 * A database outage is logged as a warning and answered 503; anything unforeseen is logged in full
 * and answered 500 with nothing internal in it.
 */
export function classifyError(error: unknown, c: Context<AppEnv>): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ClientClosed) {
    // Not an error of Parley's (and not the database's, which its ECONNRESET would pass for).
    c.env.deps.logger.info('client closed the connection', { method: c.req.method, path: c.req.path })
    return new AppError('client_closed', 'The connection closed before the whole request body arrived.')
  }
  if (error instanceof HTTPException) {
    const refusal = honoRefusals[error.status]
    if (refusal) return refusal()
  }
  if (isDatabaseUnavailable(error)) {
    c.env.deps.logger.warn('database unavailable', { ...loggedError(error), path: c.req.path })
    return unavailable()
  }
  c.env.deps.logger.error('unhandled error', { ...loggedError(error), method: c.req.method, path: c.req.path })
  return new AppError('internal_error', 'Something went wrong on our side.')
}
