import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { commentNotFound, validationError } from '../errors.js'
import { parseCommentId } from '../http/row-ids.js'
import { decodeCursor, encodeCursor } from '../comments/thread-shape.js'
import { commenterHistory } from '../moderation/commenter-history.js'
import { NOTE_MAX, addNote, removeNote } from '../moderation/commenter-notes.js'
import { moderationContext } from './moderation-routes.js'
import { AppError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { named } from '../openapi/schema-names.js'
import {
  CommentIdParam,
  ModCommentSchema,
  RowIdParam,
  jsonBody,
  authProblems,
  countSchema,
  dateTimeSchema,
  idSchema,
  jsonContent,
  noStore,
  problem,
} from './schemas.js'
import { COMMENTER_RULE_KINDS } from '../db/schema.js'

const NoteSchema = named(
  'CommenterNote',
  z.object({
    id: idSchema(),
    body: z.string(),
    createdAt: dateTimeSchema(),
    by: z
      .nullable(z.object({ id: idSchema(), name: z.string() }))
      .check(z.describe(DOCS ? 'The moderator who wrote it; null once their account is gone' : '')),
  }),
)

const addNoteRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/comments/{id}/commenter/notes',
  operationId: 'addCommenterNote',
  tag: 'Moderation',
  request: {
    params: CommentIdParam,
    body: jsonBody(
      z.strictObject({ body: z.string().check(z.describe(DOCS ? `The note: 1 to ${NOTE_MAX} characters once trimmed` : '')) }),
    ),
  },
  responses: {
    201: jsonContent(DOCS ? 'The note' : '', NoteSchema),
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
    422: problem(DOCS ? 'An empty or too long note, or a comment without an email or account to keep a note on' : ''),
  },
})

const removeNoteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/moderation/commenter-notes/{id}',
  operationId: 'removeCommenterNote',
  tag: 'Moderation',
  request: { params: RowIdParam },
  responses: { 204: { description: DOCS ? 'Removed' : '' }, ...authProblems, 404: problem(DOCS ? 'No such note' : '') },
})

const historyRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/comments/{id}/commenter',
  operationId: 'getCommenter',
  tag: 'Moderation',
  request: {
    params: CommentIdParam,
    query: z.object({
      cursor: z.optional(z.string().check(z.maxLength(64))),
      limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
    }),
  },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? 'The commenter and a page of their comments' : '',
        z.object({
          commenter: z.object({
            name: z.string().check(z.describe(DOCS ? 'The name on the comment asked about' : '')),
            verified: z.boolean(),
            matchedBy: z.enum(['account', 'email', 'comment']),
            counts: z.object({ pending: countSchema(), approved: countSchema(), spam: countSchema(), trash: countSchema() }),
            firstCommentAt: dateTimeSchema(),
            lastCommentAt: dateTimeSchema(),
            rules: z
              .array(
                z.object({
                  id: idSchema(),
                  kind: z.enum(COMMENTER_RULE_KINDS),
                  action: z.enum(['ban', 'trust']),
                  reason: z.nullable(z.string()),
                }),
              )
              .check(
                z.describe(DOCS ? 'The bans and trust in force that the commenter meets (`GET …/commenter-rules` lists them all)' : ''),
              ),
            notes: z.array(NoteSchema).check(z.describe(DOCS ? "Moderators' private notes on the commenter, oldest first" : '')),
          }),
          comments: z.array(ModCommentSchema),
          nextCursor: z.nullable(z.string()),
        }),
      ),
      headers: noStore,
    },
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
    422: problem(DOCS ? 'Invalid cursor or limit' : ''),
  },
})

export const commenterRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation')
  .openapi(addNoteRoute, async (c) => {
    const note = await addNote(moderationContext(c), parseCommentId(c.req.valid('param').id), c.req.valid('json').body)
    return c.json(note, 201)
  })
  .openapi(removeNoteRoute, async (c) => {
    const id = toId(c.req.valid('param').id)
    if (id === undefined) throw new AppError('not_found', 'No such note.')
    await removeNote(moderationContext(c), id)
    return c.body(null, 204)
  })
  .openapi(historyRoute, async (c) => {
    const query = c.req.valid('query')
    const cursor = query.cursor ? decodeCursor(query.cursor) : null
    if (cursor === undefined)
      throw validationError([{ field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' }])
    const { deps } = c.env
    const history = await commenterHistory(deps.db, deps.secrets, parseCommentId(c.req.valid('param').id), {
      limit: query.limit,
      cursor,
      now: deps.clock(),
    })
    if (!history) throw commentNotFound()
    return c.json(
      {
        commenter: (({ kinds: _kinds, ...commenter }) => commenter)(history.commenter),
        comments: history.comments,
        nextCursor: history.next ? encodeCursor(history.next) : null,
      },
      200,
      { 'Cache-Control': 'no-store' },
    )
  })
