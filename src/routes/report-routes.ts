import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { checkOrigin, commentContext } from '../http/comment-request.js'
import { parseCommentId } from '../http/row-ids.js'
import { REPORT_NOTE_MAX, REPORT_REASONS, reportComment } from '../moderation/reader-reports.js'
import { CommentIdParam, jsonBody, problem, retryLater } from './schemas.js'

const reportRoute = createRoute({
  method: 'post',
  path: '/api/v1/comments/{id}/reports',
  operationId: 'reportComment',
  tag: 'Comments',
  request: {
    params: CommentIdParam,
    body: jsonBody(
      z.object({
        reason: z.enum(REPORT_REASONS),
        note: z
          .optional(z.string().check(z.maxLength(REPORT_NOTE_MAX)))
          .check(
            z.describe(
              DOCS
                ? `What the reader wants the moderators to know: at most ${REPORT_NOTE_MAX} characters (a longer one is refused, \`too_long\`, never cut)`
                : '',
            ),
          ),
      }),
    ),
  },
  responses: {
    202: { description: DOCS ? 'Received; the comment stays as it is and appears in the reported queue' : '' },
    403: problem(
      DOCS ? 'Sent from a page whose origin is not allowed (`forbidden`): a browser on another site reporting for its reader' : '',
    ),
    404: problem(DOCS ? 'No such published comment' : ''),
    422: problem(DOCS ? 'Invalid reason, or a note longer than 2,000 characters' : ''),
    429: retryLater(DOCS ? 'Too many reports from this network (`too_fast`)' : ''),
  },
})

export const reportRoutes = new OpenApiRoutes<AppEnv>('/api/v1/comments').openapi(reportRoute, async (c) => {
  const ctx = await commentContext(c)
  checkOrigin(c, ctx)
  const { reason, note } = c.req.valid('json')
  await reportComment(ctx, parseCommentId(c.req.valid('param').id), reason, note)
  return c.body(null, 202)
})
