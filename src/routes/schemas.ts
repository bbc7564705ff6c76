import { decodeCursor } from '../comments/thread-shape.js'
import { DOCS } from '../docs-flag.js'
import type { ThreadCursor } from '../comments/thread-query.js'
import { COMMENT_POLICIES } from '../settings/comment-policy.js'
import * as z from 'zod/mini'
import type * as core from 'zod/v4/core'
import { named, namedResponse } from '../openapi/schema-names.js'
import type { ResponseConfig } from '../openapi/openapi-routes.js'
import { fieldCodes, problemCodes, validationError, type ErrorCode } from '../errors.js'
import { articleKeyPattern, articleKeyRule } from '../articles/articles.js'
import { MAX_ID } from '../db/max-id.js'
import '../zod-issues.js'
import { COMMENT_TOKEN_CHALLENGE, IDENTITY_CHALLENGE, MODERATOR_CHALLENGE } from '../http/problem-response.js'

/** A row id as the document states it: a PostgreSQL integer, from 1. */
export const idSchema = () => z.int().check(z.minimum(1), z.maximum(MAX_ID))
/** A count of things: from 0. */
export const countSchema = () => z.int().check(z.minimum(0))
/** A time as the API writes it: ISO 8601 in UTC (`2026-11-26T20:00:00.000Z`). */
export const dateTimeSchema = () => z.string().check(z.meta({ format: 'date-time', example: '2026-11-26T20:00:00.000Z' }))
/**
 * Text that is, or is to be, an http(s) URL or an email address. The format is stated, not checked
 * here: the rules check it where it matters, in their own words (WordPress's, for a comment).
 */
export const urlText = () => z.string().check(z.meta({ format: 'uri' }))
export const emailText = () => z.string().check(z.meta({ format: 'email' }))

const problemCodeList = Object.keys(problemCodes) as [ErrorCode, ...ErrorCode[]]

export const FieldErrorSchema = named(
  'FieldError',
  z.object({
    field: z
      .string()
      .check(
        z.describe(
          DOCS
            ? "The field's name, dotted into objects and lists (`article.url`, `allowedOrigins.0`), or the part of the request (`query`, `json`)."
            : '',
        ),
      ),
    // Each value is described where the document is made (openapi-document.ts, error-words.ts).
    code: z.enum(fieldCodes),
    message: z.string().check(z.describe(DOCS ? "A sentence for a person (WordPress's own for a comment's fields)." : '')),
  }),
)

export const ProblemSchema = named(
  'Problem',
  z.object({
    type: z.literal('about:blank'),
    title: z.string().check(z.describe(DOCS ? "The status's reason phrase." : '')),
    status: z.int().check(z.minimum(400), z.maximum(599)),
    code: z.enum(problemCodeList),
    detail: z.string().check(z.describe(DOCS ? 'A sentence for a person; never a stack trace, SQL or an internal message.' : '')),
    errors: z.optional(z.array(FieldErrorSchema)).check(z.describe(DOCS ? "Each field's problem, for `validation_failed` only." : '')),
  }),
)

const retryAfter = {
  'Retry-After': { description: DOCS ? 'Seconds to wait before trying again.' : '', required: true, type: 'integer' as const },
}

/** A public read's validators and freshness (the thread and counts; PARLEY_CACHE_MAX_AGE). */
export const cachedReadHeaders = {
  ETag: {
    description: DOCS
      ? 'Strong; changes whenever anything visible in the answer changes, and differs per content coding (`"…-br"`, `"…-gzip"`).'
      : '',
    required: true,
  },
  'Cache-Control': { description: DOCS ? '`public, max-age=…` (PARLEY_CACHE_MAX_AGE seconds).' : '', required: true },
  Vary: { description: DOCS ? '`Accept-Encoding`: the answer follows it.' : '', required: true },
  'Content-Encoding': {
    description: DOCS
      ? '`br` or `gzip` when the request accepts one (`Accept-Encoding`, br preferred) and the server compresses (Node; on Workers, Cloudflare does).'
      : '',
  },
}

