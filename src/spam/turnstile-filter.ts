import type { AppConfig } from '../config.js'
import type { SpamFilter } from './spam-filter.js'
import { readAtMost } from '../net/read-at-most.js'

type TurnstileConfig = NonNullable<AppConfig['turnstile']>

/**
 * Cloudflare Turnstile, verified server-side through siteverify: no token or a refused one is a
 * bot (spam); a siteverify that cannot be reached holds the comment for a person to look at.
 */
export function turnstileFilter(config: TurnstileConfig): SpamFilter {
  return {
    name: 'turnstile',
    timeoutMs: 6000,
    async check(candidate) {
      if (candidate.isEdit) return { verdict: 'approve', reason: 'edits are not challenged' }
      const token = candidate.turnstileToken?.trim() ?? ''
      if (!token) return { verdict: 'spam', reason: 'no Turnstile token' }
      let answer: unknown
      try {
        const res = await fetch(config.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            secret: config.secret,
            response: token.slice(0, 2048),
            ...(candidate.ip ? { remoteip: candidate.ip } : {}),
          }),
          signal: AbortSignal.timeout(5000),
        })
        if (!res.ok) return { verdict: 'hold', reason: `siteverify answered ${res.status}` }
        answer = JSON.parse(await readAtMost(res, 64 * 1024)) as unknown
      } catch (error) {
        return { verdict: 'hold', reason: `siteverify unreachable: ${error instanceof Error ? error.message : String(error)}` }
      }
      if (typeof answer !== 'object' || answer === null || typeof (answer as { success?: unknown }).success !== 'boolean') {
        return { verdict: 'hold', reason: 'siteverify answered something unexpected' }
      }
      const { success, 'error-codes': codes } = answer as { success: boolean; 'error-codes'?: unknown }
      if (success) return { verdict: 'approve', reason: 'Turnstile passed' }
      return { verdict: 'spam', reason: `Turnstile refused the token (${Array.isArray(codes) ? codes.join(', ') : 'no reason given'})` }
    },
  }
}
