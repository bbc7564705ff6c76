import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { AppConfig } from '../config.js'
import type { ResolveHost } from '../net/target-guard.js'
import type { SettingsStore } from './settings-store.js'
import { validationError } from '../errors.js'
import { refuseTarget } from '../net/target-guard.js'
import { newWebhookSecret } from '../crypto/webhook-signing.js'
import { logAction } from '../audit/audit-log.js'
import type { Settings } from './settings-schema.js'

/** What a settings change needs of the runtime (a part of `Deps`). */
type SettingsServices = {
  db: Db
  secrets: Secrets
  settings: SettingsStore
  clock: () => Date
  config: Pick<AppConfig, 'allowPrivateTargets'>
  resolveHost?: ResolveHost
}

/**
 * The filter webhook's secret after a settings change: a new one when the filter is set up or
 * moves to another URL, none when it is removed, unchanged otherwise. Its URL must be a public
 * http(s) target: the guard's own code says which rule it broke (`private_target` for a private,
 * loopback or link-local host, `invalid_url` for the rest), as for a webhook endpoint.
 */
async function filterSecretChange(
  deps: SettingsServices,
  hook: Settings['filterWebhook'] | undefined,
): Promise<{ sealed: string | null; plain?: string } | undefined> {
  if (hook === undefined) return undefined
  if (hook === null) return { sealed: null }
  const refused = await refuseTarget(hook.url, { allowPrivate: deps.config.allowPrivateTargets, resolveHost: deps.resolveHost })
  if (refused)
    throw validationError([
      { field: 'filterWebhook.url', code: refused.code, message: `The filter URL cannot be used: ${refused.reason}.` },
    ])
  const current = await deps.settings.get(deps.db)
  if (current.values.filterWebhook?.url === hook.url && current.filterSecretSealed) return undefined
  const plain = newWebhookSecret()
  return { sealed: await deps.secrets.seal(plain), plain }
}

/** What changed between two settings objects, key by key. */
function settingsDiff(before: Settings, after: Settings): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {}
  for (const key of Object.keys(after) as (keyof Settings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) diff[key] = { from: before[key], to: after[key] }
  }
  return diff
}

/**
 * An admin changes some settings (already checked against `settingsPatchSchema`); what changed is
 * logged in the same transaction. `filterSecret` is the filter webhook's new signing secret, when
 * this change made one: it is shown this once and never read back.
 */
export async function changeSettings(
  deps: SettingsServices,
  moderatorId: number,
  patch: Partial<Settings>,
): Promise<{ values: Settings; filterSecret?: string }> {
  const secret = await filterSecretChange(deps, patch.filterWebhook)
  const values = await deps.db.transaction(async (tx) => {
    const { before, loaded } = await deps.settings.update(tx, patch, deps.clock(), secret?.sealed)
    const diff = settingsDiff(before, loaded.values)
    if (Object.keys(diff).length > 0) await logAction(tx, { at: deps.clock(), moderatorId, action: 'settings', detail: diff })
    return loaded.values
  })
  return secret?.plain && values.filterWebhook ? { values, filterSecret: secret.plain } : { values }
}
