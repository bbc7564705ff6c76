/*! Parley comments widget. Embed: <script src="…/widget.js" data-article="KEY" async></script> */
(function () {
'use strict';
var CSS = ":host{display:block;--parley-text:#1d2327;--parley-muted:#646970;--parley-background:#fff;--parley-surface:#fff;--parley-border:#c3c4c7;--parley-accent:#2271b1;--parley-accent-text:#fff;--parley-error:#b32d2e;--parley-notice:#8a5a00;--parley-radius:4px;color-scheme:light}@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){--parley-text:#e6e6e6;--parley-muted:#a7aaad;--parley-background:#1e1f21;--parley-surface:#2c2d30;--parley-border:#50535a;--parley-accent:#72aee6;--parley-accent-text:#101517;--parley-error:#ff8085;--parley-notice:#f0c33c;color-scheme:dark}}:host([data-theme=dark]){--parley-text:#e6e6e6;--parley-muted:#a7aaad;--parley-background:#1e1f21;--parley-surface:#2c2d30;--parley-border:#50535a;--parley-accent:#72aee6;--parley-accent-text:#101517;--parley-error:#ff8085;--parley-notice:#f0c33c;color-scheme:dark}*{box-sizing:border-box}[hidden]{display:none!important}.parley{font-family:var(--parley-font);font-size:var(--parley-font-size);line-height:1.5;color:var(--parley-text);background:var(--parley-background);border:1px solid var(--parley-border);border-radius:var(--parley-radius);padding:1.25rem}h2,h3{margin:0 0 .75rem;line-height:1.3}h2{font-size:1.3em}h3{font-size:1.15em}h2:focus,article:focus,.notice:focus{outline:none}ol{list-style:none;margin:0;padding:0}.children{margin:0 0 0 1.25rem;padding-left:1rem;border-left:2px solid var(--parley-border)}.children:empty{display:none}.comment-body{padding:.75rem 0}article:focus-visible{outline:2px solid var(--parley-accent);outline-offset:4px;border-radius:2px}.comment-meta{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}.avatar{flex:none;width:2.25rem;height:2.25rem;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;color:#fff;font-weight:700}.av0{background:#2271b1}.av1{background:#8a2424}.av2{background:#1e7a4b}.av3{background:#7a4a9e}.av4{background:#a35400}.av5{background:#0f6d7a}.av6{background:#6b5b2e}.av7{background:#b0316b}.fn{font-weight:700}.fn a{color:inherit}.badge{margin-left:.4rem;padding:0 .4rem;border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);font-size:.75em;vertical-align:middle}.comment-metadata{display:block;font-size:.85em;color:var(--parley-muted)}.comment-content{overflow-wrap:anywhere;margin-top:.25rem}.comment-content p{margin:.5rem 0}.comment-content a{color:var(--parley-accent)}.comment-content blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid var(--parley-border);color:var(--parley-muted)}.comment-awaiting-moderation{margin:.5rem 0 0;font-style:italic;color:var(--parley-notice)}.removed{margin:0;font-style:italic;color:var(--parley-muted)}.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin-top:.25rem}.link{background:none;border:0;padding:0;font:inherit;font-size:.9em;color:var(--parley-accent);text-decoration:underline;cursor:pointer}.button,.submit{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:1px solid var(--parley-accent);border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);cursor:pointer}.button.quiet{background:transparent;color:var(--parley-accent)}.button.danger{background:var(--parley-error);border-color:var(--parley-error);color:#fff}.submit[disabled],.button[disabled]{opacity:.6;cursor:progress}.more{margin:1rem 0}:focus-visible{outline:2px solid var(--parley-accent);outline-offset:2px}.comment-respond{margin-top:1.25rem}.comment-list .comment-respond{margin:.5rem 0 1rem;padding:1rem;border:1px dashed var(--parley-border);border-radius:var(--parley-radius)}form p{margin:0 0 1rem}label{display:block;font-weight:600;margin-bottom:.25rem}.required{color:var(--parley-error)}input[type=text],input[type=email],input[type=url],textarea,select{display:block;width:100%;padding:.5rem .6rem;font:inherit;color:var(--parley-text);background:var(--parley-surface);border:1px solid var(--parley-border);border-radius:var(--parley-radius)}textarea{resize:vertical}input[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--parley-error);box-shadow:0 0 0 1px var(--parley-error)}.comment-notes{color:var(--parley-muted);font-size:.9em}.comment-form-cookies-consent{display:flex;gap:.5rem;align-items:baseline}.comment-form-cookies-consent label{font-weight:400;margin:0}.field-error,.form-error{display:block;margin:.3rem 0 0;color:var(--parley-error);font-size:.9em;font-weight:600}.form-error{margin:0 0 1rem}.notice{margin:.5rem 0;color:var(--parley-muted)}.closed{margin:1rem 0 0;font-style:italic}.edit-form,.report-form,.confirm{margin:.5rem 0;display:grid;gap:.5rem}.edit-form label,.report-form label{margin:0}.sr-only,.hp{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}@media (max-width:480px){.parley{padding:.75rem}.children{margin-left:.5rem;padding-left:.6rem}}";
var TURNSTILE = null;

var me = document.currentScript;
// A nonce for what the widget adds to the page (Turnstile's script, a fallback <style>): the host's
// CSP allowed this script by its nonce, so it allows what the script brings with that nonce.
var NONCE = (me && me.nonce) || '';
// The API lives where the script came from, so an embed needs nothing but the script tag.
var BASE = ((me && me.src) || '').replace(/\/widget\.js(?:[?#].*)?$/, '');
var PREFIX = 'parley:' + BASE + ':';
var DAY = 86400000;

/** An element with attributes, listeners (function values) and children (nodes or plain text). */
function h(tag, attrs, kids) {
  var node = document.createElement(tag);
  for (var name in attrs || {}) {
    var value = attrs[name];
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (typeof value === 'function') node.addEventListener(name, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  (kids || []).forEach(function (kid) {
    if (kid !== null && kid !== undefined && kid !== false) node.append(kid);
  });
  return node;
}

// localStorage can be off (private modes, sandboxed frames): the widget then just forgets.
function stored(name, fallback) {
  try {
    var text = localStorage.getItem(PREFIX + name);
    return text ? JSON.parse(text) : fallback;
  } catch (e) {
    return fallback;
  }
}

function store(name, value) {
  try {
    if (value === null) localStorage.removeItem(PREFIX + name);
    else localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch (e) {
    return;
  }
}

/** The reader's own comments, by id: { token, article, body, until, saved }. */
function ownComments() {
  return stored('own', {});
}

function keepOwn(id, entry) {
  var all = ownComments();
  if (entry) all[id] = entry;
  else delete all[id];
  store('own', all);
}

/** One API call; never rejects: a network failure is status 0. */
function call(method, path, body, token, fresh) {
  var headers = {};
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  var init = { method: method, headers: headers, credentials: 'omit', cache: fresh ? 'no-cache' : 'default' };
  if (body) init.body = JSON.stringify(body);
  return fetch(BASE + path, init).then(function (res) {
    return res.text().then(function (text) {
      var data = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch (e) {
        data = null;
      }
      return { ok: res.ok, status: res.status, data: data, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
    });
  }, function () {
    unreachable();
    return { ok: false, status: 0, data: null, retryAfter: 0 };
  });
}

var hinted = false;
/**
 * A failed request from a page of another origin is, more often than a network fault, a page
 * whose origin the site has not allowed: the browser then hides Parley's answer (CORS). Readers
 * see "could not reach"; the site's developer gets the likely cause in the console, once.
 */
function unreachable() {
  if (hinted || location.origin === new URL(BASE, location.href).origin) return;
  hinted = true;
  console.error('Parley: no answer from ' + BASE + '. If the comment server is up, this page\'s origin (' + location.origin +
    ') is probably missing from the site\'s allowedOrigins, so the browser blocks its answers: add it with PATCH ' + BASE + '/api/v1/admin/settings {"allowedOrigins": ["' + location.origin + '"]} or on the dashboard\'s Settings page.');
}

/** A refusal in plain words; field errors (422) are shown next to their fields instead. */
function explain(r) {
  var code = r.data && r.data.code;
  if (r.status === 0) return 'We could not reach the comment server. Please check your connection and try again.';
  if (code === 'duplicate_comment') return 'You have already posted this comment.';
  if (code === 'too_fast') return 'You are posting comments too quickly. Please wait ' + (r.retryAfter || 15) + ' seconds, then try again.';
  if (code === 'comments_closed') return 'Comments are closed for this article.';
  if (code === 'edit_window_closed') return 'The time to change this comment has passed.';
  if (r.status === 429) return 'Too many requests from your connection. Please try again later.';
  if (r.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return (r.data && r.data.detail) || 'Something went wrong. Please try again.';
}

var sheet = null;
/**
 * The stylesheet for a shadow root. A constructed sheet needs no inline <style>, which a strict
 * style-src would refuse; browsers without one get a <style> carrying this script's nonce.
 */
function addStyle(root) {
  if ('adoptedStyleSheets' in root && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  var style = h('style', { text: CSS });
  style.nonce = NONCE;
  root.append(style);
}

var dateFormats = {};
/**
 * Dates in the page's language, not the browser's: the nearest lang attribute (on the element, an
 * ancestor, or <html>), English without one. The reader's own time zone still applies.
 */
function dateFormat(host) {
  var holder = host.closest('[lang]');
  var lang = (holder && holder.getAttribute('lang')) || 'en';
  if (!dateFormats[lang]) {
    var options = { dateStyle: 'long', timeStyle: 'short' };
    try {
      dateFormats[lang] = new Intl.DateTimeFormat(lang, options);
    } catch (e) {
      dateFormats[lang] = new Intl.DateTimeFormat('en', options);
    }
  }
  return dateFormats[lang];
}

function when(w, iso) {
  return w.dates.format(new Date(iso));
}

function announce(w, message) {
  // Emptied first so that the same words twice in a row are announced twice.
  w.live.textContent = '';
  setTimeout(function () { w.live.textContent = message; }, 50);
}

/**
 * The heading counts approved comments, as WordPress's does; with none, it says "No Comments" only
 * while the list is empty: above the reader's own held comment it is just "Comments".
 */
function setCount(w, n) {
  w.count = Math.max(0, n);
  var empty = !w.list.querySelector('li');
  w.heading.textContent = w.count === 1 ? '1 Comment' : w.count > 1 ? w.count + ' Comments' : empty ? 'No Comments' : 'Comments';
}

function initial(name) {
  return (Array.from(name.trim())[0] || '?').toUpperCase();
}

function avatarClass(avatar) {
  return 'avatar av' + (avatar >= 0 && avatar < 8 ? Math.floor(avatar) : 0);
}

/** The body of one comment: who, when, the text, and what this reader may do with it. */
function commentBody(w, c, li) {
  var body = h('article', { class: 'comment-body', id: 'div-comment-' + c.id, tabindex: '-1' });
  if (c.removed) {
    body.append(h('p', { class: 'removed', text: 'This comment was removed.' }));
    return body;
  }
  var name = c.author.name;
  var url = c.author.url;
  var who = url && /^https?:\/\//i.test(url) ? h('a', { href: url, rel: 'external nofollow ugc' }, [name]) : name;
  body.append(h('footer', { class: 'comment-meta' }, [
    h('span', { class: avatarClass(c.author.avatar), 'aria-hidden': 'true', text: initial(name) }),
    h('div', { class: 'comment-author vcard' }, [
      h('b', { class: 'fn' }, [who]),
      c.author.moderator ? h('span', { class: 'badge', text: 'Moderator' }) : null,
      h('span', { class: 'comment-metadata' }, [h('time', { datetime: c.createdAt, text: when(w, c.createdAt) }), c.editedAt ? ' (edited)' : null]),
    ]),
  ]));
  if (c.status === 'pending') body.append(h('p', { class: 'comment-awaiting-moderation', text: 'Your comment is awaiting moderation.' }));
  var content = h('div', { class: 'comment-content' });
  // The server's sanitized HTML (API.md: "safe to insert as is"): the only HTML the widget inserts.
  content.innerHTML = c.html;
  body.append(content, commentActions(w, c, li));
  return body;
}

function commentActions(w, c, li) {
  var bar = h('div', { class: 'actions' });
  var mine = w.own[c.id];
  var button = function (text, label, action) {
    var b = h('button', { type: 'button', class: 'link', 'aria-label': label, text: text });
    b.addEventListener('click', function () { action(w, c, li, b); });
    bar.append(b);
  };
  if (w.open && c.status !== 'pending') button('Reply', 'Reply to ' + c.author.name, startReply);
  if (mine && mine.until && Date.parse(mine.until) > Date.now()) {
    button('Edit', 'Edit your comment', editComment);
    button('Delete', 'Delete your comment', deleteComment);
  } else if (!mine) {
    button('Report', 'Report the comment by ' + c.author.name, reportComment);
  }
  return bar;
}

function commentNode(w, c) {
  var li = h('li', { id: 'comment-' + c.id, class: 'comment depth-' + (c.depth + 1), 'data-depth': c.depth });
  li.append(commentBody(w, c, li));
  var kids = h('ol', { class: 'children' });
  (c.replies || []).forEach(function (reply) { kids.append(commentNode(w, reply)); });
  li.append(kids);
  w.nodes[c.id] = li;
  return li;
}

/** Redraws a comment's body (after an edit), keeping its replies. */
function redraw(w, c, li) {
  var fresh = commentBody(w, c, li);
  li.replaceChild(fresh, li.firstChild);
  return fresh;
}

/**
 * Puts a new comment where the thread would show it: among its parent's replies, or, below the
 * deepest level, among those of the ancestor the API clamps it to (API.md, threadDepth).
 */
function place(w, c) {
  var li = commentNode(w, c);
  var holder = c.parentId ? w.nodes[c.parentId] : null;
  while (holder && Number(holder.getAttribute('data-depth')) >= c.depth) holder = holder.parentNode.closest('li');
  // A top-level comment placed ahead of its page (the reader's own, newest) stays last while older pages load.
  if (!holder) li.setAttribute('data-placed', '');
  (holder ? holder.querySelector(':scope > ol') : w.list).append(li);
  setCount(w, w.count);
  return li;
}

/** One page of top-level threads, in time order above the reader's own newer ones; its first comment's node (or true when the page was empty), false when it did not load. */
function loadPage(w, cursor, fresh) {
  var query = '?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
  return call('GET', '/api/v1/articles/' + encodeURIComponent(w.article) + '/comments' + query, null, null, fresh).then(function (r) {
    if (!r.ok) {
      w.heading.textContent = 'Comments';
      w.error.textContent = 'The comments could not be loaded. ' + explain(r);
      w.error.hidden = false;
      return false;
    }
    w.error.hidden = true;
    w.open = r.data.article.open;
    var first = null;
    r.data.comments.forEach(function (c) {
      // A comment of the reader's put in place before its page came: the page's copy wins.
      if (w.nodes[c.id]) w.nodes[c.id].remove();
      var li = commentNode(w, c);
      w.list.insertBefore(li, w.list.querySelector(':scope > li[data-placed]'));
      first = first || li;
    });
    w.cursor = r.data.nextCursor;
    w.more.hidden = !w.cursor;
    setCount(w, r.data.article.commentCount);
    return first || true;
  });
}

function loadMore(w) {
  w.more.disabled = true;
  var before = w.list.children.length;
  loadPage(w, w.cursor, false).then(function (first) {
    w.more.disabled = false;
    if (first && first !== true) first.firstChild.focus();
    var loaded = w.list.children.length - before;
    announce(w, loaded === 1 ? '1 more comment loaded.' : loaded + ' more comments loaded.');
  });
}

/** The reader's own comments on this article, asked for with their tokens: held ones appear in place. */
function restoreOwn(w) {
  Object.keys(w.own).forEach(function (id) {
    var mine = w.own[id];
    if (Date.now() - mine.saved > 30 * DAY) return forget(w, id);
    call('GET', '/api/v1/comments/' + id, null, mine.token, true).then(function (r) {
      // Gone (withdrawn, deleted, or refused): nothing left to show or change.
      if (r.status === 404 || r.status === 403) return forget(w, id);
      if (!r.ok) return;
      var c = r.data;
      mine.until = c.editableUntil || null;
      keepOwn(id, mine);
      var li = w.nodes[c.id];
      if (li) redraw(w, c, li);
      else place(w, c);
      if (c.status === 'approved') keepProof(id, mine.token);
      if (c.status === 'approved' && !c.editableUntil) forget(w, id);
    });
  });
}

function forget(w, id) {
  delete w.own[id];
  keepOwn(id, null);
}

/**
 * A small inline form under a comment, in place of its action bar until sent or cancelled
 * (Cancel or Escape, focus back on the button that opened it).
 */
function inlineForm(li, opener, className, fields, submitText, onSubmit, onClose) {
  var bar = li.firstChild.querySelector('.actions');
  var error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  var send = h('button', { type: 'submit', class: 'button', text: submitText });
  var cancel = function () {
    close();
    opener.focus();
  };
  var form = h('form', { class: className }, fields.concat([error, h('div', { class: 'actions' }, [
    send,
    h('button', { type: 'button', class: 'link', text: 'Cancel', click: cancel }),
  ])]));
  function close() {
    form.remove();
    bar.hidden = false;
    if (onClose) onClose();
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    send.disabled = true;
    error.hidden = true;
    onSubmit(function (message) {
      send.disabled = false;
      error.textContent = message;
      error.hidden = false;
    }, close);
  });
  form.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') cancel();
  });
  bar.hidden = true;
  bar.after(form);
  return send;
}

function editComment(w, c, li, opener) {
  var mine = w.own[c.id];
  var content = li.firstChild.querySelector('.comment-content');
  var area = h('textarea', { id: 'edit-' + c.id, rows: 6, maxlength: 65525 });
  // The text as written is kept with the token; the published HTML is only a fallback.
  area.value = mine.body || content.textContent.trim();
  content.hidden = true;
  inlineForm(li, opener, 'edit-form', [h('label', { for: 'edit-' + c.id, text: 'Edit your comment' }), area], 'Save', function (fail, close) {
    call('PATCH', '/api/v1/comments/' + c.id, { body: area.value }, mine.token).then(function (r) {
      if (!r.ok) return fail(r.status === 422 && r.data && r.data.errors ? r.data.errors[0].message : explain(r));
      close();
      mine.body = area.value;
      keepOwn(c.id, mine);
      var edited = r.data.comment;
      // The checks run again on an edit: a published comment can go back to moderation.
      if (c.status !== 'pending' && edited.status === 'pending') setCount(w, w.count - 1);
      redraw(w, edited, li).focus();
      announce(w, edited.status === 'pending' ? 'Your comment was saved and is awaiting moderation.' : 'Your comment was saved.');
    });
  }, function () { content.hidden = false; });
  area.focus();
}

function deleteComment(w, c, li, opener) {
  var mine = w.own[c.id];
  var send = inlineForm(li, opener, 'confirm', [h('p', { class: 'notice', text: 'Delete this comment? This cannot be undone.' })], 'Delete', function (fail) {
    call('DELETE', '/api/v1/comments/' + c.id, null, mine.token).then(function (r) {
      if (!r.ok && r.status !== 404) return fail(explain(r));
      forget(w, c.id);
      delete w.nodes[c.id];
      // Published replies keep their place under a placeholder, as the thread will show them.
      if (li.querySelector(':scope > ol > li')) li.replaceChild(commentBody(w, { id: c.id, removed: true }, li), li.firstChild);
      else li.remove();
      setCount(w, c.status !== 'pending' ? w.count - 1 : w.count);
      w.heading.focus();
      announce(w, 'Your comment was deleted.');
    });
  });
  send.classList.add('danger');
  send.focus();
}

var reasons = [['spam', 'Spam'], ['abuse', 'Abusive or harmful'], ['off_topic', 'Off topic'], ['other', 'Something else']];

function reportComment(w, c, li, opener) {
  var id = 'report-' + c.id;
  var select = h('select', { id: id }, reasons.map(function (r) { return h('option', { value: r[0], text: r[1] }); }));
  var note = h('textarea', { id: id + '-note', rows: 2, maxlength: 2000 });
  inlineForm(li, opener, 'report-form', [
    h('label', { for: id, text: 'Why should the moderators look at this comment?' }), select,
    h('label', { for: id + '-note', text: 'Anything to add? (optional)' }), note,
  ], 'Send report', function (fail, close) {
    call('POST', '/api/v1/comments/' + c.id + '/reports', { reason: select.value, note: note.value.trim() || undefined }).then(function (r) {
      if (!r.ok) return fail(r.status === 429 ? 'You have sent many reports already. Please try again later.' : explain(r));
      close();
      var bar = li.firstChild.querySelector('.actions');
      var thanks = h('p', { class: 'notice', tabindex: '-1', text: 'Thank you. The moderators will take a look.' });
      bar.replaceWith(thanks);
      thanks.focus();
      announce(w, 'Thank you. The moderators will take a look.');
    });
  });
  select.focus();
}

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

/**
 * Builds one widget in host's shadow root: the thread, then the form once the thread says it is
 * open. Whatever an earlier mount built there goes first, so that a new article starts clean; the
 * earlier mount's requests still in flight only reach its own detached nodes.
 */
function mount(host, options) {
  var root = host.shadowRoot;
  if (root) root.textContent = '';
  // Turnstile's box is a light-DOM child (renderTurnstile): an earlier mount's goes too.
  host.querySelectorAll(':scope > [slot="turnstile"]').forEach(function (box) { box.remove(); });
  if (!options.article) return;
  root = root || host.attachShadow({ mode: 'open' });
  addStyle(root);
  if (options.theme === 'light' || options.theme === 'dark') host.setAttribute('data-theme', options.theme);
  var w = {
    host: host, root: root, article: options.article, dates: dateFormat(host),
    url: options.url || location.href.split('#')[0], title: options.title || document.title,
    nodes: {}, own: {}, count: 0, open: true, cursor: null, parent: null, busy: false,
  };
  var own = ownComments();
  Object.keys(own).forEach(function (id) {
    if (own[id].article === w.article) w.own[id] = own[id];
  });
  w.live = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  w.heading = h('h2', { class: 'comments-title', id: 'comments-title', tabindex: '-1', text: 'Comments' });
  w.error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  w.list = h('ol', { class: 'comment-list' });
  w.more = h('button', { type: 'button', class: 'button quiet more', hidden: true, text: 'Load more comments', click: function () { loadMore(w); } });
  w.section = h('section', { class: 'parley', 'aria-labelledby': 'comments-title' }, [w.live, w.heading, w.error, w.list, w.more]);
  root.append(w.section);
  // A reader with comments of their own asks past the browser's cache, so that a comment
  // approved a moment ago is not missing from a copy cached a moment before.
  loadPage(w, null, Object.keys(w.own).length > 0).then(function (loaded) {
    // Mounted again meanwhile (another article): this widget is gone, and adds nothing to the host.
    if (w.section.parentNode !== root) return;
    if (w.open) w.section.append(buildForm(w));
    else w.section.append(h('p', { class: 'closed', text: 'Comments are closed.' }));
    if (loaded) restoreOwn(w);
  });
}

function attr(node, name) {
  return node.getAttribute(name) || undefined;
}

/**
 * The element mounts once it is in the page with an article, and again, clean, whenever its article
 * changes: a single-page app may set or change it at any time. Moving the element keeps its widget.
 */
function follow(element) {
  var article = attr(element, 'article') || attr(element, 'data-article');
  if (article === element.parleyArticle) return;
  element.parleyArticle = article;
  mount(element, { article: article, url: attr(element, 'data-url'), title: attr(element, 'data-title'), theme: attr(element, 'data-theme') });
}

if (window.customElements && !customElements.get('parley-comments')) {
  customElements.define('parley-comments', class extends HTMLElement {
    static get observedAttributes() {
      return ['article', 'data-article'];
    }

    connectedCallback() {
      follow(this);
    }

    attributeChangedCallback() {
      if (this.isConnected) follow(this);
    }
  });
}

if (me && me.hasAttribute('data-article')) {
  var start = function () {
    var target = document.querySelector(attr(me, 'data-target') || '#comments');
    if (!target) {
      target = h('div', { id: 'comments' });
      if (me.parentNode && me.parentNode !== document.head) me.after(target);
      else document.body.append(target);
    }
    if (!target.shadowRoot) mount(target, { article: attr(me, 'data-article'), url: attr(me, 'data-url'), title: attr(me, 'data-title'), theme: attr(me, 'data-theme') });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
})();
