import { checkBody } from '../comments/submission-rules.js'
import { renderBody } from '../comments/render-body.js'
import { insertComment } from '../comments/insert-comment.js'
import { queueNotify } from '../comments/notify-outbox.js'
import { attachableParent } from '../comments/comment-path.js'
import { changeStatus, lockForChange } from '../comments/comment-status.js'
import type { CommentRow } from '../comments/comment-row.js'
import { logAction } from '../audit/audit-log.js'
import { commentNotFound } from '../errors.js'
import type { ModerationContext } from './moderation-context.js'

/**
 * A moderator answers a comment: published at once as the moderator. Answering a held comment
 * approves it first, as WordPress does; answering spam or trash is refused as not found. An
 * answer to a comment at MAX_DEPTH sits beside it.
 */
export async function replyAsModerator(ctx: ModerationContext, parentId: number, rawBody: string | undefined): Promise<CommentRow> {
  const body = checkBody(rawBody)
  const [emailEncrypted, emailHash, avatar] = await Promise.all([
    ctx.secrets.encryptEmail(ctx.moderator.email),
    ctx.secrets.emailHash(ctx.moderator.email),
    ctx.secrets.avatar(ctx.moderator.email),
  ])
  return ctx.db.transaction(async (tx) => {
    const [parent] = await lockForChange(tx, [parentId])
    if (!parent || parent.status === 'spam' || parent.status === 'trash') throw commentNotFound()
    if (parent.status === 'pending') {
      await changeStatus(tx, parent, 'approved', ctx.now)
      await logAction(tx, {
        at: ctx.now,
        moderatorId: ctx.moderator.id,
        action: 'status',
        commentId: parent.id,
        from: 'pending',
        to: 'approved',
      })
      if (ctx.notifications) await queueNotify(tx, parent.id, { event: 'approved' }, ctx.now)
    }
    const reply = await insertComment(tx, {
      articleId: parent.articleId,
      // A reply to a comment at the deepest depth kept goes beside it.
      parent: attachableParent(parent),
      status: 'approved',
      authorName: ctx.moderator.name,
      authorUrl: null,
      emailEncrypted,
      emailHash,
      avatar,
      ip: null,
      userAgent: null,
      body,
      html: renderBody(body),
      checks: [],
      tokenHash: null,
      createdAt: ctx.now,
      moderatorId: ctx.moderator.id,
      // The thread's followers hear of a moderator's reply as of any other.
      notify: ctx.notifications ? { event: 'created' } : null,
    })
    await logAction(tx, {
      at: ctx.now,
      moderatorId: ctx.moderator.id,
      action: 'reply',
      commentId: reply.id,
      from: null,
      to: 'approved',
      detail: { parentId },
    })
    return reply
  })
}
