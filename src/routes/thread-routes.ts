import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { named } from '../openapi/schema-names.js'
import { AppError } from '../errors.js'
import { MAX_ID } from '../db/max-id.js'
import { checkOrigin, commentContext } from '../http/comment-request.js'
import { cachedRead } from '../http/cached-read.js'
import { currentThreadEtag, readThread } from '../comments/read-thread.js'
import { encodeCursor } from '../comments/thread-shape.js'
import { submitComment } from '../comments/submit-comment.js'
import { toAuthorComment } from '../comments/public-views.js'
import {
  ArticleKeyParam,
  ThreadArticleSchema,
  AuthorCommentSchema,
  ThreadCommentSchema,
  cachedReadHeaders,
  emailText,
  identityInvalid,
  ifNoneMatchHeader,
  pageCursor,
  problem,
  threadPageQuery,
  retryLater,
  urlText,
} from './schemas.js'

const threadRoute = createRoute({
  method: 'get',
  path: '/api/v1/articles/{key}/comments',
  operationId: 'getThread',
  tag: 'Comments',
  request: {
    params: ArticleKeyParam,
    query: z.object(threadPageQuery(20, 'The `nextCursor` of the previous page.')),
    headers: ifNoneMatchHeader,
  },
  responses: {
    200: {
      description: DOCS ? 'The page' : '',
      headers: cachedReadHeaders,
      content: {
        'application/json': {
          schema: z.object({ article: ThreadArticleSchema, comments: z.array(ThreadCommentSchema), nextCursor: z.nullable(z.string()) }),
        },
      },
    },
    304: { description: DOCS ? 'Not modified since the ETag in `If-None-Match`' : '', headers: cachedReadHeaders },
    422: problem(DOCS ? 'Invalid key, limit, cursor or order' : ''),
  },
})

const SubmissionSchema = named(
  'Submission',
  z
    .object({
      body: z.optional(z.string()).check(z.describe(DOCS ? 'Required; 1-65525 bytes once trimmed.' : '')),
      name: z.optional(z.string()).check(z.describe(DOCS ? 'Required while `requireNameEmail`; at most 245 bytes.' : '')),
      email: z.optional(emailText()).check(z.describe(DOCS ? 'Required while `requireNameEmail`; stored encrypted, never published.' : '')),
      url: z.optional(urlText()).check(z.describe(DOCS ? 'http or https, at most 200 bytes.' : '')),
      // Stated from 0 in the document only: any other number is answered `parent_not_found`, as a missing parent is.
      parentId: z
        .optional(z.nullable(z.int().check(z.meta({ minimum: 0, maximum: MAX_ID }))))
        .check(z.describe(DOCS ? 'An approved comment of the same article (0 or null: none).' : '')),
      article: z.optional(
        z.object({
          url: z
            .optional(urlText().check(z.maxLength(4000)))
            .check(z.describe(DOCS ? 'Its origin must be an allowed origin (`origin_not_allowed`).' : '')),
          title: z.optional(z.string().check(z.maxLength(4000))),
        }),
      ),
      hp: z.optional(z.string()).check(z.describe(DOCS ? 'Honeypot: leave absent or empty.' : '')),
      turnstileToken: z.optional(z.string()),
      subscribeComments: z
        .optional(z.boolean())
        .check(
          z.describe(
            DOCS
              ? 'Email the commenter the approved comments that follow on this article ("Notify me of follow-up comments by email"). ' +
                  'Needs `email`; the first request of an address sends a confirmation link, and nothing else goes to it until it is used.'
              : '',
          ),
        ),
      notifyApproval: z
        .optional(z.boolean())
        .check(
          z.describe(DOCS ? 'Email the commenter when this comment, if held, is approved. Needs `email`; confirmed once, as above.' : ''),
        ),
      identityToken: z
        .optional(z.string().check(z.maxLength(8192)))
        .check(
          z.describe(
            DOCS
              ? "The site's signed token for its logged-in reader (a JWT: HS256 with PARLEY_SSO_SECRET, or a public-key algorithm from PARLEY_SSO_JWKS_URL): the comment is theirs, with the token's name and email instead of typed ones. A token that does not verify is refused (`identity_invalid`), never taken as a guest's post."
              : '',
          ),
        ),
      proof: z
        .optional(
          z.object({
            commentId: z.int().check(z.minimum(1), z.maximum(MAX_ID)),
            token: z.string().check(z.maxLength(200)),
          }),
        )
        .check(
          z.describe(
            DOCS
              ? "One of this commenter's approved comments and the token that came with it, which the widget keeps: " +
                  'where the site holds first comments (`previouslyApproved`), it recognizes the commenter on a network never seen for them.'
              : '',
          ),
        ),
    })
    // `body` is required (and name and email while `requireNameEmail`), but checked by the comment
    // rules rather than here, so that every missing field is named at once, in WordPress's words.
    .check(z.meta({ required: ['body'], description: DOCS ? 'A new comment. Unknown fields are ignored.' : '' })),
)

