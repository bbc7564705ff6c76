import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { CommentContext } from '../comments/comment-context.js'
import { cleanText } from '../comments/clean-text.js'
import { AppError } from '../errors.js'
import { clientIp } from './client-ip.js'
import { allowedOrigins, articleOrigins } from './origins.js'
import { integrationsFor } from '../spam/integrations.js'

const header = (c: Context<AppEnv>, name: string, max: number): string | null => {
  const value = c.req.header(name)
  return value ? cleanText(value, { multiline: false }).slice(0, max) : null
}

/** The comment rules' view of this request. */
export async function commentContext(c: Context<AppEnv>): Promise<CommentContext> {
  const { deps } = c.env
  const loaded = await deps.settings.get(deps.db)
  const settings = loaded.values
  return {
    db: deps.db,
    secrets: deps.secrets,
    settings,
    spamFilters: deps.spamFilters,
    now: deps.clock(),
    ip: clientIp(c),
    userAgent: header(c, 'user-agent', 1000),
    referrer: header(c, 'referer', 2000),
    origin: header(c, 'origin', 2000),
    allowedOrigins: allowedOrigins(c, settings),
    articleOrigins: articleOrigins(c, settings),
    integrations: await integrationsFor(deps, loaded),
    notifications: deps.mail !== undefined,
    ...(deps.identity ? { identity: deps.identity } : {}),
    beforeCommit: c.get('beforeCommit'),
    readCacheMarker: c.get('readCacheMarker'),
  }
}

/**
 * Refuses a state-changing request sent from a page of an origin that is not allowed. Browsers
 * add `Origin` to such requests; tools that send none are not browsers acting for someone else.
 */
export function checkOrigin(c: Context<AppEnv>, ctx: Pick<CommentContext, 'allowedOrigins'>): void {
  const origin = c.req.header('origin')
  if (origin !== undefined && !ctx.allowedOrigins.includes(origin)) {
    throw new AppError('forbidden', 'Requests from this origin are not allowed.')
  }
}
