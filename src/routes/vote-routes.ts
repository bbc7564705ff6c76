import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { checkOrigin } from '../http/comment-request.js'
import { clientIp } from '../http/client-ip.js'
import { allowedOrigins } from '../http/origins.js'
import { parseCommentId } from '../http/row-ids.js'
import { newToken } from '../crypto/tokens.js'
import { signedIn } from '../comments/commenter-identity.js'
import { BROWSER_ID_PATTERN, voteOnComment, type Voter } from '../comments/comment-votes.js'
import { CommentIdParam, countSchema, identityInvalid, jsonBody, jsonContent, noStore, problem, retryLater } from './schemas.js'

/** Parley's own first-party cookie: the voter's browser id where the page sends none (a form, a same-site page). */
const VOTER_COOKIE = 'parley_voter'

const voteRoute = createRoute({
  method: 'post',
  path: '/api/v1/comments/{id}/vote',
  operationId: 'voteOnComment',
  tag: 'Comments',
  request: {
    params: CommentIdParam,
    body: jsonBody(
      z.object({
        up: z
          ._default(z.boolean(), true)
          .check(z.describe(DOCS ? '`true` upvotes, `false` takes the vote back; either again changes nothing.' : '')),
        voter: z
          .optional(z.string().check(z.regex(BROWSER_ID_PATTERN)))
          .check(
            z.describe(
              DOCS
                ? "A random id the reader's browser keeps (the widget's, in the page's own storage): with the reader's network, one vote per reader. " +
                    "Absent: Parley's first-party cookie `parley_voter`, set on the answer when missing."
                : '',
            ),
          ),
        identityToken: z
          .optional(z.string().check(z.minLength(1), z.maxLength(8192)))
          .check(z.describe(DOCS ? "The site's signed token for its logged-in reader: one vote per account, wherever they read." : '')),
      }),
    ),
  },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? "The comment's count now, and whether this reader's vote is on it" : '',
        z.object({ votes: countSchema(), voted: z.boolean() }),
      ),
      headers: {
        ...noStore,
        'Set-Cookie': {
          description: DOCS
            ? '`parley_voter`, HttpOnly, a year: set when the request had neither `voter`, `identityToken` nor the cookie'
            : '',
          required: false,
        },
      },
    },
    401: identityInvalid,
    403: problem(DOCS ? "Votes are off (`votes_off`), or the page's origin is not allowed (`forbidden`)" : ''),
    404: problem(DOCS ? 'No such published comment' : ''),
    422: problem(DOCS ? 'Invalid `up`, `voter` or token' : ''),
    429: retryLater(DOCS ? `Too many votes from this network in a minute (\`too_fast\`)` : ''),
  },
})

/** The reader's browser id: the page's, else the cookie's, else a new cookie's. */
function browserId(c: Context<AppEnv>, given: string | undefined): string {
  if (given !== undefined) return given
  const kept = getCookie(c, VOTER_COOKIE)
  if (kept !== undefined && BROWSER_ID_PATTERN.test(kept)) return kept
  const made = newToken()
  setCookie(c, VOTER_COOKIE, made, {
    path: '/api/v1/comments',
    httpOnly: true,
    secure: new URL(c.req.url).protocol === 'https:',
    sameSite: 'Lax',
    maxAge: 365 * 86_400,
  })
  return made
}

export const voteRoutes = new OpenApiRoutes<AppEnv>('/api/v1/comments').openapi(voteRoute, async (c) => {
  const { deps } = c.env
  const loaded = await deps.settings.get(deps.db)
  checkOrigin(c, { allowedOrigins: allowedOrigins(c, loaded.values) })
  const input = c.req.valid('json')
  const now = deps.clock()
  const ip = clientIp(c)
  let voter: Voter
  if (input.identityToken !== undefined) {
    const reader = await signedIn({ identity: deps.identity, settings: loaded.values, now }, input.identityToken)
    voter = { subject: reader.subject }
  } else voter = { ip, browserId: browserId(c, input.voter) }
  const id = parseCommentId(c.req.valid('param').id)
  if (!loaded.values.votes) throw new AppError('votes_off', 'Voting is turned off on this site.')
  const result = await voteOnComment({ db: deps.db, secrets: deps.secrets, now, ip, enabled: true }, id, voter, input.up)
  return c.json(result, 200, { 'Cache-Control': 'no-store' })
})