const submitRoute = createRoute({
  method: 'post',
  path: '/api/v1/articles/{key}/comments',
  operationId: 'submitComment',
  tag: 'Comments',
  request: {
    params: ArticleKeyParam,
    body: { required: true, content: { 'application/json': { schema: SubmissionSchema } } },
  },
  responses: {
    201: {
      description: DOCS ? 'Stored; `status` is `approved` or `pending` (a spam verdict is never revealed)' : '',
      headers: { Location: { description: DOCS ? "The comment's own URL, `/api/v1/comments/{id}`" : '', required: true } },
      content: { 'application/json': { schema: z.object({ comment: AuthorCommentSchema, token: z.string() }) } },
    },
    400: problem(DOCS ? 'Malformed JSON' : ''),
    401: identityInvalid,
    403: problem(
      DOCS
        ? 'Comments are closed, the origin is not allowed, or the article takes signed-in readers (`login_required`) or subscribers (`subscription_required`) only'
        : '',
    ),
    404: problem(DOCS ? 'Unknown article and registration is off' : ''),
    409: problem(DOCS ? 'Duplicate comment' : ''),
    413: problem(DOCS ? 'Body over 1 MiB' : ''),
    415: problem(
      DOCS ? 'Not JSON (`unsupported_media_type`), or a `Content-Encoding` other than gzip or deflate (`unsupported_encoding`)' : '',
      {
        'Accept-Encoding': { description: DOCS ? '`gzip, deflate`, on `unsupported_encoding`' : '' },
      },
    ),
    422: problem(DOCS ? 'Invalid fields, or the parent is not an approved comment of this article' : ''),
    429: retryLater(
      DOCS
        ? "Posting too quickly (`too_fast`): flood control, per IP and per email (the same email from another network than its last post's is held instead: 201 `pending`)"
        : '',
    ),
  },
})

export const threadRoutes = new OpenApiRoutes<AppEnv>('/api/v1/articles')
  .openapi(threadRoute, async (c) => {
    const { deps } = c.env
    const { key } = c.req.valid('param')
    const query = c.req.valid('query')
    const cursor = pageCursor(query.cursor)
    const now = deps.clock()
    const settings = () => deps.settings.get(deps.db)
    return cachedRead(c, {
      canonical: { limit: query.limit, order: query.order, cursor: cursor ? encodeCursor(cursor) : undefined },
      currentEtag: async () => currentThreadEtag(deps.db, key, await settings(), now),
      read: async () => {
        const { page, etag, closesAt } = await readThread(
          deps.db,
          { key, limit: query.limit, order: query.order, cursor },
          await settings(),
          now,
        )
        return { body: JSON.stringify(page), etag, articles: [key], expiresAt: closesAt }
      },
    })
  })
  .openapi(submitRoute, async (c) => {
    const ctx = await commentContext(c)
    checkOrigin(c, ctx)
    const { key } = c.req.valid('param')
    const input = c.req.valid('json')
    const parentId = input.parentId || null
    if (parentId !== null && (parentId < 0 || parentId > MAX_ID)) {
      throw new AppError('parent_not_found', 'The comment you are replying to does not exist or is not published.')
    }
    const subscribe = { thread: input.subscribeComments === true, approval: input.notifyApproval === true }
    const { comment, token } = await submitComment(ctx, { ...input, articleKey: key, parentId, honeypot: input.hp, subscribe })
    return c.json({ comment: toAuthorComment(comment, ctx.settings, ctx.now), token }, 201, { Location: `/api/v1/comments/${comment.id}` })
  })
