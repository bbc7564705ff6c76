import { validationError } from '../errors.js'
import { DOCS } from '../docs-flag.js'
import * as z from 'zod/mini'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { exportPersonalData, erasePersonalData } from '../privacy/privacy-requests.js'
import {
  ModCommentSchema,
  authProblems,
  countSchema,
  dateTimeSchema,
  idSchema,
  emailText,
  jsonBody,
  jsonContent,
  noStore,
  problem,
} from './schemas.js'

// Any text with an @: imported comments may carry addresses WordPress's rules would refuse today.
const emailSchema = emailText().check(z.trim(), z.minLength(3), z.maxLength(320), z.regex(/@/, 'must be an email address'))

// The site's account id of a signed-in reader (the `sub` of its identity tokens), as the site knows it.
const subjectSchema = z.string().check(z.minLength(1), z.maxLength(255))

/** A person's data request names them by email, by account, or both (a reader who signed in and also posted as a guest). */
function dataSubject(who: { email?: string | undefined; subject?: string | undefined }) {
  if (who.email === undefined && who.subject === undefined)
    throw validationError([{ field: 'email', code: 'required', message: 'Give an email address, an account (subject), or both.' }])
  return { email: who.email ?? null, subject: who.subject ?? null }
}

const NotificationRecordSchema = z.object({
  confirmedAt: z.nullable(dateTimeSchema()),
  bouncedAt: z.nullable(dateTimeSchema()),
  optedOutAt: z
    .nullable(dateTimeSchema())
    .check(z.describe(DOCS ? '"Stop all comment emails": nothing, confirmations included, is sent' : '')),
  subscriptions: z.array(
    z.object({
      kind: z
        .enum(['thread', 'approval'])
        .check(z.describe(DOCS ? '`thread`: follow-up comments on the article; `approval`: one held comment approved' : '')),
      articleKey: z.string(),
      commentId: z.nullable(idSchema()),
      since: dateTimeSchema(),
      confirmedAt: z.nullable(dateTimeSchema()).check(z.describe(DOCS ? "Null: waiting for the address's owner to confirm it" : '')),
    }),
  ),
})

const exportRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/privacy/export',
  operationId: 'exportPersonalData',
  tag: 'Privacy',
  request: { query: z.object({ email: z.optional(emailSchema), subject: z.optional(subjectSchema) }) },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? 'Their comments, oldest first, and their email notifications (null: the address never asked for any)' : '',
        z.object({
          email: z.nullable(z.string()),
          subject: z.nullable(z.string()),
          comments: z.array(ModCommentSchema),
          notifications: z.nullable(NotificationRecordSchema),
          commenterRules: z
            .array(
              z.object({
                kind: z.enum(['email', 'account']),
                action: z.enum(['ban', 'trust']),
                reason: z.nullable(z.string()),
                expiresAt: z.nullable(dateTimeSchema()),
                createdAt: dateTimeSchema(),
              }),
            )
            .check(z.describe(DOCS ? 'Bans and trust made by their email or account' : '')),
          moderatorNotes: z
            .array(z.object({ body: z.string(), createdAt: dateTimeSchema() }))
            .check(z.describe(DOCS ? "Moderators' private notes on them (who wrote each is not given)" : '')),
          votes: countSchema().check(
            z.describe(
              DOCS
                ? "Upvotes they gave signed in (asked by `subject`); a guest's votes are keyed by network and browser, which no request names"
                : '',
            ),
          ),
        }),
      ),
      headers: noStore,
    },
    ...authProblems,
    422: problem(DOCS ? 'Neither an email address nor a subject' : ''),
  },
})

const eraseRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/privacy/erase',
  operationId: 'erasePersonalData',
  tag: 'Privacy',
  request: { body: jsonBody(z.strictObject({ email: z.optional(emailSchema), subject: z.optional(subjectSchema) })) },
  responses: {
    200: jsonContent(
      DOCS
        ? "How many comments were anonymized, whether email notifications were removed, how many bans or trust by their email or account and moderators' notes on them were removed"
        : '',
      z.object({
        erased: countSchema(),
        notifications: z.boolean(),
        commenterRules: countSchema(),
        moderatorNotes: countSchema(),
        votes: countSchema().check(z.describe(DOCS ? 'Upvotes they gave signed in, taken back (asked by `subject`)' : '')),
      }),
    ),
    ...authProblems,
    422: problem(DOCS ? 'Neither an email address nor a subject' : ''),
  },
})

export const privacyRoutes = new OpenApiRoutes<AppEnv>('/api/v1/admin')
  .openapi(exportRoute, async (c) => {
    const { deps } = c.env
    const who = dataSubject(c.req.valid('query'))
    const found = await exportPersonalData(deps.db, deps.secrets, who, { moderatorId: c.var.moderator.id, now: deps.clock() })
    return c.json({ ...who, ...found }, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(eraseRoute, async (c) => {
    const { deps } = c.env
    const result = await erasePersonalData(deps.db, deps.secrets, dataSubject(c.req.valid('json')), {
      moderatorId: c.var.moderator.id,
      now: deps.clock(),
    })
    return c.json(
      {
        erased: result.comments,
        notifications: result.notifications,
        commenterRules: result.commenterRules,
        moderatorNotes: result.moderatorNotes,
        votes: result.votes,
      },
      200,
    )
  })
