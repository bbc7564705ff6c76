import { and, eq, gt, isNull, or } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { commenterRules, type CheckResult, type CommenterRuleAction, type CommenterRuleKind } from '../db/schema.js'
import { canonicalIp, commenterNetwork } from '../net/ip-networks.js'

/** What a submission is compared with: its keys, one per kind it has. */
export interface RuleKey {
  kind: CommenterRuleKind
  key: string
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()

/** The keys a commenter is known by, for the rules: email and account by their hashes, the address, its network, the email's domain. */
export function ruleKeys(who: {
  emailHash: string | null
  email: string | null
  subjectHash: string | null
  ip: string | null
}): RuleKey[] {
  const keys: RuleKey[] = []
  if (who.emailHash) keys.push({ kind: 'email', key: who.emailHash })
  if (who.subjectHash) keys.push({ kind: 'account', key: who.subjectHash })
  const ip = who.ip === null ? undefined : canonicalIp(who.ip)
  if (ip && who.ip !== null) keys.push({ kind: 'ip', key: ip }, { kind: 'network', key: commenterNetwork(who.ip) })
  if (who.email) keys.push({ kind: 'domain', key: domainOf(who.email) })
  return keys
}

/** A rule that matched a submission. */
export interface MatchedRule {
  id: number
  kind: CommenterRuleKind
  action: CommenterRuleAction
  reason: string | null
}

/** The ban that applies, else the trust: a ban wins over trust (a trusted account posting from a banned network is banned). */
export function decisiveRule(matched: readonly MatchedRule[]): MatchedRule | undefined {
  return matched.find((rule) => rule.action === 'ban') ?? matched.find((rule) => rule.action === 'trust')
}

/** The rules in force that match any of the keys (one indexed look-up per key). */
export async function matchRules(db: Db, keys: readonly RuleKey[], now: Date): Promise<MatchedRule[]> {
  if (keys.length === 0) return []
  return db
    .select({ id: commenterRules.id, kind: commenterRules.kind, action: commenterRules.action, reason: commenterRules.reason })
    .from(commenterRules)
    .where(
      and(
        or(...keys.map(({ kind, key }) => and(eq(commenterRules.kind, kind), eq(commenterRules.matchKey, key)))),
        or(isNull(commenterRules.expiresAt), gt(commenterRules.expiresAt, now)),
      ),
    )
}

/** WordPress's rules that hold a comment for a moderator's look: a trusted commenter skips them; spam filters still apply. */
const MODERATION_CHECKS = new Set(['manual-moderation', 'moderation-keys', 'link-count', 'previously-approved', 'flood'])

/** The checks with the commenter's rule applied: a ban's spam verdict, or trust's holds lifted. */
export function withRule(checks: readonly CheckResult[], rule: MatchedRule | undefined): CheckResult[] {
  if (!rule) return [...checks]
  if (rule.action === 'ban')
    return [
      ...checks,
      { filter: 'commenter-rules', verdict: 'spam', reason: `banned commenter (${rule.kind})${rule.reason ? `: ${rule.reason}` : ''}` },
    ]
  return [
    ...checks.map((check) =>
      check.verdict === 'hold' && MODERATION_CHECKS.has(check.filter)
        ? { ...check, verdict: 'approve' as const, reason: `${check.reason}; skipped for a trusted commenter` }
        : check,
    ),
    { filter: 'commenter-rules', verdict: 'approve', reason: `trusted commenter (${rule.kind})` },
  ]
}
