import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { signedIn } from '../comments/commenter-identity.js'
import { dateTimeSchema, identityInvalid, jsonBody, jsonContent, noStore, retryLater, urlText } from './schemas.js'

const readerRoute = createRoute({
  method: 'post',
  path: '/api/v1/identity',
  operationId: 'readIdentity',
  tag: 'Comments',
  request: { body: jsonBody(z.object({ identityToken: z.string().check(z.minLength(1), z.maxLength(8192)) })) },
  responses: {
    200: {
      ...jsonContent(
        DOCS ? 'The reader' : '',
        z.object({
          reader: z.object({
            name: z.nullable(z.string()),
            avatarUrl: z.nullable(urlText()),
            subscriber: z.boolean(),
            expiresAt: dateTimeSchema(),
          }),
        }),
      ),
      headers: noStore,
    },
    401: identityInvalid,
    503: retryLater(DOCS ? "The site's key set cannot be read just now (`unavailable`)" : ''),
  },
})

export const identityRoutes = new OpenApiRoutes<AppEnv>('/api/v1/identity').openapi(readerRoute, async (c) => {
  const { deps } = c.env
  const settings = await deps.settings.get(deps.db)
  const reader = await signedIn(
    { identity: deps.identity, settings: settings.values, now: deps.clock() },
    c.req.valid('json').identityToken,
  )
  c.header('Cache-Control', 'no-store')
  return c.json(
    {
      reader: { name: reader.name, avatarUrl: reader.avatarUrl, subscriber: reader.subscriber, expiresAt: reader.expiresAt.toISOString() },
    },
    200,
  )
})
