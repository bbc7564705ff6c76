import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { $ZodError } from 'zod/v4/core'
import type { AppEnv } from '../app-env.js'
import { ApiError, toProblem, validationError } from './api-error.js'
import { fieldErrorsOf } from './zod-issues.js'
import { isDatabaseUnavailable } from './unavailable.js'
import { loggedError } from '../logged-error.js'
import { ClientClosed } from './client-closed.js'

/**
 * What a 401 asks for (RFC 9110 §11.6.1: every 401 carries a challenge). Moderators' routes take a
 * bearer token (the cookie too, which no scheme describes); a comment's own token is a protection
 * space of its own; a failed login is answered like a moderator route, as it is the way to its token.
 */
export const MODERATOR_CHALLENGE = 'Bearer realm="parley"'
export const COMMENT_TOKEN_CHALLENGE = 'Bearer realm="parley-comment"'

export function problemResponse(error: ApiError): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json' })
  if (error.status === 401) headers.set('WWW-Authenticate', error.code === 'token_required' ? COMMENT_TOKEN_CHALLENGE : MODERATOR_CHALLENGE)
  for (const [name, value] of Object.entries(error.headers ?? {})) headers.set(name, value)
  return new Response(JSON.stringify(toProblem(error)), { status: error.status, headers })
}

/** A failed validation of one part of the request (`target`: json, query, param…) as API.md's 422. */
export function fromZodError(error: $ZodError, target: string, value: unknown): ApiError {
  return validationError(fieldErrorsOf(error.issues, target, value))
}

/** The one error handler: every refusal becomes problem details; nothing internal reaches a client. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ApiError) return problemResponse(error)
  if (error instanceof ClientClosed) {
    // Not an error of Parley's (and not the database's, which its ECONNRESET would pass for).
    c.env.deps.logger.info('client closed the connection', { method: c.req.method, path: c.req.path })
    return problemResponse(new ApiError(400, 'client_closed', 'The connection closed before the whole request body arrived.'))
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return problemResponse(new ApiError(413, 'payload_too_large', 'The request body is larger than 1 MiB.'))
    if (error.status === 400) return problemResponse(new ApiError(400, 'malformed_json', 'The request body is not valid JSON.'))
    if (error.status === 401) return problemResponse(new ApiError(401, 'unauthenticated', 'Please sign in.'))
    if (error.status === 403) return problemResponse(new ApiError(403, 'forbidden', 'This is not allowed.'))
    if (error.status === 404) return problemResponse(new ApiError(404, 'not_found', 'Nothing is here.'))
  }
  if (isDatabaseUnavailable(error)) {
    c.env.deps.logger.warn('database unavailable', { ...loggedError(error), path: c.req.path })
    return problemResponse(new ApiError(503, 'unavailable', 'The service is briefly unavailable; please try again.', undefined, { 'Retry-After': '5' }))
  }
  c.env.deps.logger.error('unhandled error', { ...loggedError(error), method: c.req.method, path: c.req.path })
  return problemResponse(new ApiError(500, 'internal_error', 'Something went wrong on our side.'))
}
