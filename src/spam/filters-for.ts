import type { Integrations } from './integrations.js'
import { akismetFilter } from './akismet-filter.js'
import { turnstileFilter } from './turnstile-filter.js'
import { filterWebhookFilter } from './filter-webhook.js'
import type { SpamFilter } from './spam-filter.js'
import { wordpressRules } from './wordpress-rules.js'

/**
 * The pipeline for one submission: WordPress's rules, then the outside services this deployment
 * configured (Turnstile, Akismet, the site's filter service), then the site's own code filters.
 */
export function filtersFor(ctx: { integrations: Integrations; spamFilters: SpamFilter[] }): SpamFilter[] {
  const { akismet, turnstile, filterWebhook, allowPrivateTargets, resolveHost, targetFetch } = ctx.integrations
  return [
    ...wordpressRules,
    ...(turnstile ? [turnstileFilter(turnstile)] : []),
    ...(akismet ? [akismetFilter(akismet)] : []),
    ...(filterWebhook ? [filterWebhookFilter(filterWebhook, { allowPrivate: allowPrivateTargets, resolveHost, targetFetch })] : []),
    ...ctx.spamFilters,
  ]
}