/** The validator a reader sends back to get 304 rather than the same body again. */
export const ifNoneMatchHeader = z.object({
  'If-None-Match': z
    .optional(z.string().check(z.maxLength(8192)))
    .check(z.describe(DOCS ? 'An `ETag` this route answered before: 304 while it still holds.' : '')),
})

/** An answer no cache may keep (it is personal, or changes with every request). */
export const noStore = { 'Cache-Control': { description: DOCS ? '`no-store`' : '', required: true } }

export const problem = (description: string, headers?: ResponseConfig['headers']): ResponseConfig => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
  ...(headers ? { headers } : {}),
})

const challenge = (value: string) => ({
  'WWW-Authenticate': { description: DOCS ? `\`${value}\`: how to authenticate (RFC 9110 §11.6.1)` : '', required: true },
})

/** A 401 of the moderators' routes and of login: sign in for a bearer token (or the session cookie). */
export const signInFirst = (description: string): ResponseConfig => problem(description, challenge(MODERATOR_CHALLENGE))

/** A 401 of the author's routes: the comment's own token is missing. */
export const commentTokenRequired = problem(
  DOCS ? "No token (`token_required`): send the comment's token as `Authorization: Bearer <token>`" : '',
  challenge(COMMENT_TOKEN_CHALLENGE),
)

/** A 401 of a submission: the site's identity token does not verify. */
export const identityInvalid = problem(
  DOCS ? 'The identity token does not verify (`identity_invalid`): ask the site for a fresh one' : '',
  challenge(IDENTITY_CHALLENGE),
)

/** A refusal that says when to try again (`too_fast`, `too_many_attempts`, `unavailable`). */
export const retryLater = (description: string): ResponseConfig => problem(description, retryAfter)

/** The refusals many routes share, each named once in the document. */
export const problems = {
  malformedJson: namedResponse('MalformedJson', problem(DOCS ? 'The body is not valid JSON (`malformed_json`)' : '')),
  payloadTooLarge: namedResponse(
    'PayloadTooLarge',
    problem(DOCS ? 'The body is larger than 1 MiB (`payload_too_large`), refused before it is read' : ''),
  ),
  unsupportedMediaType: namedResponse(
    'UnsupportedMediaType',
    problem(
      DOCS
        ? 'A body that is not `application/json` (`unsupported_media_type`), or sent with a `Content-Encoding` other than gzip or deflate (`unsupported_encoding`, with `Accept-Encoding`)'
        : '',
      {
        'Accept-Encoding': {
          description: DOCS ? '`gzip, deflate`: the content codings a body may come in, on `unsupported_encoding`' : '',
        },
      },
    ),
  ),
  invalidRequest: namedResponse(
    'InvalidRequest',
    problem(DOCS ? 'A parameter, a header or a field of the body is not valid (`validation_failed`, each field in `errors`)' : ''),
  ),
  unauthenticated: namedResponse('Unauthenticated', signInFirst('Not signed in, or the session ended (`unauthenticated`)')),
  forbidden: namedResponse(
    'Forbidden',
    problem(DOCS ? 'Signed in without the role this needs, or a cookie request from another origin (`forbidden`)' : ''),
  ),
  internalError: namedResponse(
    'InternalError',
    problem(DOCS ? "Something failed on Parley's side (`internal_error`); nothing more is said" : ''),
  ),
  unavailable: namedResponse(
    'Unavailable',
    retryLater(DOCS ? 'The database is unreachable or saturated (`unavailable`): the request failed fast and changed nothing' : ''),
  ),
}

/** A thread page's query, as the JSON thread and its HTML fragment take it (only the default page size differs). */
export function threadPageQuery(defaultLimit: number, cursorWords: string) {
  return {
    limit: z
      ._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), defaultLimit)
      .check(z.describe(DOCS ? 'Top-level threads per page (1-100).' : '')),
    cursor: z.optional(z.string().check(z.maxLength(64))).check(z.describe(cursorWords)),
    order: z
      ._default(z.enum(['oldest', 'newest', 'top', 'featured']), 'oldest')
      .check(
        z.describe(
          DOCS
            ? "`top`: the most upvoted threads first; `featured`: the editors' picks alone (replies too), each at depth 0 without its replies, the latest pick first."
            : '',
        ),
      ),
  }
}

