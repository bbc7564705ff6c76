import * as z from 'zod'
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.js'
import { ApiError } from '../http/api-error.js'
import { toId } from '../http/request-context.js'
import { logAction } from '../moderation/audit-log.js'
import { WEBHOOK_EVENT_TYPES } from '../webhooks/webhook-events.js'
import { createWebhook, deleteWebhook, listWebhooks } from '../webhooks/webhook-endpoints.js'
import { authProblems, jsonBody, jsonContent, problem } from './schemas.js'
import { validationHook } from './validation-hook.js'

const webhookFields = {
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  includeEmail: z.boolean().openapi({ description: 'Payloads carry the commenter\'s email address' }),
  disabled: z.boolean().openapi({ description: 'The endpoint answered 410 Gone and gets nothing more' }),
  createdAt: z.string(),
}

const WebhookSchema = z.object(webhookFields).openapi('Webhook')

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/webhooks',
  summary: 'Event webhook endpoints (never their secrets)',
  responses: { 200: jsonContent('The endpoints', z.object({ webhooks: z.array(WebhookSchema) })), ...authProblems },
})

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/webhooks',
  summary: 'Add an endpoint: signed with Standard Webhooks, its secret shown only in this answer',
  request: {
    body: jsonBody(z.object({
      url: z.string().max(2000),
      events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1),
      includeEmail: z.boolean().optional(),
    }).strict()),
  },
  responses: {
    201: jsonContent('Created', z.object({ ...webhookFields, secret: z.string().openapi({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) })),
    ...authProblems,
    422: problem('Invalid URL or events, or a private, loopback or link-local target'),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/admin/webhooks/{id}',
  summary: 'Remove an endpoint and its pending deliveries',
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 204: { description: 'Removed' }, ...authProblems, 404: problem('No such endpoint') },
})

const notFound = () => new ApiError(404, 'not_found', 'There is no such webhook.')

export const webhookRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => c.json({ webhooks: await listWebhooks(c.env.deps.db) }, 200, { 'Cache-Control': 'no-store' }))
  .openapi(createWebhookRoute, async (c) => {
    const { deps } = c.env
    const now = deps.clock()
    const policy = { allowPrivate: deps.config.allowPrivateTargets, resolveHost: deps.resolveHost }
    const created = await createWebhook({ db: deps.db, secrets: deps.secrets, policy, now }, c.req.valid('json'))
    await logAction(deps.db, { at: now, moderatorId: c.var.moderator.id, action: 'webhook.create', detail: { webhookId: created.id, events: created.events } })
    return c.json(created, 201, { 'Cache-Control': 'no-store' })
  })
  .openapi(deleteRoute, async (c) => {
    const { deps } = c.env
    const id = toId(c.req.valid('param').id)
    if (id === undefined || !(await deleteWebhook(deps.db, id))) throw notFound()
    await logAction(deps.db, { at: deps.clock(), moderatorId: c.var.moderator.id, action: 'webhook.delete', detail: { webhookId: id } })
    return c.body(null, 204)
  })
