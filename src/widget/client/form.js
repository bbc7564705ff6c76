// @ts-check
/**
 * The widget's browser code, part 4 of 8: WordPress's "Leave a Reply" form, with its texts,
 * fields and ids (wp-includes/comment-template.php), replies that move the form under the comment
 * as WordPress's comment-reply.js does, field errors next to their fields, Jetpack's notification
 * checkboxes where the deployment sends mail, and Turnstile.
 */
/** @import { Answer, Commenter, Compose, Posted, Problem, Proof, ThreadComment, Turnstile, Widget } from './types.js' */
import { NONCE, announce, call, explain, h, keepOwn, setCount, store, stored } from './core.js'
import { bodyOf, place } from './thread.js'
import { NOTIFY, TURNSTILE } from './settings.js'
import { loggedInAs, loginRequired, mustLogIn, postingToken, refusal } from './identity.js'

/**
 * @param {string} className
 * @param {string} id
 * @param {string} label
 * @param {boolean} required
 * @param {HTMLElement} input
 */
function field(className, id, label, required, input) {
  return h('p', { class: className }, [
    h('label', { for: id }, [
      label,
      required ? ' ' : null,
      required ? h('span', { class: 'required', 'aria-hidden': 'true', text: '*' }) : null,
    ]),
    ' ',
    input,
  ])
}

/**
 * One of the notification checkboxes, in Jetpack's markup (its `subscribe_comments` field).
 * @param {string} name
 * @param {string} label
 */
function notifyBox(name, label) {
  const box = h('input', { type: 'checkbox', name: name, id: name, value: 'subscribe' })
  return { box: box, p: h('p', { class: 'comment-subscription-form' }, [box, ' ', h('label', { for: name, text: label })]) }
}

/**
 * The form, kept as `w.compose`, and its container to put under the thread.
 * @param {Widget} w
 */
export function buildForm(w) {
  /** @type {Commenter | null} */
  const saved = stored('commenter', null)
  const fields = {
    body: h('textarea', { id: 'comment', name: 'comment', cols: 45, rows: 8, maxlength: 65525, required: true }),
    name: h('input', { id: 'author', name: 'author', type: 'text', size: 30, maxlength: 245, autocomplete: 'name', required: true }),
    email: h('input', {
      id: 'email',
      name: 'email',
      type: 'email',
      size: 30,
      maxlength: 100,
      autocomplete: 'email',
      required: true,
      'aria-describedby': 'email-notes',
    }),
    url: h('input', { id: 'url', name: 'url', type: 'url', size: 30, maxlength: 200, autocomplete: 'url' }),
  }
  const consent = h('input', { id: 'wp-comment-cookies-consent', name: 'wp-comment-cookies-consent', type: 'checkbox', value: 'yes' })
  if (saved) {
    fields.name.value = saved.name || ''
    fields.email.value = saved.email || ''
    fields.url.value = saved.url || ''
    consent.checked = true
  }
  // Left empty by people, who never see it; a bot that fills it is answered as if held (API.md).
  const hp = h('input', { id: 'hp', name: 'hp', type: 'text', tabindex: '-1', autocomplete: 'off' })
  const submit = h('input', { name: 'submit', type: 'submit', id: 'submit', class: 'submit', value: w.t.post })
  const formError = h('p', { class: 'form-error', id: 'form-error', hidden: true })
  const cancel = h('button', {
    type: 'button',
    id: 'cancel-comment-reply-link',
    class: 'link',
    hidden: true,
    text: w.t.cancelReply,
    click: function () {
      cancelReply(w, f, true)
    },
  })
  // Offered only where mail goes out: elsewhere the server ignores them, so they would promise emails that never come.
  const follow = NOTIFY ? notifyBox('subscribe_comments', w.t.follow) : null
  const approval = NOTIFY ? notifyBox('notify_approval', w.t.approval) : null
  const note = NOTIFY ? h('p', { class: 'notice subscription-note', id: 'subscription-note', hidden: true, text: w.t.confirmNote }) : null
  const titleText = document.createTextNode(w.t.leaveReply)
  const required = h('span', { class: 'required-field-message' }, [
    w.t.requiredMarked[0],
    h('span', { class: 'required', text: '*' }),
    w.t.requiredMarked[1] || null,
  ])
  // A reader the site signed in is not asked who they are (WordPress's form for its logged-in users).
  const guest = !w.reader
  // Validation is the server's, so that readers see WordPress's own messages next to the fields.
  const form = h('form', { id: 'commentform', class: 'comment-form', novalidate: true, 'aria-labelledby': 'reply-title' }, [
    guest
      ? h('p', { class: 'comment-notes' }, [h('span', { id: 'email-notes', text: w.t.emailNotes }), ' ', required])
      : loggedInAs(w, drawRespond),
    guest ? null : h('p', { class: 'comment-notes' }, [required]),
    field('comment-form-comment', 'comment', w.t.comment, true, fields.body),
    guest && field('comment-form-author', 'author', w.t.name, true, fields.name),
    guest && field('comment-form-email', 'email', w.t.email, true, fields.email),
    guest && field('comment-form-url', 'url', w.t.website, false, fields.url),
    h('p', { class: 'hp', 'aria-hidden': 'true' }, [h('label', { for: 'hp', text: w.t.honeypot }), hp]),
    guest &&
      h('p', { class: 'comment-form-cookies-consent' }, [
        consent,
        ' ',
        h('label', {
          for: 'wp-comment-cookies-consent',
          text: w.t.consent,
        }),
      ]),
    follow && follow.p,
    approval && approval.p,
    note,
    TURNSTILE ? h('div', { class: 'turnstile' }, [h('slot', { name: 'turnstile' })]) : null,
    formError,
    h('p', { class: 'form-submit' }, [submit]),
  ])
  const respond = h('div', { id: 'respond', class: 'comment-respond' }, [
    h('h3', { id: 'reply-title', class: 'comment-reply-title' }, [titleText, ' ', h('small', {}, [cancel])]),
    form,
  ])
  /** @type {Compose} */
  const f = (w.compose = {
    fields: fields,
    consent: guest ? consent : null,
    notify: follow && approval && note ? { follow: follow.box, approval: approval.box, note: note } : null,
    hp: hp,
    submit: submit,
    formError: formError,
    cancel: cancel,
    titleText: titleText,
    title: w.t.leaveReply,
    form: form,
    respond: respond,
    parentInput: null,
    parent: null,
    busy: false,
    turnstileId: undefined,
    turnstileToken: '',
  })
  listen(w, f)
  if (TURNSTILE) renderTurnstile(w, f, TURNSTILE)
  return respond
}

