import type { ErrorCode, FieldCode } from './error-codes.js'

export interface FieldError {
  field: string
  code: FieldCode
  message: string
}

/** One error type for every refusal; `onError` renders it as RFC 9457 problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail)
    this.name = 'ApiError'
  }
}

export function validationError(errors: FieldError[]): ApiError {
  return new ApiError(422, 'validation_failed', errors[0]?.message ?? 'The request is not valid.', errors)
}

const titles: Record<number, string> = {
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

export interface Problem {
  type: 'about:blank'
  title: string
  status: number
  code: ErrorCode
  detail: string
  errors?: FieldError[]
}

export function toProblem(error: ApiError): Problem {
  const problem: Problem = {
    type: 'about:blank',
    title: titles[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.detail,
  }
  if (error.errors) problem.errors = error.errors
  return problem
}
