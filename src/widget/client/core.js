// @ts-check
/**
 * The widget's browser code, part 1 of 8: DOM building, storage, the API client and its messages.
 * Plain ES2017 in modules, bundled into one script by src/widget/build-widget.ts; no framework.
 * Nothing here ever parses HTML; the one exception, the server's sanitized `html`, is in thread.js.
 */
/** @import { Answer, Own, Problem, Widget } from './types.js' */
import widgetCss from './widget.css'
import { avatarCss } from '../avatar-palette.js'

/** The stylesheet: widget.css and the avatar colours the plain page shares. */
const CSS = widgetCss + avatarCss

export const me = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null
// A nonce for what the widget adds to the page (Turnstile's script, a fallback <style>): the host's
// CSP allowed this script by its nonce, so it allows what the script brings with that nonce.
export const NONCE = (me && me.nonce) || ''
// The API lives where the script came from, so an embed needs nothing but the script tag.
export const BASE = ((me && me.src) || '').replace(/\/widget\.js(?:[?#].*)?$/, '')
const PREFIX = 'parley:' + BASE + ':'
export const DAY = 86400000

/** @typedef {string | number | boolean | null | undefined | ((event: Event) => void)} AttrValue */
/** @typedef {Node | string | null | undefined | false} Kid */

/**
 * An element with attributes, listeners (function values) and children (nodes or plain text).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {Kid[]} [kids]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, kids) {
  const node = document.createElement(tag)
  for (const name in attrs || {}) {
    const value = (attrs || {})[name]
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') node.addEventListener(name, value)
    else if (name === 'text') node.textContent = String(value)
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  ;(kids || []).forEach(function (kid) {
    if (kid !== null && kid !== undefined && kid !== false) node.append(kid)
  })
  return node
}

/**
 * localStorage can be off (private modes, sandboxed frames): the widget then just forgets.
 * What it holds was written by store(), so it has the shape written; the caller names it.
 * @template T
 * @param {string} name
 * @param {NoInfer<T>} fallback
 * @returns {T}
 */
export function stored(name, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + name)
    return text ? /** @type {T} */ (JSON.parse(text)) : fallback
  } catch (e) {
    return fallback
  }
}

/** @param {string} name @param {unknown} value null removes the entry */
export function store(name, value) {
  try {
    if (value === null) localStorage.removeItem(PREFIX + name)
    else localStorage.setItem(PREFIX + name, JSON.stringify(value))
  } catch (e) {
    return
  }
}

/**
 * The reader's own comments, by id: { token, article, body, until, saved }.
 * @returns {Record<string, Own>}
 */
export function ownComments() {
  return stored('own', {})
}

/**
 * The reader's own comments on one article.
 * @param {string} article
 * @returns {Record<string, Own>}
 */
export function ownOf(article) {
  const all = ownComments()
  /** @type {Record<string, Own>} */
  const own = {}
  Object.keys(all).forEach(function (id) {
    const mine = all[id]
    if (mine && mine.article === article) own[id] = mine
  })
  return own
}

/** @param {string | number} id @param {Own | null} entry null forgets it */
export function keepOwn(id, entry) {
  const all = ownComments()
  if (entry) all[id] = entry
  else delete all[id]
  store('own', all)
}

/**
 * One API call; never rejects: a network failure is status 0. The answer's shape, `T`, is the one
 * API.md gives for the call (the variable the caller keeps the promise in names it).
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {object | null} body
 * @param {string | null} [token]
 * @param {boolean} [fresh] past the browser's cache
 * @param {string} [lang] the widget's language, for the server's messages (WordPress's, translated)
 * @returns {Promise<Answer<T>>}
 */
export function call(method, path, body, token, fresh, lang) {
  /** @type {Record<string, string>} */
  const headers = {}
  if (body) headers['Content-Type'] = 'application/json'
  // A CORS-safelisted header (letters only): no preflight more.
  if (lang && lang !== 'en') headers['Accept-Language'] = lang
  if (token) headers.Authorization = 'Bearer ' + token
  /** @type {RequestInit} */
  const init = { method: method, headers: headers, credentials: 'omit', cache: fresh ? 'no-cache' : 'default' }
  if (body) init.body = JSON.stringify(body)
  return fetch(BASE + path, init).then(
    function (res) {
      return res.text().then(function (text) {
        const data = parsed(text)
        const retryAfter = Number(res.headers.get('Retry-After')) || 0
        // Taken to be what API.md says the call answers: a success's shape, or a problem.
        /** @type {Answer<T>} */
        const answer = res.ok
          ? { ok: true, status: res.status, data: /** @type {T} */ (data), retryAfter: retryAfter }
          : { ok: false, status: res.status, data: /** @type {Problem | null} */ (data), retryAfter: retryAfter }
        return answer
      })
    },
    function () {
      unreachable()
      /** @type {Answer<T>} */
      const answer = { ok: false, status: 0, data: null, retryAfter: 0 }
      return answer
    },
  )
}

/**
 * An answer's JSON; null when there is none or it does not parse.
 * @param {string} text
 * @returns {unknown}
 */
function parsed(text) {
  try {
    return text ? JSON.parse(text) : null
  } catch (e) {
    return null
  }
}

let hinted = false
/**
 * A failed request from a page of another origin is, more often than a network fault, a page
 * whose origin the site has not allowed: the browser then hides Parley's answer (CORS). Readers
 * see "could not reach"; the site's developer gets the likely cause in the console, once.
 */
function unreachable() {
  if (hinted || location.origin === new URL(BASE, location.href).origin) return
  hinted = true
  console.error(
    'Parley: no answer from ' +
      BASE +
      ". If the comment server is up, this page's origin (" +
      location.origin +
      ") is probably missing from the site's allowedOrigins, so the browser blocks its answers: add it with PATCH " +
      BASE +
      '/api/v1/admin/settings {"allowedOrigins": ["' +
      location.origin +
      '"]} or on the dashboard\'s Settings page.',
  )
}

/**
 * A refusal in plain words, in the widget's language; field errors (422) are shown next to their fields instead.
 * @param {Widget} w
 * @param {Answer<unknown> & { ok: false }} r
 */
export function explain(w, r) {
  const t = w.t
  const code = r.data && r.data.code
  if (r.status === 0) return t.unreachable
  if (code === 'duplicate_comment') return t.duplicate
  if (code === 'too_fast') return t.tooFast(r.retryAfter || 15)
  if (code === 'comments_closed') return t.closed
  // The site's token for its logged-in reader has expired (or the secret changed): a new page signs a new one.
  if (code === 'identity_invalid') return t.expired
  if (code === 'login_required') return t.mustLogIn
  if (code === 'edit_window_closed') return t.editClosed
  if (r.status === 429) return t.tooMany
  if (r.status >= 500) return t.serverError
  // The server's words, in the page's language where they are WordPress's (the widget sends it as Accept-Language).
  return (r.data && r.data.detail) || t.failed
}

/** @type {CSSStyleSheet | null} */
let sheet = null
/**
 * The stylesheet for a shadow root. A constructed sheet needs no inline <style>, which a strict
 * style-src would refuse; browsers without one get a <style> carrying this script's nonce.
 * @param {ShadowRoot} root
 */
export function addStyle(root) {
  if ('adoptedStyleSheets' in root && window.CSSStyleSheet && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(CSS)
    }
    root.adoptedStyleSheets = [sheet]
    return
  }
  const style = h('style', { text: CSS })
  style.nonce = NONCE
  root.append(style)
}

