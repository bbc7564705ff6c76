import { and, asc, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { commenterRules, comments } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { ANONYMOUS } from '../comments/public-views.js'
import { lockForChange } from '../comments/comment-status.js'
import { bumpArticle } from '../articles/articles.js'
import { logAction } from '../audit/audit-log.js'
import { toModComments, type ModComment } from '../moderation/comment-for-moderators.js'
import { anonymizeIp } from '../net/ip-networks.js'
import { forgetAddress, subscriptionsOf, type SubscriptionRecord } from '../notifications/subscriptions.js'
import { commenterNotes } from '../db/desk-schema.js'
import { notesOf } from '../moderation/commenter-notes.js'
import { accountVoter, countVotes, eraseVotes } from '../comments/comment-votes.js'

/** Whom a request is about: an email address, the site's account id of a signed-in reader (`sub`), or both. */
export interface DataSubject {
  email: string | null
  subject: string | null
}

/**
 * Their comments: by the keyed hash of the address, or of the account. Their notes go by account too
 * where the address's comments were posted signed in (a note follows a signed-in commenter's account).
 */
async function whose(
  db: Db,
  secrets: Secrets,
  who: DataSubject,
): Promise<{ where: SQL; emailHash: string | null; rules: SQL; notes: SQL }> {
  const emailHash = who.email ? await secrets.emailHash(who.email) : null
  const subjectHash = who.subject ? await secrets.subjectHash(who.subject) : null
  const accounts = emailHash
    ? (
        await db
          .selectDistinct({ subjectHash: comments.subjectHash })
          .from(comments)
          .where(and(eq(comments.emailHash, emailHash), isNotNull(comments.subjectHash)))
      ).flatMap((row) => (row.subjectHash === null ? [] : [row.subjectHash]))
    : []
  const clauses = [
    emailHash ? eq(comments.emailHash, emailHash) : undefined,
    subjectHash ? eq(comments.subjectHash, subjectHash) : undefined,
  ]
  // Their bans and trust by email or account (those by address, network or domain name no one).
  const rules = or(
    emailHash ? and(eq(commenterRules.kind, 'email'), eq(commenterRules.matchKey, emailHash)) : undefined,
    subjectHash ? and(eq(commenterRules.kind, 'account'), eq(commenterRules.matchKey, subjectHash)) : undefined,
  )
  const notes = or(notesOf(emailHash, subjectHash), ...accounts.map((account) => notesOf(null, account))) ?? sql`false`
  return { where: or(...clauses) ?? sql`false`, emailHash, rules: rules ?? sql`false`, notes }
}

/** A ban or trust that names the person, as their export gives it. */
export interface PersonalRule {
  kind: string
  action: string
  reason: string | null
  expiresAt: string | null
  createdAt: string
}

export interface PrivacyActor {
  moderatorId: number | null
  now: Date
}

/**
 * Every comment an address wrote, found through the keyed email hash (an index look-up: no
 * email is ever decrypted to search), oldest first, as moderators see them. The request is
 * logged with how many comments it found, never the address.
 */
export async function exportPersonalData(
  db: Db,
  secrets: Secrets,
  who: DataSubject,
  actor: PrivacyActor,
): Promise<{
  comments: ModComment[]
  notifications: SubscriptionRecord | null
  commenterRules: PersonalRule[]
  moderatorNotes: { body: string; createdAt: string }[]
  /** Upvotes given signed in (a request by account): how many; which comments is not kept apart from the vote. */
  votes: number
}> {
  const { where, emailHash, rules, notes } = await whose(db, secrets, who)
  const rows = await db.select().from(comments).where(where).orderBy(asc(comments.createdAt), asc(comments.id))
  const ruleRows = await db.select().from(commenterRules).where(rules).orderBy(asc(commenterRules.id))
  const noteRows = await db.select().from(commenterNotes).where(notes).orderBy(asc(commenterNotes.id))
  const notifications = emailHash ? await subscriptionsOf(db, emailHash) : null
  await logAction(db, {
    at: actor.now,
    moderatorId: actor.moderatorId,
    action: 'privacy.export',
    detail: { comments: rows.length, subscriptions: notifications?.subscriptions.length ?? 0 },
  })
  return {
    comments: await toModComments(db, secrets, rows),
    notifications,
    commenterRules: ruleRows.map((rule) => ({
      kind: rule.kind,
      action: rule.action,
      reason: rule.reason,
      expiresAt: rule.expiresAt?.toISOString() ?? null,
      createdAt: rule.createdAt.toISOString(),
    })),
    // What moderators wrote about them is their personal data too (GDPR art. 15); who wrote it is not given.
    moderatorNotes: noteRows.map((note) => ({ body: note.body, createdAt: note.createdAt.toISOString() })),
    votes: who.subject ? await countVotes(db, await accountVoter(secrets, who.subject)) : 0,
  }
}

/**
 * Anonymizes every comment an address wrote, as WordPress's eraser does: the name becomes
 * "Anonymous"; email, URL and user agent are cleared; the IP keeps only its network. The email
 * hash and the avatar go too, so that nothing can find this person again, and the undelivered
 * or logged webhook events about those comments lose the same details. The text stays (as in
 * WordPress: it belongs to the conversation). Articles showing any of them change version. The
 * address's email notifications go entirely: its sealed copy, subscriptions, queued and past emails;
 * so do the bans and trust made by its email or account.
 */
export async function erasePersonalData(
  db: Db,
  secrets: Secrets,
  who: DataSubject,
  actor: PrivacyActor,
): Promise<{ comments: number; notifications: boolean; commenterRules: number; moderatorNotes: number; votes: number }> {
  const { where, emailHash, rules, notes } = await whose(db, secrets, who)
  const voter = who.subject ? await accountVoter(secrets, who.subject) : null
  return db.transaction(async (tx) => {
    const ids = (await tx.select({ id: comments.id }).from(comments).where(where)).map((row) => row.id)
    const rows = await lockForChange(tx, ids)
    // By id from here: the hashes that found them are cleared below.
    const theirs = ids.length > 0 ? inArray(comments.id, ids) : sql`false`
    if (rows.length > 0) {
      await tx.execute(sql`
        update webhook_deliveries set email_sealed = null,
          payload = jsonb_set(payload, '{data,comment,author}', (payload #> '{data,comment,author}') || ${JSON.stringify({ name: ANONYMOUS, url: null, avatar: null, verified: false, avatarUrl: null })}::jsonb)
        where payload #> '{data,comment,author}' is not null
          and (payload #>> '{data,comment,id}')::int in (select id from comments where ${theirs})`)
    }
    for (const ip of new Set(rows.map((row) => row.ip).filter((value) => value !== null))) {
      await tx
        .update(comments)
        .set({ ip: anonymizeIp(ip) })
        .where(and(theirs, eq(comments.ip, ip)))
    }
    await tx
      .update(comments)
      .set({
        authorName: ANONYMOUS,
        authorUrl: null,
        emailEncrypted: null,
        emailHash: null,
        avatar: null,
        userAgent: null,
        subjectHash: null,
        authorAvatarUrl: null,
      })
      .where(theirs)
    for (const articleId of new Set(rows.filter((row) => row.shown).map((row) => row.articleId))) await bumpArticle(tx, articleId, 0)
    const notifications = emailHash ? await forgetAddress(tx, emailHash) : false
    // Their bans and trust by email or account go too: the admin who erases decides whether to ban again.
    const removedRules = (await tx.delete(commenterRules).where(rules).returning({ id: commenterRules.id })).length
    const removedNotes = (await tx.delete(commenterNotes).where(notes).returning({ id: commenterNotes.id })).length
    // A guest's votes are keyed by network and browser, which no request names: a signed-in reader's go.
    const removedVotes = voter ? await eraseVotes(tx, voter) : 0
    await logAction(tx, {
      at: actor.now,
      moderatorId: actor.moderatorId,
      action: 'privacy.erase',
      detail: { comments: rows.length, notifications, commenterRules: removedRules, moderatorNotes: removedNotes, votes: removedVotes },
    })
    return { comments: rows.length, notifications, commenterRules: removedRules, moderatorNotes: removedNotes, votes: removedVotes }
  })
}
