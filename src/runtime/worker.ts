import type { ExecutionContext } from 'hono'
import { createApp, type App } from '../app.js'
import type { AppConfig } from '../config.js'
import type { Deps } from '../deps.js'
import { PublisherTokens } from '../identity/publisher-tokens.js'
import { OidcLogin } from '../auth/oidc-login.js'
import { nobleArgon2 } from '../auth/argon2-noble.js'
import { createSecrets, type Secrets } from '../crypto/secrets.js'
import { createLogger, type Logger } from '../logger.js'
import { SettingsStore } from '../settings/settings-store.js'
import { runJobs } from '../jobs/run-jobs.js'
import { spamJobs } from '../comments/spam-jobs.js'
import { mailSweeps, notificationJobs } from './mail-work.js'
import { workerMailTransport } from './worker-mail.js'
import { loggedError } from '../logged-error.js'
import { edgeCached, type EdgeCacheStore } from './edge-cache.js'
import { hyperdriveDb } from './hyperdrive-db.js'
import { readWorkerConfig, type WorkerEnv } from './worker-config.js'
import type { OpenApiDocument } from '../openapi/docs-page.js'
import { LANGUAGES, type Language } from '../i18n/languages.js'
import { hasTexts, registerTexts, type Texts } from '../i18n/texts.js'
import type { CatalogData } from '../i18n/catalog-data.js'

/** What a Cron Trigger hands to `scheduled()`, as much of it as Parley uses. */
interface ScheduledController {
  cron: string
  scheduledTime: number
}

/** What one isolate derives once from its bindings and keeps for every request it serves. */
interface IsolateState {
  config: AppConfig
  logger: Logger
  secrets: Secrets
  /** Its key set is kept per isolate, as the provider's Cache-Control allows. */
  identity: PublisherTokens | undefined
  oidc: OidcLogin | undefined
}

let app: App | undefined
/** The app, made on the first request, when the static assets' binding is known. */
function appFor(env: WorkerEnv): App {
  // The built files are src/static's (`npm run build:static`, wrangler.toml's [build]), which
  // Cloudflare also serves itself: the bundle carries neither their text nor the OpenAPI generator.
  // One missing from the deployment is an error, not its 404 page served as the file.
  const asset = async (path: string) => {
    const res = await env.ASSETS.fetch(`https://assets.invalid${path}`)
    if (!res.ok) throw new Error(`the static asset ${path} answered ${res.status}: was \`npm run build:static\` run before deploying?`)
    return res
  }
  return (app ??= createApp(undefined, {
    openApiDocument: async () => (await asset('/openapi.json')).json<OpenApiDocument>(),
    docsBody: async () => (await asset('/docs-body.html')).text(),
    clientFiles: { text: async (path) => (await asset(path)).text() },
  }))
}
// Workers' `caches.default` (absent where there is no Cache API, e.g. typed under Node).
const edgeStore = (globalThis as { caches?: { default?: EdgeCacheStore } }).caches?.default
// Settings are cached per isolate, like per Node process; loads are not shared between requests (see SettingsStore).
const settings = new SettingsStore(1000, Date.now, false)
// Keyed by the bindings object, which an isolate hands to each of its requests (new secrets or vars come with a
// new deployment, so new isolates); were it ever a fresh object, the state would only be derived again.
const isolates = new WeakMap<WorkerEnv, IsolateState>()

async function isolateState(env: WorkerEnv): Promise<IsolateState> {
  const known = isolates.get(env)
  if (known) return known
  if (!env.PARLEY_SECRET) throw new Error('PARLEY_SECRET is not set: `npx wrangler secret put PARLEY_SECRET` (at least 32 characters)')
  const { logLevel, ...config } = readWorkerConfig(env)
  // Derived without sharing a pending promise: two first requests each derive, and the last one kept wins.
  // Workers' fetch reaches only the public internet; the guard refuses literal private addresses too.
  const identity = config.sso ? new PublisherTokens(config.sso, { allowPrivate: config.allowPrivateTargets }) : undefined
  const oidc = config.oidc ? new OidcLogin(config.oidc, { allowPrivate: config.allowPrivateTargets }) : undefined
  const state = { config, logger: createLogger(logLevel), secrets: await createSecrets(env.PARLEY_SECRET), identity, oidc }
  isolates.set(env, state)
  return state
}

/**
 * The readers' languages but English, from the static assets (/i18n/LANG.json, built from
 * src/i18n by `npm run build:static`): once per isolate, before its first request. Kept out of the
 * bundle, which carries English alone. One that cannot load leaves its readers in English; the next
 * request tries again.
 */
let languagesLoading: Promise<void> | undefined
function loadLanguages(env: WorkerEnv, logger: Logger): Promise<void> {
  return (languagesLoading ??= Promise.all(
    LANGUAGES.filter((language): language is Exclude<Language, 'en'> => language !== 'en' && !hasTexts(language)).map(async (language) => {
      const res = await env.ASSETS.fetch(`https://assets.invalid/i18n/${language}.json`)
      if (!res.ok) throw new Error(`the static asset /i18n/${language}.json answered ${res.status}`)
      registerTexts(language, await res.json<CatalogData<Texts>>())
    }),
  ).then(
    () => undefined,
    (error: unknown) => {
      languagesLoading = undefined
      logger.error('languages not loaded: readers see English', loggedError(error))
    },
  ))
}

/** The dependencies of one invocation: its own database client, everything else from the isolate. */
async function depsFor(env: WorkerEnv): Promise<Deps> {
  const { config, logger, secrets, identity, oidc } = await isolateState(env)
  return {
    db: hyperdriveDb(env.HYPERDRIVE, config.dbTimeoutMs),
    secrets,
    settings,
    spamFilters: [],
    passwords: nobleArgon2,
    clock: () => new Date(),
    logger,
    config,
    mail: workerMailTransport(config, logger),
    ...(identity ? { identity } : {}),
    ...(oidc ? { oidc } : {}),
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const deps = await depsFor(env)
    await loadLanguages(env, deps.logger)
    // There is no socket here: the address is the one Cloudflare's edge saw, as config.trustProxy says too.
    const remoteAddr = request.headers.get('cf-connecting-ip') ?? undefined
    // PARLEY_CACHE_MAX_AGE=0 turns caching off here as it does in browsers.
    const store = deps.config.cacheMaxAge > 0 ? edgeStore : undefined
    return edgeCached(request, ctx, store, async (forwarded) => appFor(env).fetch(forwarded, { deps, remoteAddr }, ctx))
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const deps = await depsFor(env)
    await loadLanguages(env, deps.logger)
    ctx.waitUntil(
      runJobs(deps, new Date(), [...spamJobs, ...notificationJobs], mailSweeps).then(
        (report) => deps.logger.info('jobs ran', { ...report }),
        (error: unknown) => deps.logger.error('jobs run failed', loggedError(error)),
      ),
    )
  },
}
