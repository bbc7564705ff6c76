import { and, eq, isNotNull, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { moderationLog } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { constantTimeEqual } from '../crypto/tokens.js'
import { findArticleById } from '../articles/articles.js'
import { findComment } from './author-actions.js'
import { toPublicComment, type PublicComment } from './public-views.js'

/** WordPress's pair in the redirect after a held comment: `?unapproved=ID&moderation-hash=HASH`. */
export interface HeldPair {
  unapproved: string | undefined
  moderationHash: string | undefined
}

const ID = /^[1-9]\d{0,9}$/

/** WordPress shows the author their held comment for 10 minutes (wp_get_unapproved_comment_author_email). */
export const HELD_PREVIEW_MS = 10 * 60_000

/**
 * The reader's own held comment on this article, shown to the holder of the pair alone, as
 * WordPress shows it (wp_get_unapproved_comment_author_email): for 10 minutes after it was posted,
 * while no one has decided on it (a filter's spam verdict looks held; a moderator's does not), and
 * only on its own article. The hash is of the id and the creation time, so a pair never opens
 * another comment that took a freed id (a deletion, then an import).
 */
export async function findReaderHeld(
  db: Db,
  secrets: Pick<Secrets, 'moderationHash'>,
  articleKey: string,
  pair: HeldPair,
  threadDepth: number,
  now: Date,
): Promise<PublicComment | null> {
  const { unapproved, moderationHash } = pair
  if (!unapproved || !ID.test(unapproved) || !moderationHash || moderationHash.length > 64) return null
  const id = Number(unapproved)
  if (id > 2_147_483_647) return null
  const row = await findComment(db, id)
  if (!row || !constantTimeEqual(moderationHash, await secrets.moderationHash(row))) return null
  const undecided = (row.status === 'pending' || row.status === 'spam') && row.statusChangedAt.getTime() === row.createdAt.getTime()
  const age = now.getTime() - row.createdAt.getTime()
  if (!undecided || age < 0 || age >= HELD_PREVIEW_MS) return null
  if (await decidedOn(db, id)) return null
  const article = await findArticleById(db, row.articleId)
  return article?.key === articleKey ? toPublicComment(row, threadDepth) : null
}

/** Whether anyone changed the comment's status since it arrived (the audit log says so): a moderator's spam is not a filter's. */
async function decidedOn(db: Db, commentId: number): Promise<boolean> {
  const [entry] = await db
    .select({ id: moderationLog.id })
    .from(moderationLog)
    .where(
      and(
        eq(moderationLog.commentId, commentId),
        isNotNull(moderationLog.to),
        sql`${moderationLog.to} is distinct from ${moderationLog.from}`,
      ),
    )
    .limit(1)
  return entry !== undefined
}