/**
 * What follows the thread: the form; WordPress's "must be logged in" where the reader may not
 * comment here; "Comments are closed." on a closed article. Drawn again, in place, when the reader
 * the site signed in changes; what the reader had typed stays.
 * @param {Widget} w
 */
export function drawRespond(w) {
  const f = w.compose
  const typed = f ? f.fields.body.value : ''
  if (f && replying(f)) cancelReply(w, f, false)
  w.compose = null
  const why = w.open ? refusal(w) : null
  const next = !w.open
    ? h('p', { class: 'closed', text: w.t.closedShort })
    : why
      ? h('div', { id: 'respond', class: 'comment-respond' }, [
          h('h3', { id: 'reply-title', class: 'comment-reply-title', text: w.t.leaveReply }),
          mustLogIn(w, why),
        ])
      : buildForm(w)
  // buildForm has set w.compose (TypeScript keeps it at the null assigned above).
  const built = /** @type {Compose | null} */ (w.compose)
  if (built) built.fields.body.value = typed
  if (w.after && w.after.parentNode) w.after.replaceWith(next)
  else w.section.append(next)
  w.after = next
}

/** Posting through the API, and Escape to cancel a reply. @param {Widget} w @param {Compose} f */
export function listen(w, f) {
  f.form.addEventListener('submit', function (event) {
    event.preventDefault()
    postComment(w, f)
  })
  f.form.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && replying(f)) cancelReply(w, f, true)
  })
}

/**
 * WordPress's comment-reply.js: the form moves under the comment, its title names the author.
 * @param {Widget} w
 * @param {ThreadComment} c
 * @param {HTMLLIElement} li
 * @param {HTMLElement} button
 */
export function startReply(w, c, li, button) {
  const f = w.compose
  // Not one who may comment here: the page is told, and the reader shown the login link.
  const notice = !f && w.after && w.after.querySelector('.must-log-in')
  if (notice) {
    loginRequired(w, refusal(w) || 'login_required')
    const link = notice.querySelector('a')
    if (link) link.focus()
  }
  if (!f) return
  f.parent = { id: c.id, button: button }
  li.insertBefore(f.respond, li.querySelector(':scope > ol'))
  f.titleText.textContent = w.t.leaveReplyTo(c.author.name)
  f.cancel.hidden = false
  f.fields.body.focus()
}

/**
 * Whether the form is under a comment: moved there by the widget, or, on a page's form, by
 * comment-reply.js, which leaves WordPress's placeholder (#wp-temp-form-div) where it was.
 * @param {Compose} f
 */
export function replying(f) {
  return f.parentInput ? !!document.getElementById('wp-temp-form-div') : !!f.parent
}

