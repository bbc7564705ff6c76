import type { Deps } from '../deps.js'
import type { LoadedSettings } from '../settings/settings-store.js'
import type { CommentContext } from '../comments/comment-context.js'

/** The outside services for this deployment (config) and site (the filter webhook, unsealed). */
export async function integrationsFor(deps: Deps, loaded: LoadedSettings): Promise<CommentContext['integrations']> {
  const hook = loaded.values.filterWebhook
  const filterWebhook = hook && loaded.filterSecretSealed
    ? { url: hook.url, timeoutMs: hook.timeoutMs ?? 2000, includeEmail: hook.includeEmail ?? false, secret: await deps.secrets.unseal(loaded.filterSecretSealed) }
    : null
  return { akismet: deps.config.akismet, turnstile: deps.config.turnstile, allowPrivateTargets: deps.config.allowPrivateTargets, filterWebhook, resolveHost: deps.resolveHost, targetFetch: deps.targetFetch }
}
