import { and, eq, ne } from 'drizzle-orm'
import { comments } from '../db/schema.js'
import type { FilterAnswer, SpamCandidate, SpamContext, SpamFilter } from './spam-filter.js'
import { commenterNetwork } from '../net/ip-networks.js'
import { constantTimeEqual, hashToken } from '../crypto/tokens.js'

/** How many links the rendered HTML carries, explicit and autolinked. */
function countLinks(html: string): number {
  return html.match(/<a\s/gi)?.length ?? 0
}

const approve = (reason: string) => ({ verdict: 'approve' as const, reason })
const hold = (reason: string) => ({ verdict: 'hold' as const, reason })

/** The fields WordPress searches for moderation and disallowed keys. */
function searchedFields(candidate: SpamCandidate): string[] {
  return [candidate.name, candidate.email ?? '', candidate.url ?? '', candidate.body, candidate.ip ?? '', candidate.userAgent ?? '']
}

/** The first key found (case-insensitively, anywhere) in any searched field, as wp_check_comment_disallowed_list() does. */
function findKey(keys: string[], candidate: SpamCandidate): string | undefined {
  const fields = searchedFields(candidate).map((field) => field.toLowerCase())
  for (const raw of keys) {
    const key = raw.trim().toLowerCase()
    if (key && fields.some((field) => field.includes(key))) return raw.trim()
  }
  return undefined
}

const honeypotFilter: SpamFilter = {
  name: 'honeypot',
  check: (candidate) =>
    candidate.honeypot.trim() !== '' ? { verdict: 'spam', reason: 'the hidden field was filled in' } : approve('the hidden field is empty'),
}

const disallowedKeysFilter: SpamFilter = {
  name: 'disallowed-keys',
  check: (candidate, { settings }) => {
    const key = findKey(settings.disallowedKeys, candidate)
    return key ? { verdict: 'spam', reason: `contains the disallowed key "${key}"` } : approve('no disallowed key')
  },
}

const moderationKeysFilter: SpamFilter = {
  name: 'moderation-keys',
  check: (candidate, { settings }) => {
    const key = findKey(settings.moderationKeys, candidate)
    return key ? hold(`contains the moderation key "${key}"`) : approve('no moderation key')
  },
}

const linkCountFilter: SpamFilter = {
  name: 'link-count',
  check: (candidate, { settings }) => {
    const links = countLinks(candidate.html)
    const counted = `${links} ${links === 1 ? 'link' : 'links'}`
    return settings.maxLinks > 0 && links >= settings.maxLinks ? hold(`${counted} (held at ${settings.maxLinks})`) : approve(counted)
  },
}

const manualModerationFilter: SpamFilter = {
  name: 'manual-moderation',
  check: (_candidate, { settings }) =>
    settings.moderation === 'all' ? hold('every comment is held for moderation') : approve('comments are checked by rules'),
}

/**
 * WordPress's "Comment author must have a previously approved comment": same name and email. A
 * name and an email are easy to guess, though, and WordPress would publish a stranger who knew a
 * regular's at once, in their name. So the comment must also come from where that commenter's
 * approved comments came from (the same IPv4 /24 or IPv6 /64, known while their IPs are kept,
 * `ipRetentionDays`), or bring the widget's proof of one of them (its id and token); else it is
 * held, as a first comment is. An author's edit needs neither: its token shows who writes.
 */
const previouslyApprovedFilter: SpamFilter = {
  name: 'previously-approved',
  check: (candidate, ctx) => {
    // Answered at once where nothing need be looked up (run-filters.ts then sets no timer).
    if (!ctx.settings.previouslyApproved) return approve('not required')
    if (candidate.subjectHash) return previouslyApprovedAccount(candidate.subjectHash, candidate, ctx)
    if (!candidate.email || !candidate.name) return hold('no name and email to recognize the commenter')
    return previouslyApproved(candidate, ctx)
  },
}

/**
 * A reader signed in with the site is recognized by their account, which the site's signed token
 * vouches for on any network or device: one approved comment of that account lets the next through.
 */
async function previouslyApprovedAccount(subjectHash: string, candidate: SpamCandidate, { db }: SpamContext): Promise<FilterAnswer> {
  const [approved] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(
        eq(comments.subjectHash, subjectHash),
        eq(comments.status, 'approved'),
        candidate.commentId === undefined ? undefined : ne(comments.id, candidate.commentId),
      ),
    )
    .limit(1)
  return approved ? approve('the signed-in reader has an approved comment') : hold('no approved comment yet from this signed-in reader')
}

async function previouslyApproved(candidate: SpamCandidate, { db, secrets }: SpamContext): Promise<FilterAnswer> {
  if (!candidate.email) return hold('no name and email to recognize the commenter')
  const emailHash = await secrets.emailHash(candidate.email)
  const approvedOfThisCommenter = and(
    eq(comments.emailHash, emailHash),
    eq(comments.status, 'approved'),
    eq(comments.authorName, candidate.name),
    // The comment under review never vouches for itself: approved once, an edit could rewrite it into anything.
    candidate.commentId === undefined ? undefined : ne(comments.id, candidate.commentId),
  )
  // Where their approved comments came from (null once forgotten): few addresses, kept for weeks.
  const seen = await db.selectDistinct({ ip: comments.ip }).from(comments).where(approvedOfThisCommenter).limit(1000)
  if (seen.length === 0) return hold('first comment of this commenter')
  if (candidate.isEdit) return approve('the commenter has an approved comment')
  const network = candidate.ip === null ? null : commenterNetwork(candidate.ip)
  if (network !== null && seen.some(({ ip }) => ip !== null && commenterNetwork(ip) === network)) {
    return approve('the commenter has an approved comment from this network')
  }
  const { proof } = candidate
  if (proof) {
    const [shown] = await db
      .select({ tokenHash: comments.tokenHash })
      .from(comments)
      .where(and(eq(comments.id, proof.commentId), approvedOfThisCommenter))
    if (shown?.tokenHash && constantTimeEqual(await hashToken(proof.token), shown.tokenHash)) {
      return approve('the commenter has an approved comment, whose token this device holds')
    }
  }
  return hold('the name and email of an approved commenter, from a network and device not seen for them')
}

/** WordPress's built-in rules, in the order its check_comment() applies them. */
export const wordpressRules: SpamFilter[] = [
  honeypotFilter,
  manualModerationFilter,
  linkCountFilter,
  moderationKeysFilter,
  previouslyApprovedFilter,
  disallowedKeysFilter,
]