/** A thread page's `cursor` as given out with the previous page (null: the first page); any other is a field error. */
export function pageCursor(text: string | undefined): ThreadCursor | null {
  if (!text) return null
  const cursor = decodeCursor(text)
  if (cursor === undefined)
    throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' }])
  return cursor
}

export const ArticleKeyParam = z.object({
  key: z.string().check(z.regex(articleKeyPattern, articleKeyRule), z.meta({ example: '4821' })),
})

/**
 * A row id in a path. Read as text and never refused by validation: the route answers 404 for
 * anything that cannot be an id, as for one that names nothing. The document states what a real
 * one is, an integer from 1.
 */
const rowIdParam = (example: number) =>
  z.object({
    id: z.string().check(z.meta({ type: 'integer', minimum: 1, maximum: MAX_ID, example })),
  })

export const CommentIdParam = rowIdParam(17)
export const RowIdParam = rowIdParam(3)

export const AuthorSchema = z.object({
  name: z.string(),
  url: z.nullable(urlText()),
  avatar: z
    .nullable(z.int().check(z.minimum(0), z.maximum(7)))
    .check(
      z.describe(
        DOCS
          ? 'The avatar colour, 0 to 7: three keyed bits of the email, stable per commenter, useless for recovering or confirming it. Null without an email.'
          : '',
      ),
    ),
  moderator: z.boolean(),
  verified: z
    .boolean()
    .check(
      z.describe(
        DOCS ? "Signed in with the site when posting (its identity token): the name is the site's account's, not a typed one." : '',
      ),
    ),
  avatarUrl: z
    .nullable(urlText())
    .check(z.describe(DOCS ? "A signed-in commenter's picture, as the site's token gave it (https only); else null: draw `avatar`." : '')),
})

