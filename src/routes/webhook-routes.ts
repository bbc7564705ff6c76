import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { named } from '../openapi/schema-names.js'
import { AppError } from '../errors.js'
import { toId } from '../http/row-ids.js'
import { logAction } from '../audit/audit-log.js'
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.js'
import { createWebhook, deleteWebhook, listWebhooks } from '../webhooks/webhook-endpoints.js'
import { RowIdParam, authProblems, dateTimeSchema, idSchema, jsonBody, jsonContent, noStore, problem, urlText } from './schemas.js'

const webhookFields = {
  id: idSchema(),
  // No `format: uri` here: the endpoint is kept as the admin wrote it (any URL the fetch API takes).
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  includeEmail: z.boolean().check(z.describe(DOCS ? "Payloads carry the commenter's email address" : '')),
  disabled: z.boolean().check(z.describe(DOCS ? 'The endpoint answered 410 Gone and gets nothing more' : '')),
  createdAt: dateTimeSchema(),
}

const WebhookSchema = named('Webhook', z.object(webhookFields))

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/webhooks',
  operationId: 'listWebhooks',
  tag: 'Webhooks',
  responses: {
    200: { ...jsonContent(DOCS ? 'The endpoints' : '', z.object({ webhooks: z.array(WebhookSchema) })), headers: noStore },
    ...authProblems,
  },
})

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/webhooks',
  operationId: 'createWebhook',
  tag: 'Webhooks',
  request: {
    body: jsonBody(
      z.strictObject({
        url: urlText().check(z.maxLength(2000)),
        events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1)),
        includeEmail: z.optional(z.boolean()),
      }),
    ),
  },
  responses: {
    201: {
      ...jsonContent(
        DOCS ? 'Created' : '',
        z.object({ ...webhookFields, secret: z.string().check(z.meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })) }),
      ),
      headers: noStore,
    },
    ...authProblems,
    422: problem(DOCS ? 'Invalid URL or events, or a private, loopback or link-local target' : ''),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/admin/webhooks/{id}',
  operationId: 'deleteWebhook',
  tag: 'Webhooks',
  request: { params: RowIdParam },
  responses: { 204: { description: DOCS ? 'Removed' : '' }, ...authProblems, 404: problem(DOCS ? 'No such endpoint' : '') },
})

const notFound = () => new AppError('not_found', 'There is no such webhook.')

export const webhookRoutes = new OpenApiRoutes<AppEnv>('/api/v1/admin')
  .openapi(listRoute, async (c) => c.json({ webhooks: await listWebhooks(c.env.deps.db) }, 200, { 'Cache-Control': 'no-store' }))
  .openapi(createWebhookRoute, async (c) => {
    const { deps } = c.env
    const now = deps.clock()
    const policy = { allowPrivate: deps.config.allowPrivateTargets, resolveHost: deps.resolveHost }
    const created = await createWebhook({ db: deps.db, secrets: deps.secrets, policy, now }, c.req.valid('json'))
    await logAction(deps.db, {
      at: now,
      moderatorId: c.var.moderator.id,
      action: 'webhook.create',
      detail: { webhookId: created.id, events: created.events },
    })
    return c.json(created, 201, { 'Cache-Control': 'no-store' })
  })
  .openapi(deleteRoute, async (c) => {
    const { deps } = c.env
    const id = toId(c.req.valid('param').id)
    if (id === undefined || !(await deleteWebhook(deps.db, id))) throw notFound()
    await logAction(deps.db, { at: deps.clock(), moderatorId: c.var.moderator.id, action: 'webhook.delete', detail: { webhookId: id } })
    return c.body(null, 204)
  })