/** Back where it was, as comment-reply.js's cancel does. @param {Widget} w @param {Compose} f @param {boolean} focusBack */
export function cancelReply(w, f, focusBack) {
  const parent = f.parent
  f.parent = null
  if (f.parentInput) {
    const spot = document.getElementById('wp-temp-form-div')
    if (spot) spot.replaceWith(f.respond)
    f.parentInput.value = '0'
    f.cancel.style.display = 'none'
  } else {
    w.section.append(f.respond)
    f.cancel.hidden = true
  }
  f.titleText.textContent = f.title
  if (focusBack && parent && parent.button.isConnected) parent.button.focus()
}

/** @param {Compose} f */
function clearErrors(f) {
  f.formError.hidden = true
  f.form.querySelectorAll('.field-error').forEach(function (node) {
    node.remove()
  })
  Object.entries(f.fields).forEach(function (entry) {
    const name = entry[0]
    const input = entry[1]
    input.removeAttribute('aria-invalid')
    if (name === 'email') input.setAttribute('aria-describedby', 'email-notes')
    else input.removeAttribute('aria-describedby')
  })
}

/** @param {Widget} w @param {Compose} f @param {string} message */
function formError(w, f, message) {
  f.formError.textContent = message
  f.formError.hidden = false
  announce(w, message)
}

/**
 * A 422's field errors, each under its field (once), the form's first invalid field focused.
 * @param {Widget} w
 * @param {Compose} f
 * @param {Problem & { errors: { field: string, message: string }[] }} problem
 */
function showFieldErrors(w, f, problem) {
  /** @type {string[]} */
  const other = []
  /** @type {Record<string, HTMLElement>} */
  const inputs = f.fields
  problem.errors.forEach(function (error) {
    const input = inputs[error.field]
    if (!input || !input.parentNode) return other.push(error.message)
    const id = input.id + '-error'
    if (w.root.getElementById(id)) return
    input.setAttribute('aria-invalid', 'true')
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim())
    input.parentNode.append(h('span', { class: 'field-error', id: id, text: error.message }))
  })
  if (other.length) formError(w, f, other.join(' '))
  else announce(w, problem.detail || '')
  // In the form's order (comment, name, email, website), not the order the server listed them.
  /** @type {HTMLElement | null} */
  const first = f.form.querySelector('[aria-invalid="true"]')
  if (first) first.focus()
}

/** @param {Widget} w @param {Compose} f */
function postComment(w, f) {
  if (f.busy) return
  clearErrors(f)
  if (f.notify) f.notify.note.hidden = true
  // A page's form carries Turnstile's token in the field Turnstile adds to it.
  const given = f.parentInput && f.form.elements.namedItem('cf-turnstile-response')
  const token = f.turnstileToken || (given instanceof HTMLInputElement ? given.value : '')
  // A page's form for a user logged in to the site carries the site's signed token (the WordPress plugin's).
  const identity = f.parentInput && f.form.elements.namedItem('parley_identity')
  const pageToken = identity instanceof HTMLInputElement ? identity.value : ''
  if (TURNSTILE && !token) return formError(w, f, w.t.turnstile)
  const fields = f.fields
  const parent = f.parent
  const input = {
    body: fields.body.value,
    name: fields.name.value,
    email: fields.email.value,
    url: fields.url.value || undefined,
    parentId: (f.parentInput ? Number(f.parentInput.value) : parent && parent.id) || undefined,
    article: { url: w.url, title: w.title },
    // Sent only when ticked, as a form sends a checkbox.
    subscribeComments: (f.notify && f.notify.follow.checked) || undefined,
    notifyApproval: (f.notify && f.notify.approval.checked) || undefined,
    hp: f.hp.value || undefined,
    turnstileToken: token || undefined,
    /** @type {string | undefined} */
    identityToken: undefined,
    proof: proofOfCommenter(),
  }
  f.busy = true
  f.submit.disabled = true
  f.form.setAttribute('aria-busy', 'true')
  const path = '/api/v1/articles/' + encodeURIComponent(w.article) + '/comments'
  /**
   * Posts with the token given; a refused token is renewed (the page's `refresh`) and tried once more.
   * @param {string | null} identityToken
   * @param {boolean} retried
   */
  const send = function (identityToken, retried) {
    input.identityToken = identityToken || undefined
    /** @type {Promise<Answer<Posted>>} */
    const asked = call('POST', path, input, null, false, w.lang)
    void asked.then(function (r) {
      const code = r.data && !r.ok ? r.data.code : undefined
      if (code === 'identity_invalid' && !retried && !pageToken && w.reader) {
        return postingToken(w, true).then(function (fresh) {
          if (fresh) return send(fresh, true)
          done(r)
        })
      }
      done(r)
    })
  }
  /** @param {Answer<Posted>} r */
  const done = function (r) {
    f.busy = false
    f.submit.disabled = false
    f.form.removeAttribute('aria-busy')
    resetTurnstile(f, !!f.parentInput)
    // 201, the one success this call has: stored.
    if (r.ok) return posted(w, f, r.data, input)
    const problem = r.data
    if (r.status === 422 && problem && problem.errors) return showFieldErrors(w, f, { detail: problem.detail, errors: problem.errors })
    if (problem && (problem.code === 'login_required' || problem.code === 'subscription_required')) loginRequired(w, problem.code)
    formError(w, f, explain(w, r))
  }
  void (pageToken ? Promise.resolve(pageToken) : postingToken(w, false)).then(function (identityToken) {
    send(identityToken, false)
  })
}

