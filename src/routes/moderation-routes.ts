import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import { named } from '../openapi/schema-names.js'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { validationError, commentNotFound } from '../errors.js'
import { MAX_ID } from '../db/max-id.js'
import { parseCommentId } from '../http/row-ids.js'
import { decodeCursor, encodeCursor } from '../comments/thread-shape.js'
import { listQueue } from '../moderation/moderation-queue.js'
import { findModComment } from '../moderation/comment-for-moderators.js'
import { BULK_MAX, bulkModerate, undoStatusChanges, dismissReports, moderateComment } from '../moderation/moderate-comment.js'
import { deleteComment } from '../moderation/delete-comment.js'
import { replyAsModerator } from '../moderation/moderator-reply.js'
import type { ModerationContext } from '../moderation/moderation-context.js'
import type { ArticleUrlOrigins } from '../articles/article-url.js'
import type { Settings } from '../settings/settings-schema.js'
import { allowedOrigins } from '../http/origins.js'
import {
  ArticleKeyParam,
  CommentIdParam,
  ModCommentSchema,
  authProblems,
  countSchema,
  dateTimeSchema,
  jsonBody,
  jsonContent,
  noStore,
  problem,
} from './schemas.js'

const statusSchema = z.enum(['pending', 'approved', 'spam', 'trash'])

const StatusChangeSchema = named(
  'StatusChange',
  z.object({
    id: z.int().check(z.minimum(1), z.maximum(MAX_ID)),
    from: statusSchema,
    to: statusSchema,
    at: dateTimeSchema().check(
      z.describe(DOCS ? 'When the change was made: a comment whose status changed again since (even back to `to`) is left as it is.' : ''),
    ),
  }),
)

/** Where a moderator may point an article (article-url.ts): anywhere until `allowedOrigins` are set, then those and Parley's own. */
export function articleUrlOrigins(c: Context<AppEnv>, settings: Settings): ArticleUrlOrigins {
  return settings.allowedOrigins.length === 0 ? null : allowedOrigins(c, settings)
}

export function moderationContext(c: Context<AppEnv>): ModerationContext {
  const { deps } = c.env
  return {
    db: deps.db,
    secrets: deps.secrets,
    moderator: c.var.moderator,
    now: deps.clock(),
    akismet: deps.config.akismet !== null,
    notifications: deps.mail !== undefined,
  }
}

const queueRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/comments',
  operationId: 'listQueue',
  tag: 'Moderation',
  request: {
    query: z.object({
      status: z.optional(statusSchema).check(z.describe(DOCS ? 'Default `pending` (any status with `reported=true`)' : '')),
      reported: z.optional(z.enum(['true', 'false'])),
      article: z.optional(ArticleKeyParam.shape.key),
      q: z.optional(z.string().check(z.maxLength(200))).check(z.describe(DOCS ? "Text in the body or the author's name" : '')),
      cursor: z.optional(z.string().check(z.maxLength(64))),
      limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
      order: z
        ._default(z.enum(['oldest', 'newest']), 'oldest')
        .check(z.describe(DOCS ? '`oldest` first (the longest waiting), or `newest` first' : '')),
    }),
  },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? 'The page' : '',
        z.object({
          comments: z.array(ModCommentSchema),
          nextCursor: z.nullable(z.string()),
          counts: z.object({
            pending: countSchema(),
            approved: countSchema(),
            spam: countSchema(),
            trash: countSchema(),
            reported: countSchema(),
          }),
        }),
      ),
      headers: noStore,
    },
    ...authProblems,
    422: problem(DOCS ? 'Invalid filter' : ''),
  },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/v1/moderation/comments/{id}',
  operationId: 'moderateComment',
  tag: 'Moderation',
  request: {
    params: CommentIdParam,
    body: jsonBody(
      z.strictObject({
        status: z.optional(statusSchema),
        body: z.optional(z.string()),
        featured: z
          .optional(z.boolean())
          .check(
            z.describe(
              DOCS ? "An editor's pick (`true`, approved comments only, with the status if both are sent) or no longer (`false`)." : '',
            ),
          ),
      }),
    ),
  },
  responses: {
    200: jsonContent(DOCS ? 'The comment now' : '', ModCommentSchema),
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
    422: problem(DOCS ? 'Invalid status or body, or `featured` for a comment that is not approved' : ''),
  },
})

const bulkRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/comments/bulk',
  operationId: 'moderateComments',
  tag: 'Moderation',
  request: {
    body: jsonBody(
      z.strictObject({
        ids: z.array(z.int().check(z.minimum(1), z.maximum(MAX_ID))).check(z.minLength(1), z.maxLength(BULK_MAX)),
        status: statusSchema,
      }),
    ),
  },
  responses: {
    200: jsonContent(
      DOCS ? 'How many changed (status, or reports dismissed), and each status changed: what `…/comments/undo` takes to put them back' : '',
      z.object({ updated: countSchema(), changed: z.array(StatusChangeSchema) }),
    ),
    ...authProblems,
    422: problem(DOCS ? 'Invalid ids or status' : ''),
  },
})

const undoRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/comments/undo',
  operationId: 'undoStatusChanges',
  tag: 'Moderation',
  request: { body: jsonBody(z.strictObject({ changes: z.array(StatusChangeSchema).check(z.minLength(1), z.maxLength(BULK_MAX)) })) },
  responses: {
    200: jsonContent(DOCS ? 'How many went back' : '', z.object({ reverted: countSchema() })),
    ...authProblems,
    422: problem(DOCS ? 'Invalid changes' : ''),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/moderation/comments/{id}',
  operationId: 'deleteComment',
  tag: 'Moderation',
  request: { params: CommentIdParam },
  responses: { 204: { description: DOCS ? 'Deleted' : '' }, ...authProblems, 404: problem(DOCS ? 'No such comment' : '') },
})

const replyRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/comments/{id}/replies',
  operationId: 'replyAsModerator',
  tag: 'Moderation',
  request: { params: CommentIdParam, body: jsonBody(z.strictObject({ body: z.optional(z.string()) })) },
  responses: {
    201: {
      ...jsonContent(DOCS ? 'The reply' : '', ModCommentSchema),
      headers: { Location: { description: DOCS ? "The reply's public URL, `/api/v1/comments/{id}`" : '', required: true } },
    },
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
    422: problem(DOCS ? 'Invalid body' : ''),
  },
})

const dismissRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/comments/{id}/reports/dismiss',
  operationId: 'dismissReports',
  tag: 'Moderation',
  request: { params: CommentIdParam },
  responses: {
    200: jsonContent(DOCS ? 'How many reports were open' : '', z.object({ dismissed: countSchema() })),
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
  },
})

async function shaped(c: Context<AppEnv>, id: number) {
  const comment = await findModComment(c.env.deps.db, c.env.deps.secrets, id)
  if (!comment) throw commentNotFound()
  return comment
}

export const moderationRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation')
  .openapi(queueRoute, async (c) => {
    const query = c.req.valid('query')
    const cursor = query.cursor ? decodeCursor(query.cursor) : null
    if (cursor === undefined)
      throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' }])
    const { deps } = c.env
    const page = await listQueue(deps.db, deps.secrets, {
      status: query.status,
      reported: query.reported === 'true',
      articleKey: query.article,
      q: query.q,
      cursor,
      limit: query.limit,
      order: query.order,
    })
    return c.json({ comments: page.comments, nextCursor: page.next ? encodeCursor(page.next) : null, counts: page.counts }, 200, {
      'Cache-Control': 'no-store',
    })
  })
  .openapi(bulkRoute, async (c) => {
    const { ids, status } = c.req.valid('json')
    return c.json(await bulkModerate(moderationContext(c), ids, status), 200)
  })
  .openapi(undoRoute, async (c) => {
    return c.json({ reverted: await undoStatusChanges(moderationContext(c), c.req.valid('json').changes) }, 200)
  })
  .openapi(patchRoute, async (c) => {
    const id = parseCommentId(c.req.valid('param').id)
    await moderateComment(moderationContext(c), id, c.req.valid('json'))
    return c.json(await shaped(c, id), 200)
  })
  .openapi(deleteRoute, async (c) => {
    await deleteComment(moderationContext(c), parseCommentId(c.req.valid('param').id))
    return c.body(null, 204)
  })
  .openapi(dismissRoute, async (c) => {
    return c.json({ dismissed: await dismissReports(moderationContext(c), parseCommentId(c.req.valid('param').id)) }, 200)
  })
  .openapi(replyRoute, async (c) => {
    const reply = await replyAsModerator(moderationContext(c), parseCommentId(c.req.valid('param').id), c.req.valid('json').body)
    return c.json(await shaped(c, reply.id), 201, { Location: `/api/v1/comments/${reply.id}` })
  })
