/**
 * Parley's one error type and its vocabulary, at the bottom of the layers: a rule anywhere throws
 * `new AppError('too_fast', detail, { retryAfter })` and the code alone decides the answer's status
 * and title, so no rule names an HTTP status or header; src/http/classify-error.ts turns whatever
 * was thrown into this shape for the three renderers (problem+json, the dashboard, the form page).
 *
 * Every code a client can meet, with its status; src/openapi/error-words.ts gives each its sentence
 * in the OpenAPI document (kept there, out of the Worker's bundle). The codes are stable: a client
 * may switch on them; the sentences and each answer's `detail` may change.
 */

/** A problem's `code` (RFC 9457 problem details), with the status it is answered with; each code's sentence is in src/openapi/error-words.ts. */
export const problemCodes = {
  validation_failed: 422,
  malformed_json: 400,
  malformed_form: 400,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  payload_too_large: 413,
  request_timeout: 408,
  client_closed: 400,
  malformed_request: 400,
  headers_too_large: 431,
  identity_invalid: 401,
  login_required: 403,
  subscription_required: 403,
  commenter_banned: 403,
  votes_off: 403,
  comments_closed: 403,
  article_not_found: 404,
  parent_not_found: 422,
  duplicate_comment: 409,
  too_fast: 429,
  not_found: 404,
  method_not_allowed: 405,
  token_required: 401,
  forbidden: 403,
  edit_window_closed: 403,
  unauthenticated: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  internal_error: 500,
  unavailable: 503,
  not_implemented: 501,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof problemCodes
type ProblemStatus = (typeof problemCodes)[ErrorCode]

/**
 * A problem's `title`: the status's reason phrase, as RFC 9457 asks of `about:blank` problems. Keyed
 * by the statuses the table uses, so a code with a new status cannot be added without its title.
 */
const titles: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
}

/**
 * A field error's `code`: one vocabulary whichever layer finds the fault (the route's schema or the
 * domain's rules), so that the same fault always carries the same code.
 */
export const fieldCodes = [
  'required',
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'too_long',
  'too_short',
  'too_large',
  'too_small',
  'unknown_field',
  'invalid_email',
  'invalid_url',
  'origin_not_allowed',
  'private_target',
  'too_much_markup',
  'invalid_cursor',
  'same_key',
  'email_taken',
  'last_admin',
  'not_well_formed',
  'unknown_format',
] as const

export type FieldCode = (typeof fieldCodes)[number]

export interface FieldError {
  field: string
  code: FieldCode
  message: string
}

/** What a refusal carries beside its detail; the HTTP layer turns these into body fields and headers. */
export interface AppErrorOptions {
  /** Each field at fault (`validation_failed`). */
  errors?: FieldError[]
  /** Seconds until trying again is worth it (`too_fast`, `too_many_attempts`, `unavailable`). */
  retryAfter?: number
  /** The methods the path does take (`method_not_allowed`). */
  allowedMethods?: string[]
}

/** One error type for every refusal: a stable code, a sentence for people, and typed extras. */
export class AppError extends Error {
  readonly status: ProblemStatus
  readonly title: string
  readonly errors?: FieldError[]
  readonly retryAfter?: number
  readonly allowedMethods?: string[]

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail)
    this.name = 'AppError'
    this.status = problemCodes[code]
    this.title = titles[this.status]
    if (options.errors) this.errors = options.errors
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter
    if (options.allowedMethods) this.allowedMethods = options.allowedMethods
  }
}

/** A 422 for one or more fields, its detail the first field's message. */
export function validationError(errors: FieldError[]): AppError {
  return new AppError('validation_failed', errors[0]?.message ?? 'The request is not valid.', { errors })
}

/** "No such comment": one sentence wherever a comment id leads nowhere (or nowhere the caller may go). */
export const commentNotFound = () => new AppError('not_found', 'There is no such comment.')
