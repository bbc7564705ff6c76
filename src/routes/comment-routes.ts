import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { commentNotFound } from '../errors.js'
import { bearerToken } from '../http/bearer-token.js'
import { checkOrigin, commentContext } from '../http/comment-request.js'
import { parseCommentId, toId } from '../http/row-ids.js'
import { editOwnComment, findComment, holdsToken, withdrawOwnComment } from '../comments/author-actions.js'
import { toAuthorComment, toPublicComment } from '../comments/public-views.js'
import { AuthorCommentSchema, CommentIdParam, CommentViewSchema, commentTokenRequired, problem, retryLater } from './schemas.js'
import { commentTokenSecurity, optionalCommentTokenSecurity } from '../openapi/security-schemes.js'

const getRoute = createRoute({
  method: 'get',
  path: '/api/v1/comments/{id}',
  operationId: 'getComment',
  tag: 'Comments',
  security: optionalCommentTokenSecurity,
  request: { params: CommentIdParam },
  responses: {
    200: {
      description: DOCS ? "The comment: its public shape, or the author's view with its token" : '',
      headers: { 'Cache-Control': { description: DOCS ? "`private, no-store` on the author's view" : '' } },
      content: { 'application/json': { schema: CommentViewSchema } },
    },
    404: problem(DOCS ? "No such published comment (or not this token's)" : ''),
  },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/v1/comments/{id}',
  operationId: 'editOwnComment',
  tag: 'Comments',
  security: commentTokenSecurity,
  request: {
    params: CommentIdParam,
    body: { required: true, content: { 'application/json': { schema: z.object({ body: z.optional(z.string()) }) } } },
  },
  responses: {
    200: {
      description: DOCS ? 'Edited; the spam checks ran again' : '',
      content: { 'application/json': { schema: z.object({ comment: AuthorCommentSchema }) } },
    },
    401: commentTokenRequired,
    403: problem(
      DOCS
        ? "Another comment's token on a published comment (`forbidden`), a request from a page whose origin is not allowed (`forbidden`), or the edit window is closed (`edit_window_closed`)"
        : '',
    ),
    404: problem(
      DOCS
        ? "No such comment, or a held one this token does not open: held comments' existence is nobody else's business (`not_found`)"
        : '',
    ),
    422: problem(DOCS ? 'Invalid body' : ''),
    429: retryLater(DOCS ? 'Editing too quickly (`too_fast`), per token and per IP' : ''),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/comments/{id}',
  operationId: 'withdrawOwnComment',
  tag: 'Comments',
  security: commentTokenSecurity,
  request: { params: CommentIdParam },
  responses: {
    204: { description: DOCS ? "Withdrawn: out of public view, in the moderators' trash" : '' },
    401: commentTokenRequired,
    403: problem(
      DOCS
        ? "Another comment's token on a published comment (`forbidden`), a request from a page whose origin is not allowed (`forbidden`), or the edit window is closed (`edit_window_closed`)"
        : '',
    ),
    404: problem(
      DOCS
        ? "No such comment, or a held one this token does not open: held comments' existence is nobody else's business (`not_found`)"
        : '',
    ),
  },
})

export const commentRoutes = new OpenApiRoutes<AppEnv>('/api/v1/comments')
  .openapi(getRoute, async (c) => {
    const { deps } = c.env
    const id = parseCommentId(c.req.valid('param').id)
    const row = await findComment(deps.db, id)
    if (!row || row.status === 'trash') throw commentNotFound()
    const settings = (await deps.settings.get(deps.db)).values
    if (await holdsToken(row, bearerToken(c))) {
      return c.json(toAuthorComment(row, settings, deps.clock()), 200, { 'Cache-Control': 'private, no-store' })
    }
    if (row.status !== 'approved') throw commentNotFound()
    return c.json(toPublicComment(row, settings.threadDepth), 200)
  })
  .openapi(patchRoute, async (c) => {
    const ctx = await commentContext(c)
    checkOrigin(c, ctx)
    // An id no comment can have is still asked for its token first (401), as any other id is.
    const row = await editOwnComment(ctx, toId(c.req.valid('param').id), bearerToken(c), c.req.valid('json').body)
    return c.json({ comment: toAuthorComment(row, ctx.settings, ctx.now) }, 200)
  })
  .openapi(deleteRoute, async (c) => {
    const ctx = await commentContext(c)
    checkOrigin(c, ctx)
    await withdrawOwnComment(ctx, toId(c.req.valid('param').id), bearerToken(c))
    return c.body(null, 204)
  })
