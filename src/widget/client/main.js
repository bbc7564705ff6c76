// @ts-check
'use strict'
/**
 * The widget's browser code, part 8 of 8, and the bundle's entry: mounting. Two embeds: a script
 * tag with `data-article` (mounting into `data-target`, default `#comments`), and the
 * `<parley-comments>` element. Either one holding the article's server-rendered thread is
 * enhanced (enhance.js) rather than drawn.
 */
/** @import { Widget } from './types.js' */
import { addStyle, dateFormat, h, me, ownOf } from './core.js'
import { commentBody, loadMore, loadPage, restoreOwn } from './thread.js'
import { drawRespond } from './form.js'
import { enhance } from './enhance.js'
import { identity, reidentify, watch } from './identity.js'
import { catalogLoading, languageOf, messagesFor } from './messages.js'

/**
 * Builds one widget in host's shadow root: the thread, then the form once the thread says it is
 * open. Whatever an earlier mount built there goes first, so that a new article starts clean; the
 * earlier mount's requests still in flight only reach its own detached nodes.
 * @param {HTMLElement} host
 * @param {{ article?: string, url?: string, title?: string, theme?: string, identityToken?: string, logoutUrl?: string }} options
 */
function mount(host, options) {
  // A page in a language whose catalog is not here yet: mounted once it is, unless mounted again meanwhile.
  latest.set(host, options)
  const loading = catalogLoading(languageOf(host))
  if (loading) {
    void loading.then(function () {
      if (latest.get(host) === options) mount(host, options)
    })
    return
  }
  const thread = host.shadowRoot ? null : host.querySelector('.parley-thread')
  const of = thread && thread.getAttribute('data-parley-article')
  if (thread instanceof HTMLElement && options.article && (!of || of === options.article)) {
    return enhance(host, thread, { article: options.article, url: options.url, title: options.title })
  }
  let root = host.shadowRoot
  if (root) root.textContent = ''
  // Turnstile's box is a light-DOM child (renderTurnstile): an earlier mount's goes too.
  host.querySelectorAll(':scope > [slot="turnstile"]').forEach(function (box) {
    box.remove()
  })
  if (!options.article) return
  root = root || host.attachShadow({ mode: 'open' })
  addStyle(root)
  if (options.theme === 'light' || options.theme === 'dark') host.setAttribute('data-theme', options.theme)
  const t = messagesFor(host)
  const live = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' })
  const heading = h('h2', { class: 'comments-title', id: 'comments-title', tabindex: '-1', text: t.comments })
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true })
  const list = h('ol', { class: 'comment-list' })
  const more = h('button', {
    type: 'button',
    class: 'button quiet more',
    hidden: true,
    text: t.loadMore,
    click: function () {
      loadMore(w)
    },
  })
  /** @type {Widget} */
  const w = {
    host: host,
    root: root,
    enhanced: false,
    draw: commentBody,
    article: options.article,
    dates: dateFormat(host),
    t: t,
    lang: languageOf(host),
    url: options.url || location.href.split('#')[0] || '',
    title: options.title || document.title,
    nodes: {},
    own: ownOf(options.article),
    count: 0,
    open: true,
    cursor: null,
    compose: null,
    live: live,
    heading: heading,
    error: error,
    list: list,
    more: more,
    section: h('section', { class: 'parley', 'aria-labelledby': 'comments-title' }, [live, heading, error, list, more]),
    policy: 'anyone',
    loginUrl: null,
    reader: null,
    identityToken: options.identityToken || null,
    logoutUrl: options.logoutUrl || null,
    redraw: null,
    after: null,
    order: 'oldest',
    sort: null,
    votes: false,
  }
  widgetOf.set(host, w)
  const shadow = root
  shadow.append(w.section)
  // The thread and whom the site's token names, asked at once. A reader with comments of their own
  // asks past the browser's cache, so that a comment approved a moment ago is not missing from a
  // copy cached a moment before.
  void Promise.all([loadPage(w, null, Object.keys(w.own).length > 0), watch(w, drawRespond)]).then(function (done) {
    // Mounted again meanwhile (another article): this widget is gone, and adds nothing to the host.
    if (w.section.parentNode !== shadow) return
    drawRespond(w)
    if (done[0]) restoreOwn(w)
  })
}

/** The options each host was last mounted with (a mount waiting for its catalog gives way to a later one). @type {WeakMap<HTMLElement, object>} */
const latest = new WeakMap()

/** The widget each host holds now, for a token given to it later. @type {WeakMap<HTMLElement, Widget>} */
const widgetOf = new WeakMap()

/** @param {Element} node @param {string} name */
function attr(node, name) {
  return node.getAttribute(name) || undefined
}

/** The article each element last mounted (follow). @type {WeakMap<HTMLElement, string | undefined>} */
const mounted = new WeakMap()

/**
 * The element mounts once it is in the page with an article, and again, clean, whenever its article
 * changes: a single-page app may set or change it at any time. Moving the element keeps its widget.
 * @param {HTMLElement} element
 */
function follow(element) {
  // Mid-parse (a script before the element's end), its server-rendered thread may not be in it yet.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      if (element.isConnected) follow(element)
    })
    return
  }
  const article = attr(element, 'article') || attr(element, 'data-article')
  if (article === mounted.get(element)) return
  mounted.set(element, article)
  mount(element, {
    article: article,
    url: attr(element, 'data-url'),
    title: attr(element, 'data-title'),
    theme: attr(element, 'data-theme'),
  })
}

/** A page that signs its reader in later (or out) sets the element's `identity-token`. @param {HTMLElement} element */
function tokenChanged(element) {
  const w = widgetOf.get(element)
  const token = attr(element, 'identity-token') || null
  // Emptied by the widget's own "Log out?", which has drawn the form again already.
  if (w && w.redraw && token !== (w.reader && w.reader.token)) reidentify([w], token)
}

if (window.customElements && !customElements.get('parley-comments')) {
  customElements.define(
    'parley-comments',
    class extends HTMLElement {
      static get observedAttributes() {
        return ['article', 'data-article', 'identity-token']
      }

      connectedCallback() {
        follow(this)
      }

      /** @param {string} name @param {string | null} before @param {string | null} now */
      attributeChangedCallback(name, before, now) {
        if (!this.isConnected) return
        if (name === 'identity-token') {
          if (before !== now) tokenChanged(this)
        } else follow(this)
      }
    },
  )
}

// The page's API (identity.js): `Parley.identity({ token, refresh, logout })`. A page that loads the
// script deferred or async may set `window.Parley = { identity: { token, refresh, logout } }` first:
// the options are taken as the script starts, before any widget asks whom the token names.
const api = /** @type {{ identity?: unknown }} */ (window.Parley || (window.Parley = {}))
const preset = api.identity
api.identity = identity
if (preset && typeof preset === 'object') identity(/** @type {Parameters<typeof identity>[0]} */ (preset))

if (me && me.hasAttribute('data-article')) {
  const tag = me
  const start = function () {
    const found = document.querySelector(attr(tag, 'data-target') || '#comments')
    let target = found instanceof HTMLElement ? found : null
    if (!target) {
      target = h('div', { id: 'comments' })
      if (tag.parentNode && tag.parentNode !== document.head) tag.after(target)
      else document.body.append(target)
    }
    if (!target.shadowRoot)
      mount(target, {
        article: attr(tag, 'data-article'),
        url: attr(tag, 'data-url'),
        title: attr(tag, 'data-title'),
        theme: attr(tag, 'data-theme'),
        identityToken: attr(tag, 'data-identity-token'),
        logoutUrl: attr(tag, 'data-logout-url'),
      })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
}
