import type { Context } from 'hono'
import type { $ZodError } from 'zod/v4/core'
import type { AppEnv } from '../app-env.js'
import { validationError, type AppError, type ErrorCode, type FieldError } from '../errors.js'
import { fieldErrorsOf } from '../zod-issues.js'
import { ACCEPTED_CODINGS } from './content-encoding.js'
import { classifyError } from './classify-error.js'
import { negotiateLanguage, type Language } from '../i18n/languages.js'
import { localizeMessage } from '../i18n/texts.js'

/**
 * What a 401 asks for (RFC 9110 §11.6.1: every 401 carries a challenge). Moderators' routes take a
 * bearer token (the cookie too, which no scheme describes); a comment's own token is a protection
 * space of its own; a failed login is answered like a moderator route, as it is the way to its token.
 */
export const MODERATOR_CHALLENGE = 'Bearer realm="parley"'
export const COMMENT_TOKEN_CHALLENGE = 'Bearer realm="parley-comment"'
/** The site's identity token for its signed-in reader did not verify (RFC 6750's invalid_token). */
export const IDENTITY_CHALLENGE = 'Bearer realm="parley-identity", error="invalid_token"'

const challenges: Partial<Record<string, string>> = { token_required: COMMENT_TOKEN_CHALLENGE, identity_invalid: IDENTITY_CHALLENGE }

/** The headers an error's extras become, whichever renderer shows it (challenges aside). */
export function problemHeaders(error: AppError): Record<string, string> {
  const headers: Record<string, string> = {}
  if (error.retryAfter !== undefined) headers['Retry-After'] = String(error.retryAfter)
  if (error.allowedMethods) headers.Allow = error.allowedMethods.join(', ')
  if (error.code === 'unsupported_encoding') headers['Accept-Encoding'] = ACCEPTED_CODINGS
  return headers
}

/** RFC 9457 problem details, as API.md describes them. */
interface Problem {
  type: 'about:blank'
  title: string
  status: number
  code: ErrorCode
  detail: string
  errors?: FieldError[]
}

/**
 * Problem details; where the client asked for a language Parley ships (the widget sends its page's),
 * WordPress's messages in `detail` and `errors` come in it. Codes, titles and Parley's own words stay English.
 */
export function toProblem(error: AppError, language: Language = 'en'): Problem {
  const detail = localizeMessage(error.detail, language)
  const problem: Problem = { type: 'about:blank', title: error.title, status: error.status, code: error.code, detail }
  if (error.errors) problem.errors = error.errors.map((e) => ({ ...e, message: localizeMessage(e.message, language) }))
  return problem
}

/** The API's renderer: `application/problem+json`, in the language `Accept-Language` asks for where it can. */
export function problemResponse(error: AppError, acceptLanguage?: string): Response {
  const language = negotiateLanguage(acceptLanguage, 'en')
  const headers = new Headers({ 'Content-Type': 'application/problem+json', ...problemHeaders(error) })
  if (error.status === 401) headers.set('WWW-Authenticate', challenges[error.code] ?? MODERATOR_CHALLENGE)
  if (language !== 'en') headers.set('Content-Language', language)
  return new Response(JSON.stringify(toProblem(error, language)), { status: error.status, headers })
}

/** A failed validation of one part of the request (`target`: json, query, param…) as API.md's 422. */
export function fromZodError(error: $ZodError, target: string, value: unknown): AppError {
  return validationError(fieldErrorsOf(error.issues, target, value))
}

/** The API's error handler: every refusal becomes problem details; nothing internal reaches a client. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  return problemResponse(classifyError(error, c), c.req.header('accept-language'))
}
