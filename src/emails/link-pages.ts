import { html, type SafeHtml } from '../pages/html.js'
import type { LinkOutcome, LinkPreview } from '../notifications/link-actions.js'
import type { Texts } from '../i18n/texts.js'

type T = Texts['links']

/** The page a refused link shows. */
export function linkProblem(texts: T, reason: 'invalid' | 'expired' | 'used' | 'gone' | 'not_allowed' | 'malformed'): SafeHtml {
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
export function linkConfirmPage(texts: T, preview: Extract<LinkPreview, { ok: true }>, action: string, token: string): SafeHtml {
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
export function linkDonePage(texts: T, outcome: Extract<LinkOutcome, { ok: true }>, action: string, undo?: string): SafeHtml {
  const resumed = outcome.done === 'confirmed' && outcome.started === 0
  const undoForm = undo
    ? html`<p>${texts.undo}</p><form method="post" action="${action}"><input type="hidden" name="t" value="${undo}"><button type="submit">${texts.undoButton}</button></form>`
    : ''
  return html`<main><h1>${texts.title}</h1><p>${resumed ? texts.done.resumed : texts.done[outcome.done]}</p>${undoForm}</main>`
}
