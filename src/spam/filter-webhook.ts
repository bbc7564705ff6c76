import { signWebhook, newMessageId } from '../crypto/webhook-signing.js'
import { refuseTarget, type ResolveHost, type TargetFetch } from '../net/target-guard.js'
import type { FilterAnswer, SpamCandidate, SpamFilter } from './spam-filter.js'
import { readAtMost } from '../net/read-at-most.js'

/** A verdict and its reason fit in far less; anything longer is not an answer. */
const ANSWER_MAX_BYTES = 64 * 1024

export interface FilterWebhook {
  url: string
  timeoutMs: number
  includeEmail: boolean
  /** The `whsec_` secret, unsealed for this request only. */
  secret: string
}

const verdicts = new Set(['approve', 'hold', 'spam'])

/** What the site's filter receives: the candidate, and the email only when it asked for it. */
function payload(candidate: SpamCandidate, includeEmail: boolean, now: Date): string {
  return JSON.stringify({
    type: 'comment.check',
    timestamp: now.toISOString(),
    data: {
      comment: {
        article: { key: candidate.articleKey, url: candidate.articleUrl },
        parentId: candidate.parentId,
        author: { name: candidate.name, url: candidate.url, ...(includeEmail ? { email: candidate.email } : {}) },
        body: candidate.body,
        html: candidate.html,
        ip: candidate.ip,
        userAgent: candidate.userAgent,
        referrer: candidate.referrer,
        isEdit: candidate.isEdit,
        createdAt: candidate.createdAt.toISOString(),
      },
    },
  })
}

function parseAnswer(text: string): FilterAnswer | undefined {
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof answer !== 'object' || answer === null) return undefined
  const { verdict, reason } = answer as { verdict?: unknown; reason?: unknown }
  if (typeof verdict !== 'string' || !verdicts.has(verdict)) return undefined
  return { verdict: verdict as FilterAnswer['verdict'], reason: typeof reason === 'string' ? reason.slice(0, 500) : 'no reason given' }
}

/**
 * The site's own filter service: a Standard-Webhooks-signed POST of the candidate, answered
 * `{ "verdict", "reason"? }` within `timeoutMs`. Anything else (an error status, garbage, silence,
 * a refused connection, a private target) holds the comment, keeps the failure in its checks,
 * and asks to be asked again later.
 */
export function filterWebhookFilter(
  hook: FilterWebhook,
  policy: { allowPrivate: boolean; resolveHost?: ResolveHost; targetFetch?: TargetFetch },
): SpamFilter {
  return {
    name: 'filter-webhook',
    timeoutMs: hook.timeoutMs + 1000,
    async check(candidate, ctx) {
      const refused = await refuseTarget(hook.url, policy)
      if (refused) return { verdict: 'hold', reason: `filter not called: ${refused.reason}`, retry: true }
      const body = payload(candidate, hook.includeEmail, ctx.now)
      const headers = await signWebhook(hook.secret, newMessageId(), Math.floor(ctx.now.getTime() / 1000), body)
      let res: Response
      try {
        res = await (policy.targetFetch ?? fetch)(
          hook.url,
          {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(hook.timeoutMs),
          },
          policy,
        )
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        const reason = timedOut
          ? `filter gave no answer within ${hook.timeoutMs} ms`
          : `filter unreachable: ${error instanceof Error ? error.message : String(error)}`
        return { verdict: 'hold', reason, retry: true }
      }
      const text = await readAtMost(res, ANSWER_MAX_BYTES).catch(() => '')
      if (res.status < 200 || res.status > 299) return { verdict: 'hold', reason: `filter answered ${res.status}`, retry: true }
      const answer = parseAnswer(text)
      if (!answer) return { verdict: 'hold', reason: 'filter answered something that is not a verdict', retry: true }
      return { verdict: answer.verdict, reason: `filter: ${answer.reason}` }
    },
  }
}
