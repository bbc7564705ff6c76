import * as z from 'zod/mini'
import type * as core from 'zod/v4/core'
import { named, namedResponse } from '../openapi/schema-names.js'
import type { ResponseConfig } from '../openapi/openapi-routes.js'
import { fieldCodes, problemCodes, type ErrorCode, type FieldCode } from '../http/error-codes.js'
import { articleKeyPattern, articleKeyRule } from '../articles/articles.js'
import '../http/zod-issues.js'
import { COMMENT_TOKEN_CHALLENGE, MODERATOR_CHALLENGE } from '../http/problem-response.js'

const problemCodeList = Object.keys(problemCodes) as [ErrorCode, ...ErrorCode[]]
const fieldCodeList = Object.keys(fieldCodes) as [FieldCode, ...FieldCode[]]

/** An enum whose every value is described: in the description's list and as `x-enumDescriptions`. */
function describedEnum<T extends string>(values: [T, ...T[]], intro: string, describe: (value: T) => string) {
  const list = values.map((value) => `- \`${value}\`: ${describe(value)}`).join('\n')
  return z.enum(values).check(z.meta({
    description: `${intro}\n\n${list}`,
    'x-enumDescriptions': Object.fromEntries(values.map((value) => [value, describe(value)])),
  }))
}

export const FieldErrorSchema = named('FieldError', z.object({
  field: z.string().check(z.describe('The field\'s name, dotted into objects and lists (`article.url`, `allowedOrigins.0`), or the part of the request (`query`, `json`).')),
  code: describedEnum(fieldCodeList, 'What is wrong, from one vocabulary whichever check finds it:', (code) => fieldCodes[code]),
  message: z.string().check(z.describe('A sentence for a person (WordPress\'s own for a comment\'s fields).')),
}))

export const ProblemSchema = named('Problem', z.object({
  type: z.literal('about:blank'),
  title: z.string().check(z.describe('The status\'s reason phrase.')),
  status: z.int(),
  code: describedEnum(problemCodeList, 'A stable machine code (its usual status in brackets):', (code) => `(${problemCodes[code][0]}) ${problemCodes[code][1]}`),
  detail: z.string().check(z.describe('A sentence for a person; never a stack trace, SQL or an internal message.')),
  errors: z.optional(z.array(FieldErrorSchema)).check(z.describe('Each field\'s problem, for `validation_failed` only.')),
}))

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', required: true, type: 'integer' as const } }

/** A public read's validators and freshness (the thread and counts; PARLEY_CACHE_MAX_AGE). */
export const cachedReadHeaders = {
  ETag: { description: 'Strong; changes whenever anything visible in the answer changes.', required: true },
  'Cache-Control': { description: '`public, max-age=…` (PARLEY_CACHE_MAX_AGE seconds).', required: true },
}

/** The validator a reader sends back to get 304 rather than the same body again. */
export const ifNoneMatchHeader = z.object({
  'If-None-Match': z.optional(z.string().check(z.maxLength(8192))).check(z.describe('An `ETag` this route answered before: 304 while it still holds.')),
})

/** An answer no cache may keep (it is personal, or changes with every request). */
export const noStore = { 'Cache-Control': { description: '`no-store`', required: true } }

export const problem = (description: string, headers?: ResponseConfig['headers']): ResponseConfig => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
  ...(headers ? { headers } : {}),
})

const challenge = (value: string) => ({
  'WWW-Authenticate': { description: `\`${value}\`: how to authenticate (RFC 9110 §11.6.1)`, required: true },
})

/** A 401 of the moderators' routes and of login: sign in for a bearer token (or the session cookie). */
export const signInFirst = (description: string): ResponseConfig => problem(description, challenge(MODERATOR_CHALLENGE))

/** A 401 of the author's routes: the comment's own token is missing. */
export const commentTokenRequired = problem('No token (`token_required`): send the comment\'s token as `Authorization: Bearer <token>`', challenge(COMMENT_TOKEN_CHALLENGE))

/** A refusal that says when to try again (`too_fast`, `too_many_attempts`, `unavailable`). */
export const retryLater = (description: string): ResponseConfig => problem(description, retryAfter)

