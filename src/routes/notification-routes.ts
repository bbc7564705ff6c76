import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import type { Context } from 'hono'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { named } from '../openapi/schema-names.js'
import { DIGESTS, prefsOf, savePrefs } from '../notifications/notification-prefs.js'
import { mailStats } from '../notifications/mail-stats.js'
import { authProblems, countSchema, jsonBody, jsonContent, noStore, problem } from './schemas.js'

const PrefsSchema = named(
  'NotificationPrefs',
  z.object({
    held: z.boolean().check(z.describe(DOCS ? 'Email me whenever a comment is held for moderation' : '')),
    reported: z.boolean().check(z.describe(DOCS ? 'Email me whenever a reader reports a comment' : '')),
    every: z.boolean().check(z.describe(DOCS ? 'Email me whenever anyone posts a comment (spam aside)' : '')),
    digest: z.enum(DIGESTS).check(z.describe(DOCS ? '`hourly` or `daily`: one email gathering the above instead of one each' : '')),
  }),
)

const NotificationsSchema = named(
  'Notifications',
  z.object({
    mail: z.object({
      enabled: z
        .boolean()
        .check(z.describe(DOCS ? 'False: no transport is configured (SMTP_URL, PARLEY_MAIL_API_KEY) and no email is sent' : '')),
      transport: z
        .nullable(z.string())
        .check(z.describe(DOCS ? 'Where mail goes, e.g. `smtp://mail.example:587` (never credentials)' : '')),
      queued: countSchema(),
      sent: countSchema(),
      failed: countSchema(),
      dropped: countSchema().check(z.describe(DOCS ? 'Emails with nothing left to say when due (the comments were removed)' : '')),
    }),
    prefs: PrefsSchema,
  }),
)

const getRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/notifications',
  operationId: 'getNotifications',
  tag: 'Notifications',
  responses: { 200: { ...jsonContent(DOCS ? 'Preferences and mail status' : '', NotificationsSchema), headers: noStore }, ...authProblems },
})

const putRoute = createRoute({
  method: 'put',
  path: '/api/v1/moderation/notifications',
  operationId: 'setNotifications',
  tag: 'Notifications',
  request: { body: jsonBody(PrefsSchema) },
  responses: {
    200: { ...jsonContent(DOCS ? 'Preferences and mail status' : '', NotificationsSchema), headers: noStore },
    ...authProblems,
    422: problem(DOCS ? 'Invalid body' : ''),
  },
})

/** The moderator's choices and the state of mail, as both routes answer them. */
async function notifications(c: Context<AppEnv>) {
  const { deps } = c.env
  const body = {
    mail: { enabled: deps.mail !== undefined, transport: deps.mail?.describe ?? null, ...(await mailStats(deps.db)) },
    prefs: await prefsOf(deps.db, c.var.moderator.id),
  }
  return c.json(body, 200, { 'Cache-Control': 'no-store' })
}

export const notificationRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation')
  .openapi(getRoute, (c) => notifications(c))
  .openapi(putRoute, async (c) => {
    const { deps } = c.env
    await savePrefs(deps.db, c.var.moderator.id, c.req.valid('json'), deps.clock())
    return notifications(c)
  })
