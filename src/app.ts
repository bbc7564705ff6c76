import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from './http/hono-app.js'
import type { AppEnv } from './app-env.js'
import type { Deps } from './deps.js'
import type { ModeratorRole } from './db/schema.js'
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
import { CACHEABLE_READS } from './http/cacheable-reads.js'
import { startGate } from './http/start-gate.js'
import { DEFAULT_IMPORT_MAX_BYTES, IMPORT_PATH, importBody } from './http/import-body.js'
import { decodeBody } from './http/content-encoding.js'
import { requireRole } from './http/moderator-auth.js'
import type { ClientFiles } from './http/client-files.js'
import { htmlPage } from './pages/html-page.js'
import type { OpenApiRoutes } from './openapi/openapi-routes.js'
import type { OpenApiDocument } from './openapi/docs-page.js'
import { trusted } from './pages/html.js'
import { threadRoutes } from './routes/thread-routes.js'
import { fragmentRoutes } from './routes/fragment-routes.js'
import { commentRoutes } from './routes/comment-routes.js'
import { countRoutes } from './routes/count-routes.js'
import { identityRoutes } from './routes/identity-routes.js'
import { healthRoutes } from './routes/health-routes.js'
import { commentFormRoutes, formErrorPage } from './routes/comment-form-routes.js'
import { languageOf } from './i18n/languages.js'
import { reportRoutes } from './routes/report-routes.js'
import { voteRoutes } from './routes/vote-routes.js'
import { authRoutes } from './routes/auth-routes.js'
import { moderationRoutes } from './routes/moderation-routes.js'
import { moderationArticleRoutes } from './routes/moderation-article-routes.js'
import { commenterRoutes } from './routes/commenter-routes.js'
import { commenterRuleRoutes } from './routes/commenter-rule-routes.js'
import { articleMoveRoutes } from './routes/article-move-routes.js'
import { adminRoutes } from './routes/admin-routes.js'
import { webhookRoutes } from './routes/webhook-routes.js'
import { exportRoutes, importRoutes } from './routes/import-export-routes.js'
import { privacyRoutes } from './routes/privacy-routes.js'
import { adminPageRoutes } from './routes/admin-page-routes.js'
import { clientFileRoutes } from './routes/client-file-routes.js'
import { mailLinkRoutes } from './routes/mail-link-routes.js'
import { notificationRoutes } from './routes/notification-routes.js'
import { codedResponse, staticCoded } from './http/content-coding.js'
import { contentEtag } from './pages/content-etag.js'

export type { Deps } from './deps.js'

/** Route groups that share a prefix, and who may call them: a signed-in moderator of this role, or anyone. */
export interface ApiPrefix {
  prefix: string
  role?: ModeratorRole
  groups: readonly OpenApiRoutes<AppEnv>[]
}

/**
 * The JSON API, prefix by prefix, in the order the OpenAPI document lists it. Every request under
 * /api passes the JSON guards (a deadline, a JSON body under 1 MiB after decompression) before
 * these; the import (below) is the one API route that does not.
 */
export const api: readonly ApiPrefix[] = [
  // Readers: a thread and posting to it, the author's own edits, front pages' "N comments", reports, votes.
  { prefix: '/api/v1/articles', groups: [threadRoutes, fragmentRoutes] },
  { prefix: '/api/v1/comments', groups: [commentRoutes, reportRoutes, voteRoutes] },
  { prefix: '/api/v1/counts', groups: [countRoutes] },
  { prefix: '/api/v1/identity', groups: [identityRoutes] },
  // Moderators: signing in, then the queues and articles; admins: settings, accounts, webhooks, data.
  { prefix: '/api/v1/auth', groups: [authRoutes] },
  {
    prefix: '/api/v1/moderation',
    role: 'moderator',
    groups: [moderationRoutes, commenterRoutes, commenterRuleRoutes, moderationArticleRoutes, articleMoveRoutes, notificationRoutes],
  },
  { prefix: '/api/v1/admin', role: 'admin', groups: [adminRoutes, webhookRoutes, exportRoutes, privacyRoutes] },
]

/** The import: an admin's export file, streamed, of up to PARLEY_IMPORT_MAX_MB and with no deadline. */
export const importApi: ApiPrefix = { prefix: IMPORT_PATH, role: 'admin', groups: [importRoutes] }

/** Groups behind their guards, to mount at one prefix. */
function guarded(guards: readonly MiddlewareHandler<AppEnv>[], groups: readonly Hono<AppEnv>[]): Hono<AppEnv> {
  const mounted = new Hono<AppEnv>()
  for (const guard of guards) mounted.use(guard)
  for (const group of groups) mounted.route('/', group)
  return mounted
}

/** An API prefix's groups behind its role guard; a group written for another prefix is a mistake caught at start. */
function apiGroup({ prefix, role, groups }: ApiPrefix): Hono<AppEnv> {
  const stray = groups.find((group) => group.prefix !== prefix)
  if (stray) throw new Error(`A group of ${stray.prefix} is mounted at ${prefix}`)
  return guarded(role ? [requireRole(role)] : [], groups)
}

