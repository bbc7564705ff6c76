import * as z from 'zod'
import { type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.js'

const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } })

/** Documents POST /comment-form, which answers pages and redirects rather than JSON. */
export function documentCommentForm(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/comment-form',
    summary: 'The no-JavaScript target of WordPress\'s own comment form',
    description: 'Same rules as the JSON submission. Success: 303 to `redirect_to` (allowed origins only) or the article\'s URL, ending `#comment-{id}`, with `?unapproved={id}&moderation-hash={hash}` while held.',
    request: {
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              comment: z.string(),
              author: z.string().optional(),
              email: z.string().optional(),
              url: z.string().optional(),
              comment_post_ID: z.string().openapi({ description: 'The article key' }),
              comment_parent: z.string().optional().openapi({ description: '0 for none' }),
              redirect_to: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: htmlPage('Received, and no allowed page to return to'),
      303: { description: 'Back to the article' },
      403: htmlPage('Closed, or posted from another origin'),
      409: htmlPage('Duplicate comment'),
      415: htmlPage('Not a form'),
      422: htmlPage('WordPress\'s message for a missing or invalid field'),
      429: htmlPage('Posting too quickly'),
    },
  })
}
