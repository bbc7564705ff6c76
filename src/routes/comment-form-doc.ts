import * as z from 'zod/mini'
import { createRoute } from '../openapi/openapi-routes.js'

const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } })

/** POST /comment-form, which answers pages and redirects rather than JSON, as the document tells it. */
export const commentFormDoc = createRoute({
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
            author: z.optional(z.string()),
            email: z.optional(z.string()),
            url: z.optional(z.string()),
            comment_post_ID: z.string().check(z.describe('The article key')),
            comment_parent: z.optional(z.string()).check(z.describe('0 for none')),
            redirect_to: z.optional(z.string()),
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
