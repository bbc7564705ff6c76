// @ts-check
/**
 * The widget's browser code, part 3 of 8: what a reader does to one comment besides replying —
 * edit or delete their own within the edit window (with its token), report someone else's.
 */
/** @import { Answer, Posted, Target, Widget } from './types.js' */
import { announce, call, explain, h, keepOwn, setCount } from './core.js'
import { bodyOf, forget, redraw } from './thread.js'

/**
 * A small inline form under a comment, in place of its action bar until sent or cancelled
 * (Cancel or Escape, focus back on the button that opened it). Returns its submit button, or
 * null when the comment has no action bar to put it in place of. In server-rendered markup the
 * actions are links beside the date (enhance.js): hidden the same, the form goes under the text.
 * @param {Widget} w
 * @param {HTMLLIElement} li
 * @param {HTMLElement} opener
 * @param {string} className
 * @param {HTMLElement[]} fields
 * @param {string} submitText
 * @param {(fail: (message: string) => void, close: () => void) => void} onSubmit
 * @param {() => void} [onClose]
 */
function inlineForm(w, li, opener, className, fields, submitText, onSubmit, onClose) {
  const body = bodyOf(li)
  /** @type {HTMLElement | null} */
  const bar = body && body.querySelector('.actions, .parley-actions')
  if (!bar) return null
  const actions = bar
  const spot = (bar.classList.contains('actions') ? null : body && body.querySelector('.comment-content')) || bar
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true })
  const send = h('button', { type: 'submit', class: 'button', text: submitText })
  const cancel = function () {
    close()
    opener.focus()
  }
  const form = h(
    'form',
    { class: className },
    fields.concat([
      error,
      h('div', { class: 'actions' }, [send, h('button', { type: 'button', class: 'link', text: w.t.cancel, click: cancel })]),
    ]),
  )
  function close() {
    form.remove()
    actions.hidden = false
    if (onClose) onClose()
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    send.disabled = true
    error.hidden = true
    onSubmit(function (message) {
      send.disabled = false
      error.textContent = message
      error.hidden = false
    }, close)
  })
  form.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') cancel()
  })
  actions.hidden = true
  spot.after(form)
  return send
}

/**
 * @param {Widget} w
 * @param {Target} c
 * @param {HTMLLIElement} li
 * @param {HTMLElement} opener
 */
export function editComment(w, c, li, opener) {
  const mine = w.own[c.id]
  const body = bodyOf(li)
  /** @type {HTMLElement | null} */
  const content = body && body.querySelector('.comment-content')
  if (!mine || !content) return
  const own = mine
  const shown = content
  const area = h('textarea', { id: 'edit-' + c.id, rows: 6, maxlength: 65525 })
  // The text as written is kept with the token; the published HTML is only a fallback.
  area.value = own.body || (shown.textContent || '').trim()
  shown.hidden = true
  inlineForm(
    w,
    li,
    opener,
    'edit-form',
    [h('label', { for: 'edit-' + c.id, text: w.t.editYours }), area],
    w.t.save,
    function (fail, close) {
      /** @type {Promise<Answer<Posted>>} */
      const asked = call('PATCH', '/api/v1/comments/' + c.id, { body: area.value }, own.token, false, w.lang)
      void asked.then(function (r) {
        if (!r.ok) {
          const fieldError = r.status === 422 && r.data && r.data.errors ? r.data.errors[0] : undefined
          return fail(fieldError ? fieldError.message : explain(w, r))
        }
        close()
        own.body = area.value
        keepOwn(c.id, own)
        const edited = r.data.comment
        // The checks run again on an edit: a published comment can go back to moderation.
        if (c.status !== 'pending' && edited.status === 'pending') setCount(w, w.count - 1)
        redraw(w, edited, li).focus()
        announce(w, edited.status === 'pending' ? w.t.savedHeld : w.t.saved)
      })
    },
    function () {
      shown.hidden = false
    },
  )
  area.focus()
}

/**
 * @param {Widget} w
 * @param {Target} c
 * @param {HTMLLIElement} li
 * @param {HTMLElement} opener
 */
export function deleteComment(w, c, li, opener) {
  const mine = w.own[c.id]
  if (!mine) return
  const token = mine.token
  const send = inlineForm(w, li, opener, 'confirm', [h('p', { class: 'notice', text: w.t.deleteSure })], w.t.delete, function (fail) {
    /** @type {Promise<Answer<null>>} */
    const asked = call('DELETE', '/api/v1/comments/' + c.id, null, token, false, w.lang)
    void asked.then(function (r) {
      if (!r.ok && r.status !== 404) return fail(explain(w, r))
      forget(w, c.id)
      delete w.nodes[c.id]
      // Published replies keep their place under a placeholder, as the thread will show them.
      const body = bodyOf(li)
      if (li.querySelector(':scope > ol > li') && body) li.replaceChild(w.draw(w, { id: c.id, removed: true }, li), body)
      else li.remove()
      setCount(w, c.status !== 'pending' ? w.count - 1 : w.count)
      // An enhanced thread has no heading of its own: the thread itself takes the focus.
      const home = w.heading.isConnected ? w.heading : w.section
      home.tabIndex = -1
      home.focus()
      announce(w, w.t.deleted)
    })
  })
  if (!send) return
  send.classList.add('danger')
  send.focus()
}

/** The reasons a reader gives, as the API names them. @type {('spam' | 'abuse' | 'off_topic' | 'other')[]} */
const reasons = ['spam', 'abuse', 'off_topic', 'other']

/**
 * @param {Widget} w
 * @param {Target} c
 * @param {HTMLLIElement} li
 * @param {HTMLElement} opener
 */
export function reportComment(w, c, li, opener) {
  const id = 'report-' + c.id
  const select = h(
    'select',
    { id: id },
    reasons.map(function (r) {
      return h('option', { value: r, text: w.t.reasons[r] })
    }),
  )
  const note = h('textarea', { id: id + '-note', rows: 2, maxlength: 2000 })
  inlineForm(
    w,
    li,
    opener,
    'report-form',
    [h('label', { for: id, text: w.t.why }), select, h('label', { for: id + '-note', text: w.t.addNote }), note],
    w.t.sendReport,
    function (fail, close) {
      /** @type {Promise<Answer<unknown>>} */
      const asked = call(
        'POST',
        '/api/v1/comments/' + c.id + '/reports',
        { reason: select.value, note: note.value.trim() || undefined },
        null,
        false,
        w.lang,
      )
      void asked.then(function (r) {
        if (!r.ok) return fail(r.status === 429 ? w.t.manyReports : explain(w, r))
        close()
        const body = bodyOf(li)
        const bar = body && body.querySelector('.actions')
        const thanks = h('p', { class: 'notice', tabindex: '-1', text: w.t.reported })
        if (bar) bar.replaceWith(thanks)
        thanks.focus()
        announce(w, w.t.reported)
      })
    },
  )
  select.focus()
}
