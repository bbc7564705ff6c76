import type { Db } from '../db/database.js'
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

/**
 * The reader's own held comment on this article, shown to the holder of the pair alone, as
 * WordPress shows it (wp_get_unapproved_comment_author_email): nothing for a wrong or stale pair,
 * another article's comment, or one a moderator decided on since. A spam verdict looks held.
 */
export async function findReaderHeld(
  db: Db,
  secrets: Pick<Secrets, 'moderationHash'>,
  articleKey: string,
  pair: HeldPair,
  threadDepth: number,
): Promise<PublicComment | null> {
  const { unapproved, moderationHash } = pair
  if (!unapproved || !ID.test(unapproved) || !moderationHash) return null
  const id = Number(unapproved)
  if (id > 2_147_483_647 || !constantTimeEqual(moderationHash, await secrets.moderationHash(id))) return null
  const row = await findComment(db, id)
  if (!row || (row.status !== 'pending' && row.status !== 'spam')) return null
  const article = await findArticleById(db, row.articleId)
  return article?.key === articleKey ? toPublicComment(row, threadDepth) : null
}
