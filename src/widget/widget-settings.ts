import type { AppConfig } from '../config.js'
import type { MailTransport } from '../mail/mail-transport.js'
import { contentEtag } from '../pages/content-etag.js'

/** What the widget learns from the deployment. */
export interface WidgetSettings {
  /** Turnstile's public site key, when Turnstile is on. */
  turnstile: { siteKey: string; scriptUrl: string } | null
  /**
   * Whether the form offers email notifications (follow-up comments, the comment's approval): only
   * where mail can go out. Without a transport the server ignores the boxes, so they would promise
   * emails that never come.
   */
  notify: boolean
}

export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js'

/**
 * The lines of the built script (src/static/widget.js, from src/widget/client/settings.js) that the
 * served copy fills in, one per setting; the build makes sure each is there, once.
 */
export const SETTINGS_PLACEHOLDERS: Readonly<Record<keyof WidgetSettings, string>> = {
  turnstile: 'var TURNSTILE = null;',
  notify: 'var NOTIFY = false;',
}

// The placeholders as one pattern, escaped as literal text, so that servedWidget fills them in one pass.
const PLACEHOLDER_PATTERN = new RegExp(
  Object.values(SETTINGS_PLACEHOLDERS)
    .map((line) => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
)

/** The deployment as far as the widget's settings go: the config, and the mail transport (Deps). */
export interface WidgetDeployment {
  config: Pick<AppConfig, 'turnstile'>
  mail?: MailTransport | undefined
}

export function widgetSettings({ config, mail }: WidgetDeployment): WidgetSettings {
  const turnstile = config.turnstile
  return {
    turnstile: turnstile?.siteKey ? { siteKey: turnstile.siteKey, scriptUrl: turnstile.scriptUrl ?? TURNSTILE_SCRIPT_URL } : null,
    notify: mail !== undefined,
  }
}

/**
 * The built script with this deployment's settings, and its strong ETag (a hash of the bytes): a
 * changed setting is a new ETag, so browsers revalidating their copy get the new script.
 */
export async function servedWidget(built: string, settings: WidgetSettings): Promise<{ body: string; etag: string }> {
  const filled: Record<keyof WidgetSettings, string> = {
    turnstile: `var TURNSTILE = ${JSON.stringify(settings.turnstile)};`,
    notify: `var NOTIFY = ${settings.notify ? 'true' : 'false'};`,
  }
  const byLine = new Map(Object.entries(SETTINGS_PLACEHOLDERS).map(([name, line]) => [line, filled[name as keyof WidgetSettings]]))
  // One pass over the built text: a filled-in value is never searched again for another line, and
  // a function, not a replacement string, keeps a `$&` in a site key from being a pattern.
  const body = built.replace(PLACEHOLDER_PATTERN, (line) => byLine.get(line) ?? line)
  return { body, etag: await contentEtag(body) }
}