/**
 * @param {Widget} w
 * @param {Compose} f
 * @param {Posted} data
 * @param {{ body: string, name: string, email: string, url: string | undefined, subscribeComments?: boolean, notifyApproval?: boolean }} input
 */
function posted(w, f, data, input) {
  const c = data.comment
  const mine = { token: data.token, article: w.article, body: input.body, until: c.editableUntil || null, saved: Date.now() }
  w.own[c.id] = mine
  keepOwn(c.id, mine)
  if (c.status === 'approved') keepProof(c.id, data.token)
  // As WordPress's cookies: kept only with the reader's consent, and dropped when it is withdrawn.
  if (f.consent) store('commenter', f.consent.checked ? { name: input.name, email: input.email, url: input.url || '' } : null)
  f.fields.body.value = ''
  // The server says nothing of whether the address is confirmed already (that would tell anyone
  // who types it in), so a reader who asked for email is always told where the confirmation goes.
  // Without an address nothing was asked. The boxes are for this comment: the next one asks again.
  const asked = !!(input.subscribeComments || input.notifyApproval) && input.email.trim() !== ''
  if (f.notify) {
    f.notify.follow.checked = false
    f.notify.approval.checked = false
    f.notify.note.hidden = !asked
  }
  if (replying(f)) cancelReply(w, f, false)
  c.replies = []
  const li = place(w, c)
  if (c.status === 'approved') setCount(w, w.count + 1)
  const body = bodyOf(li)
  if (body) body.focus()
  const status = c.status === 'pending' ? w.t.held : w.t.published
  announce(w, asked ? status + ' ' + w.t.confirmNote : status)
}

/**
 * One of the reader's approved comments and its token, sent with each new comment: where the site
 * holds first comments, it is how Parley knows the reader on a network it has not seen them on
 * (a phone, a train). Kept without the consent box: like the comments' own tokens, it names no one.
 * @param {string | number} id
 * @param {string} token
 */
export function keepProof(id, token) {
  store('proof', { commentId: Number(id), token: token })
}

/** @returns {Proof | undefined} */
function proofOfCommenter() {
  /** @type {Proof | null} */
  const proof = stored('proof', null)
  return proof && proof.commentId > 0 && proof.commentId <= 2147483647 && proof.commentId % 1 === 0 && typeof proof.token === 'string'
    ? { commentId: proof.commentId, token: proof.token.slice(0, 200) }
    : undefined
}

/** @type {Promise<Turnstile> | null} */
let turnstileReady = null
/** @param {string} scriptUrl */
function loadTurnstile(scriptUrl) {
  if (!turnstileReady) {
    turnstileReady = new Promise(function (resolve, reject) {
      if (window.turnstile) return resolve(window.turnstile)
      const script = h('script', { src: scriptUrl + '?render=explicit', async: true })
      script.nonce = NONCE
      script.onload = function () {
        if (window.turnstile) resolve(window.turnstile)
        else reject(new Error("Turnstile's script defined no turnstile"))
      }
      script.onerror = reject
      document.head.append(script)
    })
  }
  return turnstileReady
}

/**
 * Turnstile renders into a light-DOM child slotted into the form: its iframe stays in the page.
 * @param {Widget} w
 * @param {Compose} f
 * @param {{ siteKey: string, scriptUrl: string }} settings
 */
function renderTurnstile(w, f, settings) {
  const box = h('div', { slot: 'turnstile' })
  w.host.append(box)
  loadTurnstile(settings.scriptUrl).then(
    function (turnstile) {
      f.turnstileId = turnstile.render(box, {
        sitekey: settings.siteKey,
        action: 'comment',
        callback: function (token) {
          f.turnstileToken = token
        },
        'expired-callback': function () {
          f.turnstileToken = ''
        },
        'error-callback': function () {
          f.turnstileToken = ''
        },
      })
    },
    function () {
      formError(w, f, w.t.turnstileFailed)
    },
  )
}

/** @param {Compose} f @param {boolean} pages the page's own (implicitly rendered) challenge */
function resetTurnstile(f, pages) {
  // A token is good for one submission only.
  if (!TURNSTILE || (f.turnstileId === undefined && !pages) || !window.turnstile) return
  f.turnstileToken = ''
  window.turnstile.reset(f.turnstileId)
}
