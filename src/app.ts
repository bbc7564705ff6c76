import { Hono } from 'hono'
import type { AppEnv } from './app-env.js'
import type { Deps } from './deps.js'
import { AppError } from './errors.js'
import { handleError, problemResponse } from './http/problem-response.js'
import { MAX_BODY_BYTES, limitBody, requireJsonBody } from './http/request-guards.js'
import { deadline } from './http/deadline.js'
import { syncAfterWrite } from './http/sync-after-write.js'
import { allowedOrigins } from './http/origins.js'
import { allowedMethods } from './http/route-methods.js'
import { accessLog } from './http/access-log.js'
import { apiCors } from './http/api-cors.js'
import { readCacheHit } from './http/cached-read.js'
import { startGate } from './http/start-gate.js'
import { htmlPage } from './pages/html-page.js'
import { threadRoutes } from './routes/thread-routes.js'
import { commentRoutes } from './routes/comment-routes.js'
import { countRoutes } from './routes/count-routes.js'
import { healthRoutes } from './routes/health-routes.js'
import { commentFormRoutes, formErrorPage } from './routes/comment-form-routes.js'
import { reportRoutes } from './routes/report-routes.js'
import { authRoutes } from './routes/auth-routes.js'
import { moderationRoutes } from './routes/moderation-routes.js'
import { moderationArticleRoutes } from './routes/moderation-article-routes.js'
import { adminRoutes } from './routes/admin-routes.js'
import { webhookRoutes } from './routes/webhook-routes.js'
import { adminPageRoutes } from './routes/admin-page-routes.js'
import { clientFileRoutes } from './routes/client-file-routes.js'
import type { ClientFiles } from './http/client-files.js'
import { demoRoutes } from './routes/demo-routes.js'
import { DEFAULT_IMPORT_MAX_BYTES, IMPORT_PATH, exceptImport, importBody } from './http/import-body.js'
import { decodeBody } from './http/content-encoding.js'
import { importExportRoutes } from './routes/import-export-routes.js'
import { privacyRoutes } from './routes/privacy-routes.js'
import { articleMoveRoutes } from './routes/article-move-routes.js'
import { requireRole } from './http/moderator-auth.js'
import { renderDocs, type OpenApiDocument } from './openapi/docs-page.js'
import { commentFormDoc } from './routes/comment-form-doc.js'
import { documentDocs } from './routes/document-docs.js'
import { withGuards, type RoleGuard } from './routes/guard-docs.js'
import type { RouteDoc } from './openapi/openapi-routes.js'

export type { Deps } from './deps.js'

// The route groups that describe themselves (OpenApiRoutes), and what they say: the OpenAPI document's source.
const documented = [
  threadRoutes, commentRoutes, countRoutes, healthRoutes, reportRoutes, authRoutes,
  moderationRoutes, moderationArticleRoutes, articleMoveRoutes, adminRoutes, webhookRoutes,
  importExportRoutes, privacyRoutes,
]

/** Who may call what: every route under a prefix needs a signed-in moderator of at least this role. */
const roleGuards: readonly RoleGuard[] = [
  { prefix: '/api/v1/moderation/', role: 'moderator' },
  { prefix: '/api/v1/admin/', role: 'admin' },
]

/** Every route as the whole app answers it (guard-docs.ts adds what the middleware below answers). */
export const routeDocs: readonly RouteDoc[] = [...documented.flatMap((routes) => routes.docs), commentFormDoc, ...documentDocs]
  .map((route) => withGuards(route, roleGuards))

/**
 * The files the app serves that are built from sources: Node generates the OpenAPI document and
 * reads the widget built into src/static (`fromSource`); the Worker reads both from its static
 * assets (`npm run build:static`), so that neither the generator nor the files weigh on its bundle.
 */
export interface AppOptions {
  /** The OpenAPI document of these routes. */
  openApiDocument: (routes: readonly RouteDoc[]) => Promise<OpenApiDocument>
  /** /widget.js and the dashboard's script and stylesheet. */
  clientFiles: ClientFiles
}

/**
 * The whole HTTP app. Dependencies arrive per request in `env.deps` (tests:
 * `app.request(path, init, { deps })`); `deps` given here serve requests that bring none.
 */
export function createApp(deps: Deps | undefined, options: AppOptions) {
  const app = new Hono<AppEnv>()
  app.onError(handleError)
  if (deps) {
    app.use('*', async (c, next) => {
      if (!c.env?.deps) c.env = { ...c.env, deps }
      await next()
    })
  }
  app.use('*', syncAfterWrite)
  app.use('*', accessLog)
  app.use('*', async (c, next) => {
    await next()
    // API.md names the charset; Hono's c.json() leaves it out.
    if (c.res.headers.get('content-type') === 'application/json') c.res.headers.set('Content-Type', 'application/json; charset=utf-8')
  })

  app.use('/api/*', apiCors({
    origin: async (origin, c) => {
      const { deps } = c.env
      const settings = await deps.settings.get(deps.db)
      return allowedOrigins(c, settings.values).includes(origin) ? origin : null
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Content-Type', 'Authorization', 'If-None-Match'],
    exposeHeaders: ['ETag', 'Location', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  }))
  for (const path of ['/api/v1/articles/:key/comments', '/api/v1/counts']) app.use(path, readCacheHit)
  app.use('/api/*', exceptImport(deadline()))
  // Before the size limits, so that they count decompressed bytes (the import's own limit for imports).
  app.use('/api/*', decodeBody((c) => (c.req.path === IMPORT_PATH ? c.env.deps.config.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES : MAX_BODY_BYTES)))
  app.use('/api/*', exceptImport(limitBody()))
  app.use('/api/*', exceptImport(requireJsonBody))
  app.use(IMPORT_PATH, importBody)
  app.use('/comment-form', deadline((error) => formErrorPage(error)))
  app.use('/comment-form', limitBody(MAX_BODY_BYTES, (error) => formErrorPage(error)))
  // After the read cache's hits and inside the deadlines: what reaches the database waits its turn.
  for (const path of ['/api/*', '/comment-form', '/admin', '/admin/*', '/demo', '/demo/*']) app.use(path, startGate)

  for (const { prefix, role } of roleGuards) app.use(`${prefix}*`, requireRole(role))

  for (const routes of documented) app.route('/', routes)
  app.route('/', commentFormRoutes)
  app.route('/', clientFileRoutes(options.clientFiles))
  app.route('/', adminPageRoutes)
  app.route('/', demoRoutes)

  const openApi = () => options.openApiDocument(routeDocs)
  app.get('/openapi.json', async (c) => c.json(await openApi()))
  app.get('/docs', async () => htmlPage({ title: 'Parley API', body: renderDocs(await openApi()) }))

  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path)
    if (allow.length > 0) {
      return problemResponse(new AppError('method_not_allowed', `${c.req.method} is not allowed here.`, { allowedMethods: allow }))
    }
    return problemResponse(new AppError('not_found', 'Nothing is here.'))
  })
  return app
}

export type App = ReturnType<typeof createApp>