/** The import's limit, PARLEY_IMPORT_MAX_MB, counted after decompression. */
const importLimit = (c: Context<AppEnv>) => c.env.deps.config.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES

/** Gives requests that bring no `env.deps` (a real server's) the app's own. */
const withDeps =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!c.env?.deps) c.env = { ...c.env, deps }
    await next()
  }

// API.md names the charset; Hono's c.json() leaves it out.
const jsonCharset: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next()
  if (c.res.headers.get('content-type') === 'application/json') c.res.headers.set('Content-Type', 'application/json; charset=utf-8')
}

const cors = apiCors({
  origin: async (origin, c) => {
    const { deps } = c.env
    const settings = await deps.settings.get(deps.db)
    return allowedOrigins(c, settings.values).includes(origin) ? origin : null
  },
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['Content-Type', 'Authorization', 'If-None-Match'],
  exposeHeaders: ['ETag', 'Location', 'Retry-After', 'WWW-Authenticate', 'Parley-Comment-Count'],
  maxAge: 600,
})

/**
 * The files the app serves that are built from sources: Node generates the OpenAPI document and
 * reads the widget built into src/static (`nodeAppOptions`); the Worker reads both from its static
 * assets (`npm run build:static`), so that neither the generator nor the files weigh on its bundle.
 */
export interface AppOptions {
  /** The OpenAPI document of these routes. */
  openApiDocument: () => Promise<OpenApiDocument>
  /** /docs's body: rendered from the document on Node, a static asset built from it on Workers (docs-page.ts stays out of the bundle). */
  docsBody: () => Promise<string>
  /** /widget.js and the dashboard's script and stylesheet. */
  clientFiles: ClientFiles
  /**
   * The demo article's pages (/demo, /demo/plain, /demo/enhanced): Node's `npm start` shows them; a
   * Worker is a site's deployment, whose bundle has a budget, and serves none.
   */
  demo?: Hono<AppEnv>
}

/**
 * The whole HTTP app. Dependencies arrive per request in `env.deps` (tests:
 * `app.request(path, init, { deps })`); `deps` given here serve requests that bring none.
 */
export function createApp(deps: Deps | undefined, options: AppOptions) {
  const app = new Hono<AppEnv>()
  app.onError(handleError)

  // Every request: its dependencies, the read cache told of a write before the writer reads again, the access log.
  if (deps) app.use(withDeps(deps))
  app.use(syncAfterWrite, accessLog, jsonCharset)

  // The API. Public reads the read cache holds are answered first, ahead of every guard.
  app.use('/api/*', cors)
  for (const path of CACHEABLE_READS) app.use(path, readCacheHit)
  // The import, on its own: its answer ends the chain before the JSON guards below; so does
  // another method's 405 (the document lists POST alone there).
  app.post(IMPORT_PATH, decodeBody(importLimit), importBody, startGate, requireRole('admin'))
  app.route(IMPORT_PATH, importRoutes)
  app.all(IMPORT_PATH, () => {
    throw new AppError('method_not_allowed', 'Only POST is allowed here.', { allowedMethods: ['POST'] })
  })
  // Decompressed before the size limit, so that it counts decompressed bytes; what reaches the database waits its turn.
  app.use(
    '/api/*',
    deadline(),
    decodeBody(() => MAX_BODY_BYTES),
    limitBody(),
    requireJsonBody,
    startGate,
  )
  for (const prefix of api) app.route(prefix.prefix, apiGroup(prefix))

  // Probes, WordPress's plain comment form, the built client files, the dashboard, the demo.
  app.route('/', healthRoutes)
  // Before the settings are read (a body too large, a deadline passed): the browser's language, else English.
  const formPage = (error: AppError, c: Context<AppEnv>) =>
    formErrorPage(error, undefined, languageOf(c.req.header('accept-language')) ?? 'en')
  app.route('/comment-form', guarded([deadline(formPage), limitBody(MAX_BODY_BYTES, formPage), startGate], [commentFormRoutes]))
  app.route('/', clientFileRoutes(options.clientFiles))
  app.route('/admin', guarded([startGate], [adminPageRoutes]))
  if (options.demo) app.route('/demo', guarded([startGate], [options.demo]))
  app.route('/mail', guarded([deadline(), limitBody(MAX_BODY_BYTES), startGate], [mailLinkRoutes]))

  // The API's own description, made from the routes above.
  const openApi = () => options.openApiDocument()
  // Made once per instance, compressed once per coding (content-coding.ts).
  let document: Promise<{ body: string; etag: string }> | undefined
  app.get('/openapi.json', async (c) => {
    const { body, etag } = await (document ??= openApi().then(async (doc) => {
      const body = JSON.stringify(doc)
      return { body, etag: await contentEtag(body) }
    }))
    return codedResponse(c, { body, etag, headers: { 'Content-Type': 'application/json' }, coded: staticCoded(c, body, etag) })
  })
  app.get('/docs', async () => htmlPage({ title: 'Parley API', body: trusted(await options.docsBody()) }))

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