/** @type {Record<string, Intl.DateTimeFormat>} */
const dateFormats = {}
/**
 * Dates in the page's language, not the browser's: the nearest lang attribute (on the element, an
 * ancestor, or <html>), English without one. The reader's own time zone still applies.
 * @param {HTMLElement} host
 */
export function dateFormat(host) {
  const holder = host.closest('[lang]')
  const lang = (holder && holder.getAttribute('lang')) || 'en'
  let format = dateFormats[lang]
  if (!format) {
    /** @type {Intl.DateTimeFormatOptions} */
    const options = { dateStyle: 'long', timeStyle: 'short' }
    try {
      format = new Intl.DateTimeFormat(lang, options)
    } catch (e) {
      format = new Intl.DateTimeFormat('en', options)
    }
    dateFormats[lang] = format
  }
  return format
}

/** @param {Widget} w @param {string} iso */
export function when(w, iso) {
  return w.dates.format(new Date(iso))
}

/** @param {Widget} w @param {string} message */
export function announce(w, message) {
  // Emptied first so that the same words twice in a row are announced twice.
  w.live.textContent = ''
  setTimeout(function () {
    w.live.textContent = message
  }, 50)
}

/**
 * The heading counts approved comments, as WordPress's does; with none, it says "No Comments" only
 * while the list is empty: above the reader's own held comment it is just "Comments".
 * @param {Widget} w
 * @param {number} n
 */
export function setCount(w, n) {
  w.count = Math.max(0, n)
  const empty = !w.list.querySelector('li')
  w.heading.textContent = w.count > 0 ? w.t.count(w.count) : empty ? w.t.noComments : w.t.comments
}
