import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { comments, type CommenterRuleKind, type CommentStatus } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import type { ThreadCursor } from '../comments/thread-query.js'
import { toModComments, type ModComment } from './comment-for-moderators.js'
import { matchRules, ruleKeys, type MatchedRule } from '../comments/commenter-rule-match.js'
import { listNotes, noteKeyOf, type CommenterNote } from './commenter-notes.js'

/**
 * How a commenter's comments are told apart from others': a reader the site signed in by their
 * account (the keyed hash of its subject), a guest by their address (its keyed hash); a comment
 * with neither (imported without an address) stands alone.
 */
export type CommenterMatch = 'account' | 'email' | 'comment'

export interface CommenterHistory {
  commenter: {
    /** The name on the comment asked about (a commenter may have used others). */
    name: string
    verified: boolean
    matchedBy: CommenterMatch
    counts: Record<CommentStatus, number>
    firstCommentAt: string
    lastCommentAt: string
    /** The bans and trust in force that this comment's commenter meets (by email, account, address, network or domain). */
    rules: MatchedRule[]
    /** What this comment lets a moderator ban or trust its commenter by. */
    kinds: CommenterRuleKind[]
    /** Moderators' private notes on them, oldest first (none possible without an email or account). */
    notes: CommenterNote[]
  }
  /** Newest first, every status. */
  comments: ModComment[]
  next: ThreadCursor | null
}

/**
 * One commenter's comments, found from any of them (issue 19's account history, issue 20's
 * commenter view): counts by status and first/last dates in one statement over the indexes on
 * (subject_hash, status) and (email_hash, status), and a page of the comments, newest first.
 */
export async function commenterHistory(
  db: Db,
  secrets: Secrets,
  commentId: number,
  page: { limit: number; cursor: ThreadCursor | null; now: Date },
): Promise<CommenterHistory | undefined> {
  const [self] = await db
    .select({
      id: comments.id,
      name: comments.authorName,
      subjectHash: comments.subjectHash,
      emailHash: comments.emailHash,
      emailEncrypted: comments.emailEncrypted,
      ip: comments.ip,
    })
    .from(comments)
    .where(eq(comments.id, commentId))
  if (!self) return undefined
  const matchedBy: CommenterMatch = self.subjectHash !== null ? 'account' : self.emailHash !== null ? 'email' : 'comment'
  const same: SQL =
    self.subjectHash !== null
      ? eq(comments.subjectHash, self.subjectHash)
      : self.emailHash !== null
        ? eq(comments.emailHash, self.emailHash)
        : eq(comments.id, self.id)
  const before = page.cursor
    ? sql`(${comments.createdAt}, ${comments.id}) < (${new Date(page.cursor.at).toISOString()}::timestamptz, ${page.cursor.id}::int)`
    : undefined
  const email = self.emailEncrypted ? await secrets.decryptEmail(self.emailEncrypted) : null
  const keys = ruleKeys({ emailHash: self.emailHash, email, subjectHash: self.subjectHash, ip: self.ip })
  const noteKey = noteKeyOf(self)
  const [totals, rows, rules, notes] = await Promise.all([
    db
      .select({
        status: comments.status,
        count: sql<number>`count(*)::int`,
        first: sql<Date>`min(${comments.createdAt})`.mapWith(comments.createdAt),
        last: sql<Date>`max(${comments.createdAt})`.mapWith(comments.createdAt),
      })
      .from(comments)
      .where(same)
      .groupBy(comments.status),
    db
      .select()
      .from(comments)
      .where(and(same, before))
      .orderBy(desc(comments.createdAt), desc(comments.id))
      .limit(page.limit + 1),
    matchRules(db, keys, page.now),
    noteKey ? listNotes(db, noteKey) : [],
  ])
  const counts: Record<CommentStatus, number> = { pending: 0, approved: 0, spam: 0, trash: 0 }
  let first: Date | null = null
  let last: Date | null = null
  for (const total of totals) {
    counts[total.status] = total.count
    const from = new Date(total.first)
    const to = new Date(total.last)
    if (!first || from < first) first = from
    if (!last || to > last) last = to
  }
  const shown = rows.slice(0, page.limit)
  const end = shown[shown.length - 1]
  return {
    commenter: {
      name: self.name,
      verified: matchedBy === 'account',
      matchedBy,
      counts,
      firstCommentAt: (first ?? new Date(0)).toISOString(),
      lastCommentAt: (last ?? new Date(0)).toISOString(),
      rules,
      kinds: keys.map((key) => key.kind),
      notes,
    },
    comments: await toModComments(db, secrets, shown),
    next: rows.length > page.limit && end ? { at: end.createdAt.getTime(), id: end.id } : null,
  }
}