const commentFields = {
  id: idSchema(),
  parentId: z.nullable(idSchema()).check(z.describe(DOCS ? 'The comment replied to; null for a top-level comment.' : '')),
  depth: countSchema().check(z.describe(DOCS ? '0 for a top-level comment; clamped at `threadDepth - 1` for display.' : '')),
  author: AuthorSchema,
  html: z.string().check(z.describe(DOCS ? 'Sanitized HTML, safe to insert as is.' : '')),
  createdAt: dateTimeSchema(),
  editedAt: z.nullable(dateTimeSchema()),
  removed: z.boolean().check(z.describe(DOCS ? 'A placeholder for a comment no longer published that still has published replies.' : '')),
  featured: z.boolean().check(z.describe(DOCS ? "An editor's pick." : '')),
  votes: countSchema().check(z.describe(DOCS ? "Readers' upvotes (who voted is never shown)." : '')),
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used, for the recursive thread node
const publicComment = z.object(commentFields)

type ThreadNode = z.infer<typeof publicComment> & { replies: ThreadNode[] }
export const ThreadCommentSchema: z.ZodMiniType<ThreadNode> = named(
  'ThreadComment',
  z.object({
    ...commentFields,
    replies: z.array(z.lazy(() => ThreadCommentSchema)),
  }),
)

const authorFields = {
  status: z
    .enum(['approved', 'pending'])
    .check(z.describe(DOCS ? '`pending` while held (spam is answered as `pending` too: a verdict is never revealed).' : '')),
  editableUntil: z
    .optional(dateTimeSchema())
    .check(z.describe(DOCS ? 'Until when the token may edit or withdraw it; absent once the edit window has closed.' : '')),
}

export const AuthorCommentSchema = named('AuthorComment', z.object({ ...commentFields, ...authorFields }))

/**
 * GET /api/v1/comments/{id}'s answer: one shape, the public one, whose author's view (with the
 * comment's token) adds `status` and `editableUntil`. One schema with two optional fields rather
 * than a union of two that differ only by them: a client written from the document gets one type.
 */
export const CommentViewSchema = named(
  'CommentView',
  z
    .object({
      ...commentFields,
      status: z
        .optional(authorFields.status)
        .check(z.describe(DOCS ? "Only in the author's view (the comment's token sent): `approved` or `pending`." : '')),
      editableUntil: authorFields.editableUntil,
    })
    .check(z.describe(DOCS ? "A comment: its public shape, plus `status` and `editableUntil` in its author's view." : '')),
)

export const ArticleSchema = named(
  'Article',
  z.object({
    key: z.string(),
    url: z.nullable(urlText()),
    title: z.nullable(z.string()),
    open: z.boolean(),
    commentCount: countSchema().check(z.describe(DOCS ? 'Its approved comments.' : '')),
    commentPolicy: z
      .enum(COMMENT_POLICIES)
      .check(
        z.describe(
          DOCS
            ? "Who may comment: `anyone`, `signed-in` (with the site's identity token) or `subscribers`; the article's own, else the site's `commentPolicy`."
            : '',
        ),
      ),
  }),
)

/** An article as moderators see it: and whether every comment there waits for them. */
export const ModeratedArticleSchema = named(
  'ModeratedArticle',
  z.object({
    ...ArticleSchema.shape,
    moderation: z
      .enum(['hold', 'rules'])
      .check(z.describe(DOCS ? "`hold`: every comment here waits for a moderator; `rules`: the site's." : '')),
  }),
)

/** An article as its thread gives it: and where a reader logs in to comment there. */
export const ThreadArticleSchema = named(
  'ThreadArticle',
  z.object({
    ...ArticleSchema.shape,
    loginUrl: z.nullable(
      urlText().check(z.describe(DOCS ? 'Where a reader logs in to comment (setting `loginUrl`), for "Log in to comment".' : '')),
    ),
    votes: z.boolean().check(z.describe(DOCS ? 'Readers may upvote comments here (setting `votes`).' : '')),
    featuredCount: countSchema().check(z.describe(DOCS ? "Approved editors' picks: what `order=featured` lists." : '')),
  }),
)

export const ModeratorSchema = named(
  'Moderator',
  z.object({
    // No `format: email`: an embedded install's first admin is admin@localhost, which that format refuses.
    id: idSchema(),
    email: z
      .string()
      .check(z.describe(DOCS ? "The sign-in address (admin@localhost for an embedded install's first admin until changed)" : '')),
    name: z.string(),
    role: z.enum(['admin', 'moderator']),
    disabled: z.boolean(),
  }),
)

export const ModCommentSchema = named(
  'ModComment',
  z.object({
    ...commentFields,
    status: z.enum(['pending', 'approved', 'spam', 'trash']),
    body: z.string().check(z.describe(DOCS ? 'The text as written, which `html` renders (what an edit changes).' : '')),
    // No `format: email`: an imported comment keeps the address it came with, which today's rules might refuse.
    email: z
      .nullable(z.string())
      .check(z.describe(DOCS ? "The commenter's address, decrypted (as given; imported ones as they came)." : '')),
    ip: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    article: z.object({ key: z.string(), url: z.nullable(urlText()), title: z.nullable(z.string()) }),
    checks: z.array(
      z.object({
        filter: z.string(),
        verdict: z.enum(['approve', 'hold', 'spam']),
        reason: z.string(),
        retry: z
          .optional(z.boolean())
          .check(z.describe(DOCS ? "The filter could not decide and is asked again later (Akismet, the site's filter service)" : '')),
      }),
    ),
    reports: z.array(z.object({ id: idSchema(), reason: z.string(), note: z.nullable(z.string()), createdAt: dateTimeSchema() })),
  }),
)

export const jsonBody = <T extends core.$ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } })
export const jsonContent = <T extends core.$ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
})

export const authProblems = { 401: problems.unauthenticated, 403: problems.forbidden }
