import type { AppConfig } from '../deps.js'
import { toHex, utf8 } from '../crypto/encoding.js'

/** What the widget learns from the deployment: Turnstile's public site key, when Turnstile is on. */
export interface WidgetSettings {
  turnstile: { siteKey: string; scriptUrl: string } | null
}

export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js'

/** The line of the built script (src/static/widget.js) that the served copy fills in. */
export const SETTINGS_PLACEHOLDER = 'var TURNSTILE = null;'

export function widgetSettings(config: Pick<AppConfig, 'turnstile'>): WidgetSettings {
  const turnstile = config.turnstile
  return {
    turnstile: turnstile?.siteKey ? { siteKey: turnstile.siteKey, scriptUrl: turnstile.scriptUrl ?? TURNSTILE_SCRIPT_URL } : null,
  }
}

const served = new Map<string, Promise<{ body: string; etag: string }>>()

/** The built script with this deployment's settings, and its strong ETag (a hash of the bytes), once per distinct input. */
export function servedWidget(built: string, settings: WidgetSettings): Promise<{ body: string; etag: string }> {
  const key = `${JSON.stringify(settings)}\n${built}`
  let hit = served.get(key)
  if (!hit) {
    const body = built.replace(SETTINGS_PLACEHOLDER, `var TURNSTILE = ${JSON.stringify(settings.turnstile)};`)
    hit = crypto.subtle.digest('SHA-256', utf8.encode(body)).then((digest) => ({ body, etag: `"${toHex(digest).slice(0, 32)}"` }))
    served.set(key, hit)
  }
  return hit
}
