import type { RouteDoc } from './openapi/openapi-routes.js'
import { api, importApi, type ApiPrefix } from './app.js'
import { healthRoutes } from './routes/health-routes.js'
import { commentFormDoc } from './routes/comment-form-doc.js'
import { documentDocs } from './routes/document-docs.js'
import { mailLinkDocs } from './routes/mail-link-docs.js'
import { withGuards } from './routes/guard-docs.js'

const docsOf = ({ groups, role }: ApiPrefix, jsonBody: boolean) =>
  groups.flatMap((group) => group.docs.map((route) => withGuards(route, { role, jsonBody })))

/**
 * Every route as the whole app answers it, guards included (guard-docs.ts): the OpenAPI document's
 * source. Apart from app.ts so that only what generates the document imports it (Node's
 * nodeAppOptions, `npm run build:static`): the Worker serves the document built into its static
 * assets, and its bundle carries none of these words.
 */
export const routeDocs: readonly RouteDoc[] = [
  ...api.flatMap((prefix) => docsOf(prefix, true)),
  ...docsOf(importApi, false),
  ...healthRoutes.docs.map((route) => withGuards(route, {})),
  withGuards(commentFormDoc, {}),
  ...documentDocs.map((route) => withGuards(route, {})),
  ...mailLinkDocs.map((route) => withGuards(route, {})),
]
