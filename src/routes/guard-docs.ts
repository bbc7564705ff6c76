import type { ModeratorRole } from '../db/schema.js'
import { IMPORT_PATH } from '../http/import-body.js'
import type { ResponseConfig, RouteDoc } from '../openapi/openapi-routes.js'
import { moderatorSecurity } from '../openapi/security-schemes.js'
import { problems } from './schemas.js'

/** A path prefix and the role every route under it needs (app.ts mounts `requireRole` by it). */
export interface RoleGuard {
  prefix: string
  role: ModeratorRole
}

const validates = (route: RouteDoc) => {
  const { params, query, headers, body } = route.request ?? {}
  return Boolean(params ?? query ?? headers ?? (body && !body.streamed ? body : undefined))
}

/**
 * A route as the whole app answers it: what app.ts's middleware adds to the route's own responses
 * (the body guards' 400/413/415 on API writes, the role guards' security and 401/403, the
 * validation's 422, the error handler's 500 and 503). Where a route documents a status itself,
 * its own description stands.
 */
export function withGuards(route: RouteDoc, roles: readonly RoleGuard[]): RouteDoc {
  const guard = roles.find(({ prefix }) => route.path.startsWith(prefix))
  const jsonWrite = route.path.startsWith('/api/') && ['post', 'put', 'patch'].includes(route.method) && route.path !== IMPORT_PATH
  const added: Record<number, ResponseConfig> = { 500: problems.internalError }
  if (jsonWrite) Object.assign(added, { 400: problems.malformedJson, 413: problems.payloadTooLarge, 415: problems.unsupportedMediaType })
  if (guard) Object.assign(added, { 401: problems.unauthenticated, 403: problems.forbidden })
  if (validates(route)) added[422] = problems.invalidRequest
  if (route.database !== false) added[503] = problems.unavailable
  return { ...route, security: route.security ?? (guard ? moderatorSecurity(guard.role) : []), responses: { ...added, ...route.responses } }
}
