import type { NewComment } from '../../src/comments/insert-comment.js'

/**
 * A comment as storeComment and insertComments take it: published, on `articleId`, by `author`
 * from `ip` (the batch tests and the outsider's set their own, to tell their rows apart).
 */
export function newComment(
  now: Date,
  articleId: number,
  body: string,
  parent: NewComment['parent'],
  author: { name: string; ip: string },
): NewComment {
  return {
    articleId,
    parent,
    status: 'approved',
    authorName: author.name,
    authorUrl: null,
    emailEncrypted: null,
    emailHash: null,
    avatar: null,
    ip: author.ip,
    userAgent: null,
    body,
    html: `<p>${body}</p>`,
    checks: [],
    tokenHash: null,
    createdAt: now,
  }
}
