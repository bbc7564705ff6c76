/**
 * The widget's browser code, part 4 of 5: WordPress's "Leave a Reply" form, with its texts,
 * fields and ids (wp-includes/comment-template.php), replies that move the form under the comment
 * as WordPress's comment-reply.js does, field errors next to their fields, and Turnstile.
 */
export const widgetForm = String.raw`
function field(className, id, label, required, input) {
  return h('p', { class: className }, [
    h('label', { for: id }, [label, required ? ' ' : null, required ? h('span', { class: 'required', 'aria-hidden': 'true', text: '*' }) : null]),
    ' ', input,
  ]);
}

function buildForm(w) {
  var saved = stored('commenter', null);
  var f = w.fields = {
    body: h('textarea', { id: 'comment', name: 'comment', cols: 45, rows: 8, maxlength: 65525, required: true }),
    name: h('input', { id: 'author', name: 'author', type: 'text', size: 30, maxlength: 245, autocomplete: 'name', required: true }),
    email: h('input', { id: 'email', name: 'email', type: 'email', size: 30, maxlength: 100, autocomplete: 'email', required: true, 'aria-describedby': 'email-notes' }),
    url: h('input', { id: 'url', name: 'url', type: 'url', size: 30, maxlength: 200, autocomplete: 'url' }),
  };
  var consent = w.consent = h('input', { id: 'wp-comment-cookies-consent', name: 'wp-comment-cookies-consent', type: 'checkbox', value: 'yes' });
  if (saved) {
    f.name.value = saved.name || '';
    f.email.value = saved.email || '';
    f.url.value = saved.url || '';
    consent.checked = true;
  }
  // Left empty by people, who never see it; a bot that fills it is answered as if held (API.md).
  w.hp = h('input', { id: 'hp', name: 'hp', type: 'text', tabindex: '-1', autocomplete: 'off' });
  w.submit = h('input', { name: 'submit', type: 'submit', id: 'submit', class: 'submit', value: 'Post Comment' });
  w.formError = h('p', { class: 'form-error', id: 'form-error', hidden: true });
  w.cancel = h('button', { type: 'button', id: 'cancel-comment-reply-link', class: 'link', hidden: true, text: 'Cancel reply', click: function () { cancelReply(w, true); } });
  w.titleText = document.createTextNode('Leave a Reply');
  // Validation is the server's, so that readers see WordPress's own messages next to the fields.
  w.form = h('form', { id: 'commentform', class: 'comment-form', novalidate: true, 'aria-labelledby': 'reply-title' }, [
    h('p', { class: 'comment-notes' }, [
      h('span', { id: 'email-notes', text: 'Your email address will not be published.' }), ' ',
      h('span', { class: 'required-field-message' }, ['Required fields are marked ', h('span', { class: 'required', text: '*' })]),
    ]),
    field('comment-form-comment', 'comment', 'Comment', true, f.body),
    field('comment-form-author', 'author', 'Name', true, f.name),
    field('comment-form-email', 'email', 'Email', true, f.email),
    field('comment-form-url', 'url', 'Website', false, f.url),
    h('p', { class: 'hp', 'aria-hidden': 'true' }, [h('label', { for: 'hp', text: 'Leave this field empty' }), w.hp]),
    h('p', { class: 'comment-form-cookies-consent' }, [consent, ' ', h('label', { for: 'wp-comment-cookies-consent', text: 'Save my name, email, and website in this browser for the next time I comment.' })]),
    TURNSTILE ? h('div', { class: 'turnstile' }, [h('slot', { name: 'turnstile' })]) : null,
    w.formError,
    h('p', { class: 'form-submit' }, [w.submit]),
  ]);
  w.form.addEventListener('submit', function (event) {
    event.preventDefault();
    postComment(w);
  });
  w.form.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && w.parent) cancelReply(w, true);
  });
  w.respond = h('div', { id: 'respond', class: 'comment-respond' }, [
    h('h3', { id: 'reply-title', class: 'comment-reply-title' }, [w.titleText, ' ', h('small', {}, [w.cancel])]),
    w.form,
  ]);
  if (TURNSTILE) renderTurnstile(w);
  return w.respond;
}

/** WordPress's comment-reply.js: the form moves under the comment, its title names the author. */
function startReply(w, c, li, button) {
  w.parent = { id: c.id, button: button };
  li.insertBefore(w.respond, li.querySelector(':scope > ol'));
  w.titleText.textContent = 'Leave a Reply to ' + c.author.name;
  w.cancel.hidden = false;
  w.fields.body.focus();
}

function cancelReply(w, focusBack) {
  var parent = w.parent;
  w.parent = null;
  w.section.append(w.respond);
  w.titleText.textContent = 'Leave a Reply';
  w.cancel.hidden = true;
  if (focusBack && parent && parent.button.isConnected) parent.button.focus();
}

function clearErrors(w) {
  w.formError.hidden = true;
  w.form.querySelectorAll('.field-error').forEach(function (node) { node.remove(); });
  Object.keys(w.fields).forEach(function (name) {
    var input = w.fields[name];
    input.removeAttribute('aria-invalid');
    if (name === 'email') input.setAttribute('aria-describedby', 'email-notes');
    else input.removeAttribute('aria-describedby');
  });
}

function formError(w, message) {
  w.formError.textContent = message;
  w.formError.hidden = false;
  announce(w, message);
}

/** A 422's field errors, each under its field (once), the form's first invalid field focused. */
function showFieldErrors(w, problem) {
  var other = [];
  problem.errors.forEach(function (error) {
    var input = w.fields[error.field];
    if (!input) return other.push(error.message);
    var id = input.id + '-error';
    if (w.root.getElementById(id)) return;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
    input.parentNode.append(h('span', { class: 'field-error', id: id, text: error.message }));
  });
  if (other.length) formError(w, other.join(' '));
  else announce(w, problem.detail);
  // In the form's order (comment, name, email, website), not the order the server listed them.
  var first = w.form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

function postComment(w) {
  if (w.busy) return;
  clearErrors(w);
  if (TURNSTILE && !w.turnstileToken) return formError(w, 'Please complete the check above the button, then post again.');
  var f = w.fields;
  var parent = w.parent;
  var input = {
    body: f.body.value, name: f.name.value, email: f.email.value, url: f.url.value || undefined,
    parentId: parent ? parent.id : undefined, article: { url: w.url, title: w.title },
    hp: w.hp.value || undefined, turnstileToken: w.turnstileToken || undefined, proof: proofOfCommenter(),
  };
  w.busy = true;
  w.submit.disabled = true;
  w.form.setAttribute('aria-busy', 'true');
  call('POST', '/api/v1/articles/' + encodeURIComponent(w.article) + '/comments', input).then(function (r) {
    w.busy = false;
    w.submit.disabled = false;
    w.form.removeAttribute('aria-busy');
    resetTurnstile(w);
    if (r.status === 201) return posted(w, r.data, input);
    if (r.status === 422 && r.data && r.data.errors) return showFieldErrors(w, r.data);
    formError(w, explain(r));
  });
}

function posted(w, data, input) {
  var c = data.comment;
  w.own[c.id] = { token: data.token, article: w.article, body: input.body, until: c.editableUntil || null, saved: Date.now() };
  keepOwn(c.id, w.own[c.id]);
  if (c.status === 'approved') keepProof(c.id, data.token);
  // As WordPress's cookies: kept only with the reader's consent, and dropped when it is withdrawn.
  store('commenter', w.consent.checked ? { name: input.name, email: input.email, url: input.url || '' } : null);
  w.fields.body.value = '';
  if (w.parent) cancelReply(w, false);
  c.replies = [];
  var li = place(w, c);
  if (c.status === 'approved') setCount(w, w.count + 1);
  li.firstChild.focus();
  announce(w, c.status === 'pending' ? 'Your comment is awaiting moderation.' : 'Your comment has been published.');
}

/**
 * One of the reader's approved comments and its token, sent with each new comment: where the site
 * holds first comments, it is how Parley knows the reader on a network it has not seen them on
 * (a phone, a train). Kept without the consent box: like the comments' own tokens, it names no one.
 */
function keepProof(id, token) {
  store('proof', { commentId: Number(id), token: token });
}

function proofOfCommenter() {
  var proof = stored('proof', null);
  return proof && proof.commentId > 0 && proof.commentId <= 2147483647 && proof.commentId % 1 === 0 && typeof proof.token === 'string'
    ? { commentId: proof.commentId, token: proof.token.slice(0, 200) } : undefined;
}

var turnstileReady = null;
function loadTurnstile() {
  if (!turnstileReady) {
    turnstileReady = new Promise(function (resolve, reject) {
      if (window.turnstile) return resolve(window.turnstile);
      var script = h('script', { src: TURNSTILE.scriptUrl + '?render=explicit', async: true });
      script.nonce = NONCE;
      script.onload = function () { resolve(window.turnstile); };
      script.onerror = reject;
      document.head.append(script);
    });
  }
  return turnstileReady;
}

/** Turnstile renders into a light-DOM child slotted into the form: its iframe stays in the page. */
function renderTurnstile(w) {
  var box = h('div', { slot: 'turnstile' });
  w.host.append(box);
  loadTurnstile().then(function (turnstile) {
    w.turnstileId = turnstile.render(box, {
      sitekey: TURNSTILE.siteKey,
      action: 'comment',
      callback: function (token) { w.turnstileToken = token; },
      'expired-callback': function () { w.turnstileToken = ''; },
      'error-callback': function () { w.turnstileToken = ''; },
    });
  }, function () {
    formError(w, 'The spam check could not be loaded. Please reload the page to comment.');
  });
}

function resetTurnstile(w) {
  // A token is good for one submission only.
  if (!TURNSTILE || w.turnstileId === undefined) return;
  w.turnstileToken = '';
  window.turnstile.reset(w.turnstileId);
}
`
