/*! Parley comments widget. Embed: <script src="…/widget.js" data-article="KEY" async></script> */
"use strict";
(() => {
  // src/widget/client/widget.css
  var widget_default = ":host{display:block;--parley-text: #1d2327;--parley-muted: #646970;--parley-background: #fff;--parley-surface: #fff;--parley-border: #c3c4c7;--parley-accent: #2271b1;--parley-accent-text: #fff;--parley-error: #b32d2e;--parley-notice: #8a5a00;--parley-radius: 4px;color-scheme:light}@media(prefers-color-scheme:dark){:host(:not([data-theme=light])){--parley-text: #e6e6e6;--parley-muted: #a7aaad;--parley-background: #1e1f21;--parley-surface: #2c2d30;--parley-border: #50535a;--parley-accent: #72aee6;--parley-accent-text: #101517;--parley-error: #ff8085;--parley-notice: #f0c33c;color-scheme:dark}}:host([data-theme=dark]){--parley-text: #e6e6e6;--parley-muted: #a7aaad;--parley-background: #1e1f21;--parley-surface: #2c2d30;--parley-border: #50535a;--parley-accent: #72aee6;--parley-accent-text: #101517;--parley-error: #ff8085;--parley-notice: #f0c33c;color-scheme:dark}*{box-sizing:border-box}[hidden]{display:none!important}.parley{font-family:var(--parley-font);font-size:var(--parley-font-size);line-height:1.5;color:var(--parley-text);background:var(--parley-background);border:1px solid var(--parley-border);border-radius:var(--parley-radius);padding:1.25rem}h2,h3{margin:0 0 .75rem;line-height:1.3}h2{font-size:1.3em}h3{font-size:1.15em}h2:focus,article:focus,.notice:focus{outline:none}ol{list-style:none;margin:0;padding:0}.children{margin:0 0 0 1.25rem;padding-left:1rem;border-left:2px solid var(--parley-border)}.children:empty{display:none}.comment-body{padding:.75rem 0}article:focus-visible{outline:2px solid var(--parley-accent);outline-offset:4px;border-radius:2px}.comment-meta{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}.avatar{flex:none;width:2.25rem;height:2.25rem;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;color:#fff;font-weight:700}.fn{font-weight:700}.fn a{color:inherit}.badge{margin-left:.4rem;padding:0 .4rem;border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);font-size:.75em;vertical-align:middle}.comment-metadata{display:block;font-size:.85em;color:var(--parley-muted)}.comment-content{overflow-wrap:anywhere;margin-top:.25rem}.comment-content p{margin:.5rem 0}.comment-content a{color:var(--parley-accent)}.comment-content blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid var(--parley-border);color:var(--parley-muted)}.comment-awaiting-moderation{margin:.5rem 0 0;font-style:italic;color:var(--parley-notice)}.removed{margin:0;font-style:italic;color:var(--parley-muted)}.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin-top:.25rem}.link{background:none;border:0;padding:0;font:inherit;font-size:.9em;color:var(--parley-accent);text-decoration:underline;cursor:pointer}.button,.submit{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:1px solid var(--parley-accent);border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);cursor:pointer}.button.quiet{background:transparent;color:var(--parley-accent)}.button.danger{background:var(--parley-error);border-color:var(--parley-error);color:#fff}.submit[disabled],.button[disabled]{opacity:.6;cursor:progress}.more{margin:1rem 0}:focus-visible{outline:2px solid var(--parley-accent);outline-offset:2px}.comment-respond{margin-top:1.25rem}.comment-list .comment-respond{margin:.5rem 0 1rem;padding:1rem;border:1px dashed var(--parley-border);border-radius:var(--parley-radius)}form p{margin:0 0 1rem}label{display:block;font-weight:600;margin-bottom:.25rem}.required{color:var(--parley-error)}input[type=text],input[type=email],input[type=url],textarea,select{display:block;width:100%;padding:.5rem .6rem;font:inherit;color:var(--parley-text);background:var(--parley-surface);border:1px solid var(--parley-border);border-radius:var(--parley-radius)}textarea{resize:vertical}input[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--parley-error);box-shadow:0 0 0 1px var(--parley-error)}.comment-notes{color:var(--parley-muted);font-size:.9em}.comment-form-cookies-consent{display:flex;gap:.5rem;align-items:baseline}.comment-form-cookies-consent label{font-weight:400;margin:0}.field-error,.form-error{display:block;margin:.3rem 0 0;color:var(--parley-error);font-size:.9em;font-weight:600}.form-error{margin:0 0 1rem}.notice{margin:.5rem 0;color:var(--parley-muted)}.closed{margin:1rem 0 0;font-style:italic}.edit-form,.report-form,.confirm{margin:.5rem 0;display:grid;gap:.5rem}.edit-form label,.report-form label{margin:0}.sr-only,.hp{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}@media(max-width:480px){.parley{padding:.75rem}.children{margin-left:.5rem;padding-left:.6rem}}";

  // src/widget/avatar-palette.ts
  var avatarColors = ["#2271b1", "#8a2424", "#1e7a4b", "#7a4a9e", "#a35400", "#0f6d7a", "#6b5b2e", "#b0316b"];
  var avatarCss = avatarColors.map((color, i) => `.av${i}{background:${color}}`).join("");
  function avatarIndex(avatar) {
    return avatar !== null && Number.isInteger(avatar) && avatar >= 0 && avatar < avatarColors.length ? avatar : 0;
  }

  // src/widget/client/core.js
  var CSS = widget_default + avatarCss;
  var me = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
  var NONCE = me && me.nonce || "";
  var BASE = (me && me.src || "").replace(/\/widget\.js(?:[?#].*)?$/, "");
  var PREFIX = "parley:" + BASE + ":";
  var DAY = 864e5;
  function h(tag2, attrs, kids) {
    var node = document.createElement(tag2);
    for (var name in attrs || {}) {
      var value = (attrs || {})[name];
      if (value === null || value === void 0 || value === false) continue;
      if (typeof value === "function") node.addEventListener(name, value);
      else if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    (kids || []).forEach(function(kid) {
      if (kid !== null && kid !== void 0 && kid !== false) node.append(kid);
    });
    return node;
  }
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
  function ownComments() {
    return stored("own", {});
  }
  function keepOwn(id, entry) {
    var all = ownComments();
    if (entry) all[id] = entry;
    else delete all[id];
    store("own", all);
  }
  function call(method, path, body, token, fresh) {
    var headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = "Bearer " + token;
    var init = { method, headers, credentials: "omit", cache: fresh ? "no-cache" : "default" };
    if (body) init.body = JSON.stringify(body);
    return fetch(BASE + path, init).then(function(res) {
      return res.text().then(function(text) {
        var data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch (e) {
          data = null;
        }
        var retryAfter = Number(res.headers.get("Retry-After")) || 0;
        var answer = res.ok ? { ok: true, status: res.status, data, retryAfter } : { ok: false, status: res.status, data, retryAfter };
        return answer;
      });
    }, function() {
      unreachable();
      var answer = { ok: false, status: 0, data: null, retryAfter: 0 };
      return answer;
    });
  }
  var hinted = false;
  function unreachable() {
    if (hinted || location.origin === new URL(BASE, location.href).origin) return;
    hinted = true;
    console.error("Parley: no answer from " + BASE + ". If the comment server is up, this page's origin (" + location.origin + ") is probably missing from the site's allowedOrigins, so the browser blocks its answers: add it with PATCH " + BASE + '/api/v1/admin/settings {"allowedOrigins": ["' + location.origin + `"]} or on the dashboard's Settings page.`);
  }
  function explain(r) {
    var code = r.data && r.data.code;
    if (r.status === 0) return "We could not reach the comment server. Please check your connection and try again.";
    if (code === "duplicate_comment") return "You have already posted this comment.";
    if (code === "too_fast") return "You are posting comments too quickly. Please wait " + (r.retryAfter || 15) + " seconds, then try again.";
    if (code === "comments_closed") return "Comments are closed for this article.";
    if (code === "edit_window_closed") return "The time to change this comment has passed.";
    if (r.status === 429) return "Too many requests from your connection. Please try again later.";
    if (r.status >= 500) return "Something went wrong on our side. Please try again in a moment.";
    return r.data && r.data.detail || "Something went wrong. Please try again.";
  }
  var sheet = null;
  function addStyle(root) {
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
      return;
    }
    var style = h("style", { text: CSS });
    style.nonce = NONCE;
    root.append(style);
  }
  var dateFormats = {};
  function dateFormat(host) {
    var holder = host.closest("[lang]");
    var lang = holder && holder.getAttribute("lang") || "en";
    var format = dateFormats[lang];
    if (!format) {
      var options = { dateStyle: "long", timeStyle: "short" };
      try {
        format = new Intl.DateTimeFormat(lang, options);
      } catch (e) {
        format = new Intl.DateTimeFormat("en", options);
      }
      dateFormats[lang] = format;
    }
    return format;
  }
  function when(w, iso) {
    return w.dates.format(new Date(iso));
  }
  function announce(w, message) {
    w.live.textContent = "";
    setTimeout(function() {
      w.live.textContent = message;
    }, 50);
  }
  function setCount(w, n) {
    w.count = Math.max(0, n);
    var empty = !w.list.querySelector("li");
    w.heading.textContent = w.count === 1 ? "1 Comment" : w.count > 1 ? w.count + " Comments" : empty ? "No Comments" : "Comments";
  }

  // src/widget/client/actions.js
  function inlineForm(li, opener, className, fields, submitText, onSubmit, onClose) {
    var body = bodyOf(li);
    var bar = body && body.querySelector(".actions");
    if (!bar) return null;
    var actions = bar;
    var error = h("p", { class: "field-error", role: "alert", hidden: true });
    var send = h("button", { type: "submit", class: "button", text: submitText });
    var cancel = function() {
      close();
      opener.focus();
    };
    var form = h("form", { class: className }, fields.concat([error, h("div", { class: "actions" }, [
      send,
      h("button", { type: "button", class: "link", text: "Cancel", click: cancel })
    ])]));
    function close() {
      form.remove();
      actions.hidden = false;
      if (onClose) onClose();
    }
    form.addEventListener("submit", function(event) {
      event.preventDefault();
      send.disabled = true;
      error.hidden = true;
      onSubmit(function(message) {
        send.disabled = false;
        error.textContent = message;
        error.hidden = false;
      }, close);
    });
    form.addEventListener("keydown", function(event) {
      if (event.key === "Escape") cancel();
    });
    actions.hidden = true;
    actions.after(form);
    return send;
  }
  function editComment(w, c, li, opener) {
    var mine = w.own[c.id];
    var body = bodyOf(li);
    var content = body && body.querySelector(".comment-content");
    if (!mine || !content) return;
    var own = mine;
    var shown = content;
    var area = h("textarea", { id: "edit-" + c.id, rows: 6, maxlength: 65525 });
    area.value = own.body || (shown.textContent || "").trim();
    shown.hidden = true;
    inlineForm(li, opener, "edit-form", [h("label", { for: "edit-" + c.id, text: "Edit your comment" }), area], "Save", function(fail, close) {
      var asked = call("PATCH", "/api/v1/comments/" + c.id, { body: area.value }, own.token);
      asked.then(function(r) {
        if (!r.ok) {
          var fieldError = r.status === 422 && r.data && r.data.errors ? r.data.errors[0] : void 0;
          return fail(fieldError ? fieldError.message : explain(r));
        }
        close();
        own.body = area.value;
        keepOwn(c.id, own);
        var edited = r.data.comment;
        if (c.status !== "pending" && edited.status === "pending") setCount(w, w.count - 1);
        redraw(w, edited, li).focus();
        announce(w, edited.status === "pending" ? "Your comment was saved and is awaiting moderation." : "Your comment was saved.");
      });
    }, function() {
      shown.hidden = false;
    });
    area.focus();
  }
  function deleteComment(w, c, li, opener) {
    var mine = w.own[c.id];
    if (!mine) return;
    var token = mine.token;
    var send = inlineForm(li, opener, "confirm", [h("p", { class: "notice", text: "Delete this comment? This cannot be undone." })], "Delete", function(fail) {
      var asked = call("DELETE", "/api/v1/comments/" + c.id, null, token);
      asked.then(function(r) {
        if (!r.ok && r.status !== 404) return fail(explain(r));
        forget(w, c.id);
        delete w.nodes[c.id];
        var body = bodyOf(li);
        if (li.querySelector(":scope > ol > li") && body) li.replaceChild(commentBody(w, { id: c.id, removed: true }, li), body);
        else li.remove();
        setCount(w, c.status !== "pending" ? w.count - 1 : w.count);
        w.heading.focus();
        announce(w, "Your comment was deleted.");
      });
    });
    if (!send) return;
    send.classList.add("danger");
    send.focus();
  }
  var reasons = [["spam", "Spam"], ["abuse", "Abusive or harmful"], ["off_topic", "Off topic"], ["other", "Something else"]];
  function reportComment(w, c, li, opener) {
    var id = "report-" + c.id;
    var select = h("select", { id }, reasons.map(function(r) {
      return h("option", { value: r[0], text: r[1] });
    }));
    var note = h("textarea", { id: id + "-note", rows: 2, maxlength: 2e3 });
    inlineForm(li, opener, "report-form", [
      h("label", { for: id, text: "Why should the moderators look at this comment?" }),
      select,
      h("label", { for: id + "-note", text: "Anything to add? (optional)" }),
      note
    ], "Send report", function(fail, close) {
      var asked = call("POST", "/api/v1/comments/" + c.id + "/reports", { reason: select.value, note: note.value.trim() || void 0 });
      asked.then(function(r) {
        if (!r.ok) return fail(r.status === 429 ? "You have sent many reports already. Please try again later." : explain(r));
        close();
        var body = bodyOf(li);
        var bar = body && body.querySelector(".actions");
        var thanks = h("p", { class: "notice", tabindex: "-1", text: "Thank you. The moderators will take a look." });
        if (bar) bar.replaceWith(thanks);
        thanks.focus();
        announce(w, "Thank you. The moderators will take a look.");
      });
    });
    select.focus();
  }

  // src/widget/client/settings.js
  var TURNSTILE = null;

  // src/widget/client/form.js
  function field(className, id, label, required, input) {
    return h("p", { class: className }, [
      h("label", { for: id }, [label, required ? " " : null, required ? h("span", { class: "required", "aria-hidden": "true", text: "*" }) : null]),
      " ",
      input
    ]);
  }
  function buildForm(w) {
    var saved = stored(
      "commenter",
      /** @type {Commenter | null} */
      null
    );
    var fields = {
      body: h("textarea", { id: "comment", name: "comment", cols: 45, rows: 8, maxlength: 65525, required: true }),
      name: h("input", { id: "author", name: "author", type: "text", size: 30, maxlength: 245, autocomplete: "name", required: true }),
      email: h("input", { id: "email", name: "email", type: "email", size: 30, maxlength: 100, autocomplete: "email", required: true, "aria-describedby": "email-notes" }),
      url: h("input", { id: "url", name: "url", type: "url", size: 30, maxlength: 200, autocomplete: "url" })
    };
    var consent = h("input", { id: "wp-comment-cookies-consent", name: "wp-comment-cookies-consent", type: "checkbox", value: "yes" });
    if (saved) {
      fields.name.value = saved.name || "";
      fields.email.value = saved.email || "";
      fields.url.value = saved.url || "";
      consent.checked = true;
    }
    var hp = h("input", { id: "hp", name: "hp", type: "text", tabindex: "-1", autocomplete: "off" });
    var submit = h("input", { name: "submit", type: "submit", id: "submit", class: "submit", value: "Post Comment" });
    var formError2 = h("p", { class: "form-error", id: "form-error", hidden: true });
    var cancel = h("button", { type: "button", id: "cancel-comment-reply-link", class: "link", hidden: true, text: "Cancel reply", click: function() {
      cancelReply(w, f, true);
    } });
    var titleText = document.createTextNode("Leave a Reply");
    var form = h("form", { id: "commentform", class: "comment-form", novalidate: true, "aria-labelledby": "reply-title" }, [
      h("p", { class: "comment-notes" }, [
        h("span", { id: "email-notes", text: "Your email address will not be published." }),
        " ",
        h("span", { class: "required-field-message" }, ["Required fields are marked ", h("span", { class: "required", text: "*" })])
      ]),
      field("comment-form-comment", "comment", "Comment", true, fields.body),
      field("comment-form-author", "author", "Name", true, fields.name),
      field("comment-form-email", "email", "Email", true, fields.email),
      field("comment-form-url", "url", "Website", false, fields.url),
      h("p", { class: "hp", "aria-hidden": "true" }, [h("label", { for: "hp", text: "Leave this field empty" }), hp]),
      h("p", { class: "comment-form-cookies-consent" }, [consent, " ", h("label", { for: "wp-comment-cookies-consent", text: "Save my name, email, and website in this browser for the next time I comment." })]),
      TURNSTILE ? h("div", { class: "turnstile" }, [h("slot", { name: "turnstile" })]) : null,
      formError2,
      h("p", { class: "form-submit" }, [submit])
    ]);
    var respond = h("div", { id: "respond", class: "comment-respond" }, [
      h("h3", { id: "reply-title", class: "comment-reply-title" }, [titleText, " ", h("small", {}, [cancel])]),
      form
    ]);
    var f = w.compose = {
      fields,
      consent,
      hp,
      submit,
      formError: formError2,
      cancel,
      titleText,
      form,
      respond,
      parent: null,
      busy: false,
      turnstileId: void 0,
      turnstileToken: ""
    };
    form.addEventListener("submit", function(event) {
      event.preventDefault();
      postComment(w, f);
    });
    form.addEventListener("keydown", function(event) {
      if (event.key === "Escape" && f.parent) cancelReply(w, f, true);
    });
    if (TURNSTILE) renderTurnstile(w, f, TURNSTILE);
    return respond;
  }
  function startReply(w, c, li, button) {
    var f = w.compose;
    if (!f) return;
    f.parent = { id: c.id, button };
    li.insertBefore(f.respond, li.querySelector(":scope > ol"));
    f.titleText.textContent = "Leave a Reply to " + c.author.name;
    f.cancel.hidden = false;
    f.fields.body.focus();
  }
  function cancelReply(w, f, focusBack) {
    var parent = f.parent;
    f.parent = null;
    w.section.append(f.respond);
    f.titleText.textContent = "Leave a Reply";
    f.cancel.hidden = true;
    if (focusBack && parent && parent.button.isConnected) parent.button.focus();
  }
  function clearErrors(f) {
    f.formError.hidden = true;
    f.form.querySelectorAll(".field-error").forEach(function(node) {
      node.remove();
    });
    Object.entries(f.fields).forEach(function(entry) {
      var name = entry[0];
      var input = entry[1];
      input.removeAttribute("aria-invalid");
      if (name === "email") input.setAttribute("aria-describedby", "email-notes");
      else input.removeAttribute("aria-describedby");
    });
  }
  function formError(w, f, message) {
    f.formError.textContent = message;
    f.formError.hidden = false;
    announce(w, message);
  }
  function showFieldErrors(w, f, problem) {
    var other = [];
    var inputs = f.fields;
    problem.errors.forEach(function(error) {
      var input = inputs[error.field];
      if (!input || !input.parentNode) return other.push(error.message);
      var id = input.id + "-error";
      if (w.root.getElementById(id)) return;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
      input.parentNode.append(h("span", { class: "field-error", id, text: error.message }));
    });
    if (other.length) formError(w, f, other.join(" "));
    else announce(w, problem.detail || "");
    var first = f.form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }
  function postComment(w, f) {
    if (f.busy) return;
    clearErrors(f);
    if (TURNSTILE && !f.turnstileToken) return formError(w, f, "Please complete the check above the button, then post again.");
    var fields = f.fields;
    var parent = f.parent;
    var input = {
      body: fields.body.value,
      name: fields.name.value,
      email: fields.email.value,
      url: fields.url.value || void 0,
      parentId: parent ? parent.id : void 0,
      article: { url: w.url, title: w.title },
      hp: f.hp.value || void 0,
      turnstileToken: f.turnstileToken || void 0,
      proof: proofOfCommenter()
    };
    f.busy = true;
    f.submit.disabled = true;
    f.form.setAttribute("aria-busy", "true");
    var asked = call("POST", "/api/v1/articles/" + encodeURIComponent(w.article) + "/comments", input);
    asked.then(function(r) {
      f.busy = false;
      f.submit.disabled = false;
      f.form.removeAttribute("aria-busy");
      resetTurnstile(f);
      if (r.ok) return posted(w, f, r.data, input);
      var problem = r.data;
      if (r.status === 422 && problem && problem.errors) return showFieldErrors(w, f, { detail: problem.detail, errors: problem.errors });
      formError(w, f, explain(r));
    });
  }
  function posted(w, f, data, input) {
    var c = data.comment;
    var mine = { token: data.token, article: w.article, body: input.body, until: c.editableUntil || null, saved: Date.now() };
    w.own[c.id] = mine;
    keepOwn(c.id, mine);
    if (c.status === "approved") keepProof(c.id, data.token);
    store("commenter", f.consent.checked ? { name: input.name, email: input.email, url: input.url || "" } : null);
    f.fields.body.value = "";
    if (f.parent) cancelReply(w, f, false);
    c.replies = [];
    var li = place(w, c);
    if (c.status === "approved") setCount(w, w.count + 1);
    var body = bodyOf(li);
    if (body) body.focus();
    announce(w, c.status === "pending" ? "Your comment is awaiting moderation." : "Your comment has been published.");
  }
  function keepProof(id, token) {
    store("proof", { commentId: Number(id), token });
  }
  function proofOfCommenter() {
    var proof = stored(
      "proof",
      /** @type {Proof | null} */
      null
    );
    return proof && proof.commentId > 0 && proof.commentId <= 2147483647 && proof.commentId % 1 === 0 && typeof proof.token === "string" ? { commentId: proof.commentId, token: proof.token.slice(0, 200) } : void 0;
  }
  var turnstileReady = null;
  function loadTurnstile(scriptUrl) {
    if (!turnstileReady) {
      turnstileReady = new Promise(function(resolve, reject) {
        if (window.turnstile) return resolve(window.turnstile);
        var script = h("script", { src: scriptUrl + "?render=explicit", async: true });
        script.nonce = NONCE;
        script.onload = function() {
          if (window.turnstile) resolve(window.turnstile);
          else reject(new Error("Turnstile's script defined no turnstile"));
        };
        script.onerror = reject;
        document.head.append(script);
      });
    }
    return turnstileReady;
  }
  function renderTurnstile(w, f, settings) {
    var box = h("div", { slot: "turnstile" });
    w.host.append(box);
    loadTurnstile(settings.scriptUrl).then(function(turnstile) {
      f.turnstileId = turnstile.render(box, {
        sitekey: settings.siteKey,
        action: "comment",
        callback: function(token) {
          f.turnstileToken = token;
        },
        "expired-callback": function() {
          f.turnstileToken = "";
        },
        "error-callback": function() {
          f.turnstileToken = "";
        }
      });
    }, function() {
      formError(w, f, "The spam check could not be loaded. Please reload the page to comment.");
    });
  }
  function resetTurnstile(f) {
    if (!TURNSTILE || f.turnstileId === void 0 || !window.turnstile) return;
    f.turnstileToken = "";
    window.turnstile.reset(f.turnstileId);
  }

  // src/widget/client/thread.js
  function initial(name) {
    return (Array.from(name.trim())[0] || "?").toUpperCase();
  }
  function avatarClass(avatar) {
    return "avatar av" + avatarIndex(avatar);
  }
  function bodyOf(li) {
    return li.querySelector(":scope > article");
  }
  function commentBody(w, c, li) {
    var body = h("article", { class: "comment-body", id: "div-comment-" + c.id, tabindex: "-1" });
    if (c.removed) {
      body.append(h("p", { class: "removed", text: "This comment was removed." }));
      return body;
    }
    var name = c.author.name;
    var url = c.author.url;
    var who = url && /^https?:\/\//i.test(url) ? h("a", { href: url, rel: "external nofollow ugc" }, [name]) : name;
    body.append(h("footer", { class: "comment-meta" }, [
      h("span", { class: avatarClass(c.author.avatar), "aria-hidden": "true", text: initial(name) }),
      h("div", { class: "comment-author vcard" }, [
        h("b", { class: "fn" }, [who]),
        c.author.moderator ? h("span", { class: "badge", text: "Moderator" }) : null,
        h("span", { class: "comment-metadata" }, [h("time", { datetime: c.createdAt, text: when(w, c.createdAt) }), c.editedAt ? " (edited)" : null])
      ])
    ]));
    if (c.status === "pending") body.append(h("p", { class: "comment-awaiting-moderation", text: "Your comment is awaiting moderation." }));
    var content = h("div", { class: "comment-content" });
    content.innerHTML = c.html;
    body.append(content, commentActions(w, c, li));
    return body;
  }
  function commentActions(w, c, li) {
    var bar = h("div", { class: "actions" });
    var mine = w.own[c.id];
    var button = function(text, label, action) {
      var b = h("button", { type: "button", class: "link", "aria-label": label, text });
      b.addEventListener("click", function() {
        action(w, c, li, b);
      });
      bar.append(b);
    };
    if (w.open && c.status !== "pending") button("Reply", "Reply to " + c.author.name, startReply);
    if (mine && mine.until && Date.parse(mine.until) > Date.now()) {
      button("Edit", "Edit your comment", editComment);
      button("Delete", "Delete your comment", deleteComment);
    } else if (!mine) {
      button("Report", "Report the comment by " + c.author.name, reportComment);
    }
    return bar;
  }
  function commentNode(w, c) {
    var li = h("li", { id: "comment-" + c.id, class: "comment depth-" + (c.depth + 1), "data-depth": c.depth });
    li.append(commentBody(w, c, li));
    var kids = h("ol", { class: "children" });
    (c.replies || []).forEach(function(reply) {
      kids.append(commentNode(w, reply));
    });
    li.append(kids);
    w.nodes[c.id] = li;
    return li;
  }
  function redraw(w, c, li) {
    var fresh = commentBody(w, c, li);
    var old = bodyOf(li);
    if (old) li.replaceChild(fresh, old);
    return fresh;
  }
  function place(w, c) {
    var li = commentNode(w, c);
    var holder = c.parentId ? w.nodes[c.parentId] : null;
    while (holder && Number(holder.getAttribute("data-depth")) >= c.depth) holder = holder.parentElement && holder.parentElement.closest("li");
    if (!holder) li.setAttribute("data-placed", "");
    (holder && holder.querySelector(":scope > ol") || w.list).append(li);
    setCount(w, w.count);
    return li;
  }
  function loadPage(w, cursor, fresh) {
    var query = "?limit=20" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    var asked = call("GET", "/api/v1/articles/" + encodeURIComponent(w.article) + "/comments" + query, null, null, fresh);
    return asked.then(function(r) {
      if (!r.ok) {
        w.heading.textContent = "Comments";
        w.error.textContent = "The comments could not be loaded. " + explain(r);
        w.error.hidden = false;
        return false;
      }
      w.error.hidden = true;
      w.open = r.data.article.open;
      var first = null;
      r.data.comments.forEach(function(c) {
        var known = w.nodes[c.id];
        if (known) known.remove();
        var li = commentNode(w, c);
        w.list.insertBefore(li, w.list.querySelector(":scope > li[data-placed]"));
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
    loadPage(w, w.cursor, false).then(function(first) {
      w.more.disabled = false;
      var body = first instanceof HTMLLIElement ? bodyOf(first) : null;
      if (body) body.focus();
      var loaded = w.list.children.length - before;
      announce(w, loaded === 1 ? "1 more comment loaded." : loaded + " more comments loaded.");
    });
  }
  function restoreOwn(w) {
    Object.keys(w.own).forEach(function(id) {
      var mine = w.own[id];
      if (!mine) return;
      if (Date.now() - mine.saved > 30 * DAY) return forget(w, id);
      var token = mine.token;
      var asked = call("GET", "/api/v1/comments/" + id, null, token, true);
      asked.then(function(r) {
        if (r.status === 404 || r.status === 403) return forget(w, id);
        if (!r.ok || !mine) return;
        var c = r.data;
        mine.until = c.editableUntil || null;
        keepOwn(id, mine);
        var li = w.nodes[c.id];
        if (li) redraw(w, c, li);
        else place(w, c);
        if (c.status === "approved") keepProof(id, token);
        if (c.status === "approved" && !c.editableUntil) forget(w, id);
      });
    });
  }
  function forget(w, id) {
    delete w.own[id];
    keepOwn(id, null);
  }

  // src/widget/client/main.js
  function mount(host, options) {
    var root = host.shadowRoot;
    if (root) root.textContent = "";
    host.querySelectorAll(':scope > [slot="turnstile"]').forEach(function(box) {
      box.remove();
    });
    if (!options.article) return;
    root = root || host.attachShadow({ mode: "open" });
    addStyle(root);
    if (options.theme === "light" || options.theme === "dark") host.setAttribute("data-theme", options.theme);
    var live = h("p", { class: "sr-only", role: "status", "aria-live": "polite" });
    var heading = h("h2", { class: "comments-title", id: "comments-title", tabindex: "-1", text: "Comments" });
    var error = h("p", { class: "form-error", role: "alert", hidden: true });
    var list = h("ol", { class: "comment-list" });
    var more = h("button", { type: "button", class: "button quiet more", hidden: true, text: "Load more comments", click: function() {
      loadMore(w);
    } });
    var w = {
      host,
      root,
      article: options.article,
      dates: dateFormat(host),
      url: options.url || location.href.split("#")[0] || "",
      title: options.title || document.title,
      nodes: {},
      own: {},
      count: 0,
      open: true,
      cursor: null,
      compose: null,
      live,
      heading,
      error,
      list,
      more,
      section: h("section", { class: "parley", "aria-labelledby": "comments-title" }, [live, heading, error, list, more])
    };
    var own = ownComments();
    Object.keys(own).forEach(function(id) {
      var mine = own[id];
      if (mine && mine.article === w.article) w.own[id] = mine;
    });
    var shadow = root;
    shadow.append(w.section);
    loadPage(w, null, Object.keys(w.own).length > 0).then(function(loaded) {
      if (w.section.parentNode !== shadow) return;
      if (w.open) w.section.append(buildForm(w));
      else w.section.append(h("p", { class: "closed", text: "Comments are closed." }));
      if (loaded) restoreOwn(w);
    });
  }
  function attr(node, name) {
    return node.getAttribute(name) || void 0;
  }
  var mounted = /* @__PURE__ */ new WeakMap();
  function follow(element) {
    var article = attr(element, "article") || attr(element, "data-article");
    if (article === mounted.get(element)) return;
    mounted.set(element, article);
    mount(element, { article, url: attr(element, "data-url"), title: attr(element, "data-title"), theme: attr(element, "data-theme") });
  }
  if (window.customElements && !customElements.get("parley-comments")) {
    customElements.define("parley-comments", class extends HTMLElement {
      static get observedAttributes() {
        return ["article", "data-article"];
      }
      connectedCallback() {
        follow(this);
      }
      attributeChangedCallback() {
        if (this.isConnected) follow(this);
      }
    });
  }
  if (me && me.hasAttribute("data-article")) {
    tag = me;
    start = function() {
      var found = document.querySelector(attr(tag, "data-target") || "#comments");
      var target = found instanceof HTMLElement ? found : null;
      if (!target) {
        target = h("div", { id: "comments" });
        if (tag.parentNode && tag.parentNode !== document.head) tag.after(target);
        else document.body.append(target);
      }
      if (!target.shadowRoot) mount(target, { article: attr(tag, "data-article"), url: attr(tag, "data-url"), title: attr(tag, "data-title"), theme: attr(tag, "data-theme") });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
  var tag;
  var start;
})();
