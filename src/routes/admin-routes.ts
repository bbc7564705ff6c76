import * as z from 'zod/mini'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { ApiError, validationError } from '../http/api-error.js'
import { toId } from '../http/request-context.js'
import type { Deps } from '../deps.js'
import { refuseTarget } from '../webhooks/target-guard.js'
import { newWebhookSecret } from '../webhooks/webhook-signing.js'
import { settingsPatchSchema, settingsSchema, type Settings } from '../settings/settings-schema.js'
import { createModerator, listModerators, toModeratorView, updateModerator } from '../auth/moderator-accounts.js'
import { logAction } from '../moderation/audit-log.js'
import { ModeratorSchema, authProblems, jsonBody, jsonContent, problem } from './schemas.js'

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/settings',
  summary: 'The site\'s settings',
  responses: { 200: jsonContent('The settings', settingsSchema), ...authProblems },
})

const patchSettingsRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/settings',
  summary: 'Change some settings (an unknown key is a 422)',
  request: { body: jsonBody(settingsPatchSchema) },
  responses: { 200: jsonContent('The whole settings object', settingsSchema), ...authProblems, 422: problem('Invalid value or unknown key') },
})

const listModeratorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/moderators',
  summary: 'Every moderator account',
  responses: { 200: jsonContent('The moderators', z.object({ moderators: z.array(ModeratorSchema) })), ...authProblems },
})

const roleSchema = z.enum(['admin', 'moderator'])

const createModeratorRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/moderators',
  summary: 'Create a moderator (password 8-128 characters)',
  request: { body: jsonBody(z.object({ email: z.string().check(z.maxLength(320)), name: z.string().check(z.maxLength(1000)), role: roleSchema, password: z.string().check(z.maxLength(1024)) })) },
  responses: { 201: jsonContent('Created', z.object({ moderator: ModeratorSchema })), ...authProblems, 422: problem('Invalid field or email taken') },
})

const updateModeratorRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/moderators/{id}',
  summary: 'Change a moderator; a new password or disabling ends their sessions',
  request: {
    params: z.object({ id: z.string() }),
    body: jsonBody(z.strictObject({ name: z.optional(z.string().check(z.maxLength(1000))), role: z.optional(roleSchema), disabled: z.optional(z.boolean()), password: z.optional(z.string().check(z.maxLength(1024))) })),
  },
  responses: { 200: jsonContent('Changed', z.object({ moderator: ModeratorSchema })), ...authProblems, 404: problem('No such moderator'), 422: problem('Invalid change') },
})

/**
 * The filter webhook's secret after a settings change: a new one when the filter is set up or
 * moves to another URL, none when it is removed, unchanged otherwise. Its URL must be a public
 * http(s) target.
 */
async function filterSecretChange(deps: Deps, hook: Settings['filterWebhook'] | undefined): Promise<{ sealed: string | null; plain?: string } | undefined> {
  if (hook === undefined) return undefined
  if (hook === null) return { sealed: null }
  const refused = await refuseTarget(hook.url, { allowPrivate: deps.config.allowPrivateTargets, resolveHost: deps.resolveHost })
  if (refused) throw validationError([{ field: 'filterWebhook.url', code: 'invalid_url', message: `The filter URL cannot be used: ${refused}.` }])
  const current = await deps.settings.get(deps.db)
  if (current.values.filterWebhook?.url === hook.url && current.filterSecretSealed) return undefined
  const plain = newWebhookSecret()
  return { sealed: await deps.secrets.seal(plain), plain }
}

/** What changed between two settings objects, key by key. */
function settingsDiff(before: Settings, after: Settings): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {}
  for (const key of Object.keys(after) as (keyof Settings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) diff[key] = { from: before[key], to: after[key] }
  }
  return diff
}

export const adminRoutes = new OpenApiRoutes<AppEnv>()
  .openapi(getSettingsRoute, async (c) => {
    c.env.deps.settings.invalidate()
    return c.json((await c.env.deps.settings.get(c.env.deps.db)).values, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(patchSettingsRoute, async (c) => {
    const { deps } = c.env
    const patch = c.req.valid('json')
    const secret = await filterSecretChange(c.env.deps, patch.filterWebhook)
    const after = await deps.db.transaction(async (tx) => {
      const { before, loaded } = await deps.settings.update(tx, patch, secret?.sealed)
      const diff = settingsDiff(before, loaded.values)
      if (Object.keys(diff).length > 0) {
        await logAction(tx, { at: deps.clock(), moderatorId: c.var.moderator.id, action: 'settings', detail: diff })
      }
      return loaded.values
    })
    // The filter's secret is shown once, in the answer to the change that made it.
    const shown = secret?.plain && after.filterWebhook ? { ...after, filterWebhook: { ...after.filterWebhook, secret: secret.plain } } : after
    return c.json(shown, 200)
  })
  .openapi(listModeratorsRoute, async (c) => c.json({ moderators: (await listModerators(c.env.deps.db)).map(toModeratorView) }, 200))
  .openapi(createModeratorRoute, async (c) => {
    const { deps } = c.env
    // The account and its log entry commit together.
    const row = await deps.db.transaction(async (tx) => {
      const created = await createModerator(tx, deps.passwords, c.req.valid('json'))
      await logAction(tx, { at: deps.clock(), moderatorId: c.var.moderator.id, action: 'moderator.create', to: created.role, detail: { moderatorId: created.id } })
      return created
    })
    return c.json({ moderator: toModeratorView(row) }, 201)
  })
  .openapi(updateModeratorRoute, async (c) => {
    const { deps } = c.env
    const id = toId(c.req.valid('param').id)
    if (id === undefined) throw new ApiError(404, 'not_found', 'There is no such moderator.')
    const change = c.req.valid('json')
    const after = await deps.db.transaction(async (tx) => {
      const { before, after: changed } = await updateModerator(tx, deps.passwords, id, change)
      await logAction(tx, {
        at: deps.clock(),
        moderatorId: c.var.moderator.id,
        action: 'moderator.update',
        from: before.disabled ? 'disabled' : before.role,
        to: changed.disabled ? 'disabled' : changed.role,
        detail: { moderatorId: changed.id, ...(change.name === undefined ? {} : { name: changed.name }), ...(change.password === undefined ? {} : { passwordChanged: true }) },
      })
      return changed
    })
    return c.json({ moderator: toModeratorView(after) }, 200)
  })
