import type * as core from 'zod/v4/core'
import type { ModeratorRole } from '../db/schema.js'
import type { ResponseConfig, RouteDoc } from '../openapi/openapi-routes.js'
import { moderatorSecurity } from '../openapi/security-schemes.js'
import { problems } from './schemas.js'

/** The guards app.ts's route table puts in front of a group's routes, as the document tells them. */
export interface GroupGuards {
  /** Every route needs a signed-in moderator of at least this role (`requireRole`). */
  role?: ModeratorRole
  /** Writes take a JSON body under 1 MiB, refused with 400/413/415 otherwise. */
  jsonBody?: boolean
}

/** Checks that only describe (`z.describe`, `z.meta`): they refuse nothing. */
const describing = new Set(['describe', 'meta'])

/** Whether text can fail this schema: only if it is not plain text, or carries a check that can fail. */
function refusesText(schema: core.$ZodType): boolean {
  const def = schema._zod.def
  if (def.type === 'optional') return refusesText((def as core.$ZodOptionalDef).innerType)
  if (def.type !== 'string') return true
  return (def.checks ?? []).some((check) => !describing.has(check._zod.def.check))
}

/**
 * Whether a route's validation can answer 422. Path parameters and headers always arrive as text,
 * so an object of unchecked strings (a comment's `{id}`, whose rule answers 404 for anything that
 * cannot be an id) never fails; a query can (a repeated parameter arrives as a list), and so can a
 * JSON body (not an object). A streamed body is not validated up front.
 */
const validates = (route: RouteDoc) => {
  const { params, query, headers, body } = route.request ?? {}
  const textRefused = (schema: core.$ZodType | undefined) => {
    if (!schema) return false
    const def = schema._zod.def
    return def.type !== 'object' || Object.values((def as core.$ZodObjectDef).shape).some(refusesText)
  }
  return Boolean(query) || textRefused(params) || textRefused(headers) || Boolean(body && !body.streamed)
}

/**
 * A route as the whole app answers it: what the guards of its group in app.ts add to the route's own responses
 * (the body guards' 400/413/415 on API writes, the role guards' security and 401/403, the
 * validation's 422, the error handler's 500 and 503). Where a route documents a status itself,
 * its own description stands.
 */
export function withGuards(route: RouteDoc, { role, jsonBody = false }: GroupGuards): RouteDoc {
  const jsonWrite = jsonBody && ['post', 'put', 'patch'].includes(route.method)
  const added: Record<number, ResponseConfig> = { 500: problems.internalError }
  if (jsonWrite) Object.assign(added, { 400: problems.malformedJson, 413: problems.payloadTooLarge, 415: problems.unsupportedMediaType })
  if (role) Object.assign(added, { 401: problems.unauthenticated, 403: problems.forbidden })
  if (validates(route)) added[422] = problems.invalidRequest
  if (route.database !== false) added[503] = problems.unavailable
  return { ...route, security: route.security ?? (role ? moderatorSecurity(role) : []), responses: { ...added, ...route.responses } }
}
