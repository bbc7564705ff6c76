import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { createRoute, type ResponseConfig } from '../openapi/openapi-routes.js'

const page = (description: string): ResponseConfig => ({
  description,
  headers: { 'Cache-Control': { description: DOCS ? '`no-store`' : '', required: true } },
  content: { 'text/html': { schema: z.string() } },
})

const token = z.object({ t: z.string().check(z.describe(DOCS ? 'The signed token from the email' : '')) })

const uses = {
  act: {
    what: "A moderator's one-click decision from a notification email (Approve, Spam or Trash one comment)",
    post: 'Does it, audit-logged as the moderator the link was made for. Single-use; expires after 7 days.',
  },
  confirm: {
    what: "A reader's confirmation of their address (double opt-in)",
    post: 'Confirms it: emails the reader asked for may now be sent, again after a bounce. Expires after 7 days.',
  },
  unsubscribe: {
    what: "A reader's unsubscription, from one article's emails or from all",
    post:
      'Unsubscribes. This is the `List-Unsubscribe` URL with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mail ' +
      'client POSTs `List-Unsubscribe=One-Click` to it as it is, token in the query. Never expires.',
  },
} as const

/** The emailed links (src/routes/mail-link-routes.ts), as the document tells them: pages, not JSON. */
export const mailLinkDocs = (Object.keys(uses) as (keyof typeof uses)[]).flatMap((use) => [
  createRoute({
    method: 'get',
    path: `/mail/${use}`,
    operationId: `${use}MailLinkPage`,
    tag: 'Notifications',
    summary: `${uses[use].what}: what it will do`,
    description: DOCS ? 'Changes nothing (mail scanners prefetch links): a page with one button, whose form POSTs the token back.' : '',
    request: { query: token },
    responses: {
      200: page('The confirm page'),
      404: page('Not a link Parley made for this use'),
      410: page("Expired, or (a moderation link) used already, or its moderator's account is disabled"),
    },
  }),
  createRoute({
    method: 'post',
    path: `/mail/${use}`,
    operationId: `${use}MailLink`,
    tag: 'Notifications',
    summary: `${uses[use].what}: do it`,
    description: DOCS
      ? `${uses[use].post} The token comes in the query or as the form field \`t\`; it is the only credential (no session, no cookie).`
      : '',
    request: {
      query: z.object({ t: z.optional(z.string()) }),
      body: {
        required: false,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ t: z.optional(z.string()), 'List-Unsubscribe': z.optional(z.string()) }),
          },
          'multipart/form-data': { schema: z.object({ 'List-Unsubscribe': z.optional(z.string()) }) },
        },
      },
    },
    responses: {
      200: page('Done'),
      400: page('A form body that cannot be read'),
      404: page('Not a link Parley made for this use'),
      410: page('Expired, used already, or what it was about is gone'),
      413: page('A body over 1 MiB'),
    },
  }),
])
