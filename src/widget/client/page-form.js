// @ts-check
/**
 * The widget's browser code, part 6 of 8: the page's own WordPress form, taken over by an enhanced
 * widget (enhance.js). It posts through the API as the widget's form does (form.js), and moves
 * under a comment to reply as WordPress's comment-reply.js moves it, which may be on the page too:
 * both leave the same state (WordPress's placeholder #wp-temp-form-div, `comment_parent`, the
 * cancel link shown by its style property), so either one's cancel undoes the other's reply.
 */
/** @import { Commenter, Compose, Widget } from './types.js' */
import { h, stored } from './core.js'
import { cancelReply, listen, replying } from './form.js'
import { bodyOf } from './thread.js'

/**
 * The page's own comment form (the theme's comment_form(), which posts to /comment-form without
 * JavaScript), taken over by an enhanced widget: posted through the API with the same messages as
 * the widget's form. Fields the theme left out are stood in for by detached ones.
 * @param {Widget} w
 * @param {HTMLElement} respond
 * @param {HTMLFormElement} form
 */
export function adoptForm(w, respond, form) {
  /**
   * @template {HTMLElement} T
   * @param {string} name
   * @param {T} fallback
   * @returns {T}
   */
  const named = function (name, fallback) {
    const found = form.elements.namedItem(name)
    return found instanceof HTMLElement && found.tagName === fallback.tagName ? /** @type {T} */ (found) : fallback
  }
  const box = function () {
    return h('input', { type: 'checkbox' })
  }
  const fields = {
    body: named('comment', h('textarea')),
    name: named('author', h('input')),
    email: named('email', h('input')),
    url: named('url', h('input')),
  }
  const consent = named('wp-comment-cookies-consent', box())
  const follow = named('subscribe_comments', box())
  const approval = named('notify_approval', box())
  const title = respond.querySelector('.comment-reply-title') || h('h3')
  const titleText = title.firstChild instanceof Text ? title.firstChild : title.insertBefore(document.createTextNode(''), title.firstChild)
  /** @type {HTMLElement | null} */
  let cancel = respond.querySelector('#cancel-comment-reply-link')
  if (!cancel) {
    // WordPress's, hidden as comment-reply.js hides it (by the style property, which a CSP allows).
    cancel = h('a', { rel: 'nofollow', id: 'cancel-comment-reply-link', href: '#respond', text: w.t.cancelReply })
    cancel.style.display = 'none'
    title.append(' ', h('small', {}, [cancel]))
  }
  /** @type {HTMLElement | null} */
  const submit = form.querySelector('[type=submit]')
  const formError = h('p', { class: 'comment-form-error', id: 'parley-form-error', hidden: true })
  const submitRow = submit && submit.closest('p')
  if (submitRow) submitRow.before(formError)
  else form.append(formError)
  const notify =
    follow.isConnected || approval.isConnected ? h('p', { class: 'subscription-note', hidden: true, text: w.t.confirmNote }) : null
  const notifyRow = (approval.isConnected ? approval : follow).closest('p')
  if (notify && notifyRow) notifyRow.after(notify)
  /** @type {Commenter | null} */
  const saved = consent.isConnected ? stored('commenter', null) : null
  if (saved && !fields.name.value && !fields.email.value) {
    fields.name.value = saved.name || ''
    fields.email.value = saved.email || ''
    fields.url.value = saved.url || ''
    consent.checked = true
  }
  /** @type {Compose} */
  const f = (w.compose = {
    fields: fields,
    consent: consent.isConnected ? consent : null,
    notify: notify ? { follow: follow, approval: approval, note: notify } : null,
    hp: named('hp', h('input')),
    submit: submit instanceof HTMLInputElement ? submit : h('input'),
    formError: formError,
    cancel: cancel,
    titleText: titleText,
    title: titleText.data,
    form: form,
    respond: respond,
    parentInput: named('comment_parent', h('input')),
    parent: null,
    busy: false,
    turnstileId: undefined,
    turnstileToken: '',
  })
  cancel.addEventListener('click', function (event) {
    // Left to WordPress's comment-reply.js when it moved the form; a page opened with ?replytocom= follows the link.
    if (event.defaultPrevented || !replying(f)) return
    event.preventDefault()
    cancelReply(w, f, true)
  })
  listen(w, f)
}

/**
 * What comment-reply.js does: the form moves under the comment (WordPress's placeholder left where
 * it was), `comment_parent` is set, the title says whom to, and "Cancel reply" shows.
 * @param {Widget} w
 * @param {HTMLElement} link
 */
export function startReply(w, link) {
  const f = w.compose
  const li = link.closest('li')
  const body = li && bodyOf(li)
  if (!f || !f.parentInput || !body) return false
  if (!document.getElementById('wp-temp-form-div')) f.respond.before(h('div', { id: 'wp-temp-form-div', hidden: true }))
  body.after(f.respond)
  f.parentInput.value = link.getAttribute('data-commentid') || ''
  f.parent = { id: Number(f.parentInput.value), button: link }
  f.titleText.textContent = link.getAttribute('data-replyto') || f.title
  f.cancel.style.display = ''
  f.fields.body.focus()
  return true
}
