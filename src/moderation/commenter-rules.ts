import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { commenterRules, comments, moderators, type CommenterRuleAction, type CommenterRuleKind } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { AppError, validationError } from '../errors.js'
import { logAction } from '../audit/audit-log.js'
import { canonicalIp, commenterNetwork } from '../net/ip-networks.js'
import { isEmail } from '../comments/is-email.js'
import { ruleKeys } from '../comments/commenter-rule-match.js'
import { cleanText } from '../comments/clean-text.js'
import type { ModerationContext } from './moderation-context.js'

/** A rule as moderators see it: what it matches in words, never a hash. */
export interface RuleView {
  id: number
  kind: CommenterRuleKind
  action: CommenterRuleAction
  /** The address, network or domain; the email decrypted; null for an account (the name says whose). */
  value: string | null
  label: string | null
  reason: string | null
  expiresAt: string | null
  createdAt: string
  createdBy: { id: number; name: string } | null
}

export interface NewRule {
  action: CommenterRuleAction
  kind: CommenterRuleKind
  /** The comment whose commenter the rule is about; else `value`. */
  commentId?: number | undefined
  /** An email address, an IP address, a network (`2001:db8:1:2::/64`, `192.0.2.0/24`) or a domain. */
  value?: string | undefined
  reason?: string | null | undefined
  expiresAt?: Date | null | undefined
}

const refused = (field: string, message: string) => validationError([{ field, code: 'invalid_value', message }])

/** What the rule matches and shows, from a comment or from the value given. */
async function target(
  db: Db,
  secrets: Secrets,
  rule: NewRule,
): Promise<{ matchKey: string; label: string | null; email: string | null; value: string | null }> {
  if (rule.commentId !== undefined) {
    const [row] = await db
      .select({ name: comments.authorName, emailEncrypted: comments.emailEncrypted, subjectHash: comments.subjectHash, ip: comments.ip })
      .from(comments)
      .where(eq(comments.id, rule.commentId))
    if (!row) throw new AppError('not_found', 'There is no such comment.')
    const email = row.emailEncrypted ? await secrets.decryptEmail(row.emailEncrypted) : null
    const keys = ruleKeys({ emailHash: email ? await secrets.emailHash(email) : null, email, subjectHash: row.subjectHash, ip: row.ip })
    const key = keys.find((candidate) => candidate.kind === rule.kind)
    if (!key) {
      const what = {
        email: 'an email address',
        account: 'a signed-in account',
        ip: 'an IP address',
        network: 'an IP address',
        domain: 'an email address',
      }
      throw refused('kind', `This comment has no ${what[rule.kind].replace(/^an? /, '')} to go by (imported, or its IP address purged).`)
    }
    const value = rule.kind === 'email' ? email : rule.kind === 'account' ? null : key.key
    return { matchKey: key.key, label: row.name, email: rule.kind === 'email' ? email : null, value }
  }
  const given = (rule.value ?? '').trim()
  if (!given) throw refused('value', 'Give the comment or the value the rule is about.')
  switch (rule.kind) {
    case 'email': {
      if (!isEmail(given)) throw refused('value', 'Please enter a valid email address.')
      return { matchKey: await secrets.emailHash(given), label: null, email: given, value: given }
    }
    case 'domain': {
      const domain = given.replace(/^@/, '').toLowerCase()
      if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(domain))
        throw refused('value', 'Please enter a domain such as example.com.')
      return { matchKey: domain, label: null, email: null, value: domain }
    }
    case 'ip': {
      const ip = canonicalIp(given)
      if (!ip) throw refused('value', 'Please enter an IPv4 or IPv6 address.')
      return { matchKey: ip, label: null, email: null, value: ip }
    }
    case 'network': {
      const [address = '', bits] = given.split('/')
      const ip = canonicalIp(address)
      const network = ip ? commenterNetwork(ip) : undefined
      // Only the networks the rules match by: IPv4 /24 and IPv6 /64.
      if (!network || (bits !== undefined && `${bits}` !== network.split('/')[1]))
        throw refused('value', 'Please enter an IPv4 /24 or an IPv6 /64 network, or an address in it.')
      return { matchKey: network, label: null, email: null, value: network }
    }
    case 'account':
      throw refused('commentId', "An account is banned or trusted from one of its comments: Parley keeps no account's id.")
  }
}

/**
 * Bans or trusts a commenter (issue 20; issue 19's accounts among them): from one of their comments,
 * or by a value. A commenter has one rule per kind: a new one replaces the old (trust becomes a ban).
 * Audit-logged without the address itself.
 */
export async function addRule(ctx: ModerationContext, rule: NewRule): Promise<RuleView> {
  const { db, secrets, now } = ctx
  if (rule.expiresAt && rule.expiresAt <= now) throw refused('expiresAt', 'The expiry must be in the future.')
  const found = await target(db, secrets, rule)
  const reason = rule.reason ? cleanText(rule.reason, { multiline: false }).trim().slice(0, 500) || null : null
  const values = {
    kind: rule.kind,
    matchKey: found.matchKey,
    action: rule.action,
    label: found.label,
    emailEncrypted: found.email ? await secrets.encryptEmail(found.email) : null,
    reason,
    expiresAt: rule.expiresAt ?? null,
    createdBy: ctx.moderator.id,
    createdAt: now,
  }
  const row = await db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(commenterRules)
      .values(values)
      .onConflictDoUpdate({ target: [commenterRules.kind, commenterRules.matchKey], set: values })
      .returning()
    if (!saved) throw new Error('the rule was not stored')
    await logAction(tx, {
      at: now,
      moderatorId: ctx.moderator.id,
      action: rule.action,
      commentId: rule.commentId ?? null,
      detail: { rule: saved.id, kind: rule.kind, reason, expiresAt: saved.expiresAt?.toISOString() ?? null },
    })
    return saved
  })
  return {
    id: row.id,
    kind: row.kind,
    action: row.action,
    value: found.value,
    label: row.label,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: { id: ctx.moderator.id, name: ctx.moderator.name },
  }
}

/** Lifts a ban or withdraws trust; audit-logged. */
export async function removeRule(ctx: ModerationContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(commenterRules).where(eq(commenterRules.id, id)).returning()
    if (!gone) throw new AppError('not_found', 'There is no such ban or trust.')
    await logAction(tx, {
      at: ctx.now,
      moderatorId: ctx.moderator.id,
      action: gone.action === 'ban' ? 'unban' : 'untrust',
      detail: { rule: gone.id, kind: gone.kind },
    })
  })
}

/** Every rule, bans first, oldest first; expired ones are listed (as such) until removed. */
export async function listRules(db: Db, secrets: Secrets): Promise<RuleView[]> {
  const rows = await db
    .select({ rule: commenterRules, moderatorName: moderators.name })
    .from(commenterRules)
    .leftJoin(moderators, eq(moderators.id, commenterRules.createdBy))
    .orderBy(sql`${commenterRules.action} = 'trust'`, asc(commenterRules.id))
  return Promise.all(
    rows.map(async ({ rule, moderatorName }) => ({
      id: rule.id,
      kind: rule.kind,
      action: rule.action,
      value: rule.emailEncrypted
        ? await secrets.decryptEmail(rule.emailEncrypted)
        : rule.kind === 'account' || rule.kind === 'email'
          ? null
          : rule.matchKey,
      label: rule.label,
      reason: rule.reason,
      expiresAt: rule.expiresAt?.toISOString() ?? null,
      createdAt: rule.createdAt.toISOString(),
      createdBy: rule.createdBy !== null && moderatorName !== null ? { id: rule.createdBy, name: moderatorName } : null,
    })),
  )
}
