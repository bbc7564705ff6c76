import { html, type SafeHtml } from '../pages/html.js'
import type { LinkOutcome, LinkPreview } from '../notifications/link-actions.js'

/** The texts of the pages an emailed link opens (one catalog with the emails' own, issue 20). */
const texts = {
  title: 'Comments',
  invalid: 'This link is not valid. It may have been cut when the email was copied.',
  expired: 'This link has expired. Open the comment from the dashboard instead.',
  used: 'This link has been used already.',
  gone: 'There is nothing left to do here: the comment or address no longer exists.',
  notAllowed: 'Your moderator account cannot do this any longer.',
  act: { approve: 'Approve this comment?', spam: 'Mark this comment as spam?', trash: 'Move this comment to the trash?' },
  actButton: { approve: 'Approve', spam: 'Mark as spam', trash: 'Move to trash' },
  by: (name: string) => `By ${name}`,
  confirm: 'Confirm that you want comment notifications at this address.',
  confirmButton: 'Confirm my email address',
  unsubscribeThread: 'Stop emails about this article?',
  unsubscribeAll: 'Stop all comment emails to this address?',
  unsubscribeButton: 'Unsubscribe',
  malformed: 'This request could not be read. Open the link from the email again.',
  now: {
    pending: 'It is held for moderation now.',
    approved: 'It is published now.',
    spam: 'It is in spam now.',
    trash: 'It is in the trash now.',
  },
  undo: 'Emails to this address are stopped, confirmations included. Changed your mind?',
  undoButton: 'Allow comment emails again',
  done: {
    moderated: 'Done: the comment has been moderated.',
    confirmed: 'Thank you: your address is confirmed. You will be emailed as you asked.',
    unsubscribed: 'You are unsubscribed. No more emails of this kind will be sent.',
    resumed: 'Comment emails to this address are allowed again. Tick the box under a comment to follow an article.',
  },
}

/** The page a refused link shows. */
export function linkProblem(reason: 'invalid' | 'expired' | 'used' | 'gone' | 'not_allowed' | 'malformed'): SafeHtml {
  const message = {
    invalid: texts.invalid,
    expired: texts.expired,
    used: texts.used,
    gone: texts.gone,
    not_allowed: texts.notAllowed,
    malformed: texts.malformed,
  }[reason]
  return html`<main><h1>${texts.title}</h1><p>${message}</p></main>`
}

/**
 * What a link's GET shows: what it will do, and a button whose POST does it. Mail scanners fetch
 * links to check them; only a person presses the button.
 */
export function linkConfirmPage(preview: Extract<LinkPreview, { ok: true }>, action: string, token: string): SafeHtml {
  const link = preview.link
  const form = (question: string, button: string, extra: SafeHtml | string = '') =>
    html`<main><h1>${texts.title}</h1><p>${question}</p>${extra}
<form method="post" action="${action}"><input type="hidden" name="t" value="${token}"><button type="submit">${button}</button></form></main>`
  if (link.use === 'act') {
    const comment = preview.comment
    const quote = comment
      ? html`<blockquote><p><strong>${texts.by(comment.authorName)}</strong></p><p>${comment.body}</p></blockquote><p>${texts.now[comment.status]}</p>`
      : ''
    return form(texts.act[link.action], texts.actButton[link.action], quote)
  }
  if (link.use === 'confirm') return form(texts.confirm, texts.confirmButton)
  return form(link.articleId === null ? texts.unsubscribeAll : texts.unsubscribeThread, texts.unsubscribeButton)
}

/**
 * What a link's POST answers. After "stop all comment emails", a way back: a confirmation token of
 * the moment (`undo`), which lifts the stop (the person on this page came from the address's own email).
 */
export function linkDonePage(outcome: Extract<LinkOutcome, { ok: true }>, action: string, undo?: string): SafeHtml {
  const resumed = outcome.done === 'confirmed' && outcome.started === 0
  const undoForm = undo
    ? html`<p>${texts.undo}</p><form method="post" action="${action}"><input type="hidden" name="t" value="${undo}"><button type="submit">${texts.undoButton}</button></form>`
    : ''
  return html`<main><h1>${texts.title}</h1><p>${resumed ? texts.done.resumed : texts.done[outcome.done]}</p>${undoForm}</main>`
}

export const LINK_PAGE_TITLE = texts.title
