import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { AppError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { filterWebhookSchema, settingsPatchSchema, settingsSchema } from '../settings/settings-schema.js'
import { named } from '../openapi/schema-names.js'
import { changeSettings } from '../settings/change-settings.js'
import { listModerators, toModeratorView } from '../auth/moderator-store.js'
import { addModerator, changeModerator } from '../auth/manage-moderators.js'
import { ModeratorSchema, RowIdParam, authProblems, emailText, jsonBody, jsonContent, noStore, problem } from './schemas.js'

const SettingsSchema = named('Settings', settingsSchema)

// The filter's signing secret is shown once, in the answer to the change that set the filter.
const changedSettingsSchema = z.object({
  ...settingsSchema.shape,
  filterWebhook: z.nullable(
    z.object({
      ...filterWebhookSchema.shape,
      secret: z.optional(
        z.string().check(
          z.meta({
            description: DOCS ? "The filter's signing secret (`whsec_…`), shown only now" : '',
            example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          }),
        ),
      ),
    }),
  ),
})

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/settings',
  operationId: 'getSettings',
  tag: 'Admin',
  responses: {
    200: { ...jsonContent(DOCS ? "The settings (never the filter's secret)" : '', SettingsSchema), headers: noStore },
    ...authProblems,
  },
})

const patchSettingsRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/settings',
  operationId: 'changeSettings',
  tag: 'Admin',
  request: { body: jsonBody(settingsPatchSchema) },
  responses: {
    200: jsonContent(
      DOCS ? 'The whole settings object; `filterWebhook.secret` only in the answer to the change that set the filter' : '',
      changedSettingsSchema,
    ),
    ...authProblems,
    422: problem(DOCS ? 'Invalid value or unknown key' : ''),
  },
})

const listModeratorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/moderators',
  operationId: 'listModerators',
  tag: 'Admin',
  responses: { 200: jsonContent(DOCS ? 'The moderators' : '', z.object({ moderators: z.array(ModeratorSchema) })), ...authProblems },
})

const roleSchema = z.enum(['admin', 'moderator'])

const createModeratorRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/moderators',
  operationId: 'createModerator',
  tag: 'Admin',
  request: {
    body: jsonBody(
      z.strictObject({
        email: emailText().check(z.maxLength(320)),
        name: z.string().check(z.maxLength(1000)),
        role: roleSchema,
        password: z.string().check(z.maxLength(1024)),
      }),
    ),
  },
  responses: {
    201: jsonContent(DOCS ? 'Created' : '', z.object({ moderator: ModeratorSchema })),
    ...authProblems,
    422: problem(DOCS ? 'Invalid or unknown field, or the email taken' : ''),
  },
})

const updateModeratorRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/moderators/{id}',
  operationId: 'changeModerator',
  tag: 'Admin',
  request: {
    params: RowIdParam,
    body: jsonBody(
      z.strictObject({
        email: z.optional(emailText().check(z.maxLength(320))),
        name: z.optional(z.string().check(z.maxLength(1000))),
        role: z.optional(roleSchema),
        disabled: z.optional(z.boolean()),
        password: z.optional(z.string().check(z.maxLength(1024))),
      }),
    ),
  },
  responses: {
    200: jsonContent(DOCS ? 'Changed' : '', z.object({ moderator: ModeratorSchema })),
    ...authProblems,
    404: problem(DOCS ? 'No such moderator' : ''),
    422: problem(DOCS ? 'Invalid change' : ''),
  },
})

export const adminRoutes = new OpenApiRoutes<AppEnv>('/api/v1/admin')
  .openapi(getSettingsRoute, async (c) => {
    c.env.deps.settings.invalidate()
    return c.json((await c.env.deps.settings.get(c.env.deps.db)).values, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(patchSettingsRoute, async (c) => {
    const { values, filterSecret } = await changeSettings(c.env.deps, c.var.moderator.id, c.req.valid('json'))
    // The filter's secret is shown once, in the answer to the change that made it.
    const shown =
      filterSecret && values.filterWebhook ? { ...values, filterWebhook: { ...values.filterWebhook, secret: filterSecret } } : values
    return c.json(shown, 200)
  })
  .openapi(listModeratorsRoute, async (c) => c.json({ moderators: (await listModerators(c.env.deps.db)).map(toModeratorView) }, 200))
  .openapi(createModeratorRoute, async (c) => {
    const row = await addModerator(c.env.deps, c.var.moderator.id, c.req.valid('json'))
    return c.json({ moderator: toModeratorView(row) }, 201)
  })
  .openapi(updateModeratorRoute, async (c) => {
    const id = toId(c.req.valid('param').id)
    if (id === undefined) throw new AppError('not_found', 'There is no such moderator.')
    const after = await changeModerator(c.env.deps, c.var.moderator.id, id, c.req.valid('json'))
    return c.json({ moderator: toModeratorView(after) }, 200)
  })
