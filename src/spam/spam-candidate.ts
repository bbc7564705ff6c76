import type { Db } from '../db/database.js'
import type { comments } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { findArticleById } from '../articles/articles.js'
import type { SpamCandidate } from './spam-filter.js'

/** The stored fields a candidate is rebuilt from. */
export type StoredComment = Pick<
  typeof comments.$inferSelect,
  'id' | 'articleId' | 'parentId' | 'authorName' | 'emailEncrypted' | 'authorUrl' | 'body' | 'html' | 'ip' | 'userAgent' | 'createdAt'
>

/**
 * A stored comment as the filters see it, for a re-check, Akismet's feedback or an author's edit
 * (`changes`: the new text and the editing request's own IP, user agent and referrer).
 */
export async function candidateOf(
  db: Db,
  secrets: Secrets,
  row: StoredComment,
  changes: Partial<SpamCandidate> & { referrer: string | null },
): Promise<SpamCandidate> {
  const article = await findArticleById(db, row.articleId)
  return {
    articleKey: article?.key ?? '',
    articleUrl: article?.url ?? null,
    parentId: row.parentId,
    name: row.authorName,
    email: row.emailEncrypted ? await secrets.decryptEmail(row.emailEncrypted) : null,
    url: row.authorUrl,
    body: row.body,
    html: row.html,
    ip: row.ip,
    userAgent: row.userAgent,
    honeypot: '',
    turnstileToken: null,
    createdAt: row.createdAt,
    isEdit: false,
    commentId: row.id,
    ...changes,
  }
}