/** The refusals many routes share, each named once in the document. */
export const problems = {
  malformedJson: namedResponse('MalformedJson', problem('The body is not valid JSON (`malformed_json`)')),
  payloadTooLarge: namedResponse('PayloadTooLarge', problem('The body is larger than 1 MiB (`payload_too_large`), refused before it is read')),
  unsupportedMediaType: namedResponse('UnsupportedMediaType', problem('A body that is not `application/json` (`unsupported_media_type`)')),
  invalidRequest: namedResponse('InvalidRequest', problem('A parameter, a header or a field of the body is not valid (`validation_failed`, each field in `errors`)')),
  unauthenticated: namedResponse('Unauthenticated', signInFirst('Not signed in, or the session ended (`unauthenticated`)')),
  forbidden: namedResponse('Forbidden', problem('Signed in without the role this needs, or a cookie request from another origin (`forbidden`)')),
  internalError: namedResponse('InternalError', problem('Something failed on Parley\'s side (`internal_error`); nothing more is said')),
  unavailable: namedResponse('Unavailable', retryLater('The database is unreachable or saturated (`unavailable`): the request failed fast and changed nothing')),
}

export const ArticleKeyParam = z.object({
  key: z.string().check(
    z.regex(articleKeyPattern, articleKeyRule),
    z.meta({ example: '4821' }),
  ),
})

export const CommentIdParam = z.object({
  id: z.string().check(z.meta({ example: '17' })),
})

export const AuthorSchema = z.object({
  name: z.string(),
  url: z.nullable(z.string()),
  avatar: z.nullable(z.int().check(z.minimum(0), z.maximum(7))).check(z.describe('The avatar colour, 0 to 7: three keyed bits of the email, stable per commenter, useless for recovering or confirming it. Null without an email.')),
  moderator: z.boolean(),
})

const commentFields = {
  id: z.int(),
  parentId: z.nullable(z.int()),
  depth: z.int(),
  author: AuthorSchema,
  html: z.string().check(z.describe('Sanitized HTML, safe to insert as is.')),
  createdAt: z.string(),
  editedAt: z.nullable(z.string()),
  removed: z.boolean().check(z.describe('A placeholder for a comment no longer published that still has published replies.')),
}

export const PublicCommentSchema = named('Comment', z.object(commentFields))

type ThreadNode = z.infer<typeof PublicCommentSchema> & { replies: ThreadNode[] }
export const ThreadCommentSchema: z.ZodMiniType<ThreadNode> = named('ThreadComment', z.object({
  ...commentFields,
  replies: z.array(z.lazy(() => ThreadCommentSchema)),
}))

export const AuthorCommentSchema = named('AuthorComment', z.object({
  ...commentFields,
  status: z.enum(['approved', 'pending']),
  editableUntil: z.optional(z.string()),
}))

export const ArticleSchema = named('Article', z.object({
  key: z.string(),
  url: z.nullable(z.string()),
  title: z.nullable(z.string()),
  open: z.boolean(),
  commentCount: z.int(),
}))

export const ModeratorSchema = named('Moderator', z.object({
  id: z.int(), email: z.string(), name: z.string(), role: z.enum(['admin', 'moderator']), disabled: z.boolean(),
}))

export const ModCommentSchema = named('ModComment', z.object({
  ...commentFields,
  status: z.enum(['pending', 'approved', 'spam', 'trash']),
  email: z.nullable(z.string()),
  ip: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  article: z.object({ key: z.string(), url: z.nullable(z.string()), title: z.nullable(z.string()) }),
  checks: z.array(z.object({
    filter: z.string(),
    verdict: z.enum(['approve', 'hold', 'spam']),
    reason: z.string(),
    retry: z.optional(z.boolean()).check(z.describe('The filter could not decide and is asked again later (Akismet, the site\'s filter service)')),
  })),
  reports: z.array(z.object({ id: z.int(), reason: z.string(), note: z.nullable(z.string()), createdAt: z.string() })),
}))

export const jsonBody = <T extends core.$ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } })
export const jsonContent = <T extends core.$ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } })

export const authProblems = { 401: problems.unauthenticated, 403: problems.forbidden }
