import { akismetCheck, type AkismetComment, type AkismetConfig } from './akismet-client.js'
import type { SpamCandidate, SpamFilter } from './spam-filter.js'

export function akismetComment(candidate: SpamCandidate): AkismetComment {
  return {
    userIp: candidate.ip,
    userAgent: candidate.userAgent,
    referrer: candidate.referrer,
    permalink: candidate.articleUrl,
    isReply: candidate.parentId !== null,
    author: candidate.name,
    email: candidate.email,
    url: candidate.url,
    content: candidate.body,
    createdAt: candidate.createdAt,
    honeypot: candidate.honeypot,
  }
}

/**
 * Akismet's comment-check: `true` is spam, `false` no objection. Anything else holds the comment
 * and asks for a retry, which runJobs makes every 20 minutes for up to 15 days.
 */
export function akismetFilter(config: AkismetConfig): SpamFilter {
  return {
    name: 'akismet',
    timeoutMs: 6000,
    async check(candidate) {
      const verdict = await akismetCheck(config, akismetComment(candidate))
      if (verdict.kind === 'spam') return { verdict: 'spam', reason: 'Akismet says spam' }
      if (verdict.kind === 'ham') return { verdict: 'approve', reason: 'Akismet has no objection' }
      return { verdict: 'hold', reason: `Akismet could not decide (${verdict.reason}); asking again later`, retry: true }
    },
  }
}
