import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { COMMENTER_RULE_KINDS } from '../db/schema.js'
import { addRule, listRules, removeRule } from '../moderation/commenter-rules.js'
import { moderationContext } from './moderation-routes.js'
import { RowIdParam, authProblems, dateTimeSchema, idSchema, jsonBody, jsonContent, noStore, problem } from './schemas.js'
import { toId } from '../http/row-ids.js'
import { AppError, validationError } from '../errors.js'

const RuleSchema = z.object({
  id: idSchema(),
  kind: z.enum(COMMENTER_RULE_KINDS),
  action: z.enum(['ban', 'trust']),
  value: z
    .nullable(z.string())
    .check(z.describe(DOCS ? 'The email, address, network or domain; null for an account (its name is the label)' : '')),
  label: z.nullable(z.string()).check(z.describe(DOCS ? "The commenter's name when the rule was made from a comment" : '')),
  reason: z.nullable(z.string()),
  expiresAt: z.nullable(dateTimeSchema()),
  createdAt: dateTimeSchema(),
  createdBy: z.nullable(z.object({ id: idSchema(), name: z.string() })),
})

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/moderation/commenter-rules',
  operationId: 'listCommenterRules',
  tag: 'Moderation',
  responses: {
    200: { ...jsonContent(DOCS ? 'Every rule, bans first' : '', z.object({ rules: z.array(RuleSchema) })), headers: noStore },
    ...authProblems,
  },
})

const addRoute = createRoute({
  method: 'post',
  path: '/api/v1/moderation/commenter-rules',
  operationId: 'addCommenterRule',
  tag: 'Moderation',
  request: {
    body: jsonBody(
      z.strictObject({
        action: z.enum(['ban', 'trust']),
        kind: z.enum(COMMENTER_RULE_KINDS),
        commentId: z.optional(idSchema()).check(z.describe(DOCS ? 'One of their comments (required for `account`)' : '')),
        value: z
          .optional(z.string().check(z.maxLength(320)))
          .check(z.describe(DOCS ? 'Else the email, IP address, network or domain' : '')),
        reason: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
        expiresAt: z.optional(z.nullable(dateTimeSchema().check(z.maxLength(40)))).check(z.describe(DOCS ? 'None: until removed' : '')),
      }),
    ),
  },
  responses: {
    201: jsonContent(DOCS ? 'The rule (replacing the commenter’s earlier one of this kind)' : '', z.object({ rule: RuleSchema })),
    ...authProblems,
    404: problem(DOCS ? 'No such comment' : ''),
    422: problem(DOCS ? 'A value that is not of its kind, a comment without it, or an expiry in the past' : ''),
  },
})

const removeRoute = createRoute({
  method: 'delete',
  path: '/api/v1/moderation/commenter-rules/{id}',
  operationId: 'removeCommenterRule',
  tag: 'Moderation',
  request: { params: RowIdParam },
  responses: { 204: { description: DOCS ? 'Removed' : '' }, ...authProblems, 404: problem(DOCS ? 'No such rule' : '') },
})

export const commenterRuleRoutes = new OpenApiRoutes<AppEnv>('/api/v1/moderation')
  .openapi(listRoute, async (c) => {
    const { deps } = c.env
    return c.json({ rules: await listRules(deps.db, deps.secrets) }, 200, { 'Cache-Control': 'no-store' })
  })
  .openapi(addRoute, async (c) => {
    const body = c.req.valid('json')
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null
    if (expiresAt && Number.isNaN(expiresAt.getTime()))
      throw validationError([{ field: 'expiresAt', code: 'invalid_value', message: 'Give the expiry as an ISO 8601 date and time.' }])
    const rule = await addRule(moderationContext(c), { ...body, expiresAt })
    return c.json({ rule }, 201)
  })
  .openapi(removeRoute, async (c) => {
    const id = toId(c.req.valid('param').id)
    if (id === undefined) throw new AppError('not_found', 'There is no such ban or trust.')
    await removeRule(moderationContext(c), id)
    return c.body(null, 204)
  })
