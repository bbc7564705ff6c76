import type { AppConfig } from '../config.js'
import { contentEtag } from '../pages/content-etag.js'

/** What the widget learns from the deployment: Turnstile's public site key, when Turnstile is on. */
export interface WidgetSettings {
  turnstile: { siteKey: string; scriptUrl: string } | null
}

export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js'

/**
 * The line of the built script (src/static/widget.js, from src/widget/client/settings.js) that the
 * served copy fills in; the build makes sure it is there, once.
 */
export const SETTINGS_PLACEHOLDER = 'var TURNSTILE = null;'

export function widgetSettings(config: Pick<AppConfig, 'turnstile'>): WidgetSettings {
  const turnstile = config.turnstile
  return {
    turnstile: turnstile?.siteKey ? { siteKey: turnstile.siteKey, scriptUrl: turnstile.scriptUrl ?? TURNSTILE_SCRIPT_URL } : null,
  }
}

/** The built script with this deployment's settings, and its strong ETag (a hash of the bytes). */
export async function servedWidget(built: string, settings: WidgetSettings): Promise<{ body: string; etag: string }> {
  const body = built.replace(SETTINGS_PLACEHOLDER, `var TURNSTILE = ${JSON.stringify(settings.turnstile)};`)
  return { body, etag: await contentEtag(body) }
}
