import type { Secrets } from '../crypto/secrets.js'
import type { AppConfig } from '../config.js'
import type { ResolveHost, TargetFetch } from '../net/target-guard.js'
import type { LoadedSettings } from '../settings/settings-store.js'
import type { FilterWebhook } from './filter-webhook.js'

/** The outside services configured for this deployment and site. */
export type Integrations = Pick<AppConfig, 'akismet' | 'turnstile' | 'allowPrivateTargets'> & {
  filterWebhook: FilterWebhook | null
  resolveHost?: ResolveHost
  targetFetch?: TargetFetch
}

/** What finding the integrations needs of the runtime (a part of `Deps`). */
export interface IntegrationServices {
  secrets: Secrets
  config: Pick<AppConfig, 'akismet' | 'turnstile' | 'allowPrivateTargets'>
  resolveHost?: ResolveHost
  targetFetch?: TargetFetch
}

/** The outside services for this deployment (config) and site (the filter webhook, unsealed). */
export async function integrationsFor(deps: IntegrationServices, loaded: LoadedSettings): Promise<Integrations> {
  const hook = loaded.values.filterWebhook
  const filterWebhook =
    hook && loaded.filterSecretSealed
      ? {
          url: hook.url,
          timeoutMs: hook.timeoutMs ?? 2000,
          includeEmail: hook.includeEmail ?? false,
          secret: await deps.secrets.unseal(loaded.filterSecretSealed),
        }
      : null
  return {
    akismet: deps.config.akismet,
    turnstile: deps.config.turnstile,
    allowPrivateTargets: deps.config.allowPrivateTargets,
    filterWebhook,
    resolveHost: deps.resolveHost,
    targetFetch: deps.targetFetch,
  }
}
