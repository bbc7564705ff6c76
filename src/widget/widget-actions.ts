/**
 * The widget's browser code, part 3 of 5: what a reader does to one comment besides replying —
 * edit or delete their own within the edit window (with its token), report someone else's.
 */
export const widgetActions = String.raw`
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
`
