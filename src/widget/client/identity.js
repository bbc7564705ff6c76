// @ts-check
/**
 * The widget's browser code, part 7 of 8: the reader the site signs in (issue 19). The page hands
 * the widget its token — the attribute `identity-token` on <parley-comments> (`data-identity-token`
 * on the script tag), or `Parley.identity({ token, refresh, logout })` for every widget on the page —
 * and the widget asks Parley whom it names (POST /api/v1/identity) for WordPress's "Logged in as
 * NAME. Log out?". It asks `refresh` for a fresh token before the one it holds runs out, and once
 * more after the server refused one; where the article takes signed-in readers only and the reader
 * is not one, it says so with the site's login link and tells the page (`parley:login-required`).
 */
/** @import { Answer, Reader, Widget } from './types.js' */
import { call, h } from './core.js'

/** A token this close to its end is renewed before posting (clocks differ; the post takes time). */
const MARGIN_MS = 60000

/**
 * What the page gave through `Parley.identity`.
 * @type {{ token: string | null, refresh: (() => unknown) | null, logout: (() => unknown) | null }}
 */
const page = { token: null, refresh: null, logout: null }

/** The mounted widgets, told when the page's identity changes. @type {Set<Widget>} */
const widgets = new Set()

/**
 * The reader a token names, or null when there is none or it does not verify.
 * @param {string | null} token
 * @returns {Promise<Reader | null>}
 */
export function readerOf(token) {
  if (!token) return Promise.resolve(null)
  /** @type {Promise<Answer<{ reader: { name: string | null, subscriber: boolean, expiresAt: string } }>>} */
  const asked = call('POST', '/api/v1/identity', { identityToken: token })
  return asked.then(function (r) {
    if (!r.ok) return null
    return { token: token, name: r.data.reader.name, subscriber: r.data.reader.subscriber, expiresAt: Date.parse(r.data.reader.expiresAt) }
  })
}

/** The token the widget starts with: its own attribute's, else the page's. @param {Widget} w */
export function givenToken(w) {
  return w.host.getAttribute('identity-token') || w.identityToken || page.token
}

/**
 * A fresh token from the page's callback (it may answer at once or with a promise), verified.
 * @returns {Promise<Reader | null>}
 */
function refreshed() {
  if (!page.refresh) return Promise.resolve(null)
  const refresh = page.refresh
  return new Promise(function (resolve) {
    resolve(refresh())
  }).then(
    function (token) {
      if (typeof token !== 'string' || !token) return null
      page.token = token
      return readerOf(token)
    },
    function () {
      return null
    },
  )
}

/**
 * The token to post with: the reader's, renewed first when it is about to run out.
 * @param {Widget} w
 * @param {boolean} refused the server has just refused the one held
 * @returns {Promise<string | null>}
 */
export function postingToken(w, refused) {
  const reader = w.reader
  if (!reader) return Promise.resolve(null)
  if (!refused && reader.expiresAt - Date.now() > MARGIN_MS) return Promise.resolve(reader.token)
  return refreshed().then(function (fresh) {
    if (fresh) setReader(w, fresh)
    return fresh ? fresh.token : refused ? null : reader.token
  })
}

/**
 * The site's login page with the way back to this article, as WordPress's wp_login_url() gives it
 * (`redirect_to`); null where the site set no login page.
 * @param {Widget} w
 */
function loginLink(w) {
  if (!w.loginUrl) return null
  try {
    const url = new URL(w.loginUrl)
    url.searchParams.set('redirect_to', w.url)
    return url.href
  } catch (e) {
    return w.loginUrl
  }
}

/**
 * Tells the page that the reader must log in (or subscribe) to comment here.
 * @param {Widget} w
 * @param {string} code `login_required` or `subscription_required`
 */
export function loginRequired(w, code) {
  w.host.dispatchEvent(
    new CustomEvent('parley:login-required', {
      bubbles: true,
      composed: true,
      detail: { article: w.article, code: code, policy: w.policy, loginUrl: loginLink(w) },
    }),
  )
}

/**
 * Why this reader may not comment here, as the server would refuse them; null: they may.
 * @param {Widget} w
 */
export function refusal(w) {
  if (w.policy === 'anyone') return null
  if (!w.reader) return 'login_required'
  return w.policy === 'subscribers' && !w.reader.subscriber ? 'subscription_required' : null
}

/**
 * WordPress's "You must be logged in to post a comment." (its `must-log-in` paragraph), with the
 * site's login link when it has one, or the subscribers-only words.
 * @param {Widget} w
 * @param {string} code
 */
export function mustLogIn(w, code) {
  loginRequired(w, code)
  const link = loginLink(w)
  const text =
    code === 'subscription_required'
      ? [w.t.subscribersOnly]
      : link
        ? [w.t.mustBe[0], h('a', { href: link, text: w.t.mustBe[1] }), w.t.mustBe[2]]
        : [w.t.mustLogIn]
  return h('p', { class: 'must-log-in' }, text)
}

/**
 * WordPress's "Logged in as NAME. Log out?". Log out goes to the page's `logout-url`, else calls
 * its `logout`, else tells it (`parley:logout`); the widget forgets the reader either way.
 * @param {Widget} w
 * @param {(w: Widget) => void} redraw
 */
export function loggedInAs(w, redraw) {
  const url = w.host.getAttribute('logout-url') || w.logoutUrl
  const out = function () {
    widgets.forEach(function (other) {
      setReader(other, null)
    })
    page.token = null
    w.host.setAttribute('identity-token', '')
    if (page.logout) page.logout()
    else w.host.dispatchEvent(new CustomEvent('parley:logout', { bubbles: true, composed: true, detail: { article: w.article } }))
    widgets.forEach(redraw)
  }
  const name = (w.reader && w.reader.name) || w.t.anonymous
  return h('p', { class: 'logged-in-as' }, [
    w.t.loggedInAs(name),
    url ? h('a', { href: url, text: w.t.logOut }) : h('button', { type: 'button', class: 'link', text: w.t.logOut, click: out }),
  ])
}

/**
 * Keeps the widget told of the page's identity, and reads whom its first token names.
 * @param {Widget} w
 * @param {(w: Widget) => void} redraw draws the form part again once the reader changed
 */
export function watch(w, redraw) {
  w.redraw = redraw
  widgets.forEach(function (other) {
    if (!other.section.isConnected) widgets.delete(other)
  })
  widgets.add(w)
  return verified(givenToken(w)).then(function (reader) {
    setReader(w, reader)
  })
}

/**
 * The reader a token names; a token Parley refuses (expired in a cached page, a restored tab) is
 * renewed once through the page's `refresh`.
 * @param {string | null} token
 * @returns {Promise<Reader | null>}
 */
function verified(token) {
  return readerOf(token).then(function (reader) {
    return reader || (token ? refreshed() : null)
  })
}

/** Timers that renew each widget's token before it runs out. @type {WeakMap<Widget, ReturnType<typeof setTimeout>>} */
const renewals = new WeakMap()

/**
 * Holds the reader, and a minute before their token runs out asks the page for a fresh one: without
 * one (no `refresh`, or it gave none) the reader is forgotten then, and the form drawn again, so that
 * "Logged in as" never outlives the token.
 * @param {Widget} w
 * @param {Reader | null} reader
 */
function setReader(w, reader) {
  w.reader = reader
  clearTimeout(renewals.get(w))
  if (!reader) return
  // setTimeout's longest wait is about 24.8 days; a token lives a day at most.
  const wait = Math.min(Math.max(reader.expiresAt - Date.now() - MARGIN_MS, 1000), 2147483647)
  renewals.set(
    w,
    setTimeout(function () {
      if (w.reader !== reader || !w.section.isConnected) return
      void refreshed().then(function (fresh) {
        if (w.reader !== reader) return
        setReader(w, fresh)
        if ((!fresh || fresh.name !== reader.name || fresh.subscriber !== reader.subscriber) && w.redraw) w.redraw(w)
      })
    }, wait),
  )
}

/**
 * A new token for one widget (its attribute changed), or for all (the page's API): each asks whom
 * it names and draws its form again.
 * @param {Set<Widget> | Widget[]} which
 * @param {string | null} token
 */
export function reidentify(which, token) {
  if (Array.from(which).length === 0) return
  void verified(token).then(function (reader) {
    which.forEach(function (w) {
      setReader(w, reader)
      if (w.redraw) w.redraw(w)
    })
  })
}

/**
 * The page's API: `Parley.identity({ token, refresh, logout })` signs every widget's reader in,
 * `Parley.identity(null)` out.
 * @param {{ token?: string | null, refresh?: () => unknown, logout?: () => unknown } | null} options
 */
export function identity(options) {
  page.token = (options && options.token) || null
  page.refresh = (options && typeof options.refresh === 'function' && options.refresh) || null
  page.logout = (options && typeof options.logout === 'function' && options.logout) || null
  // A widget given its own token (its attribute) keeps it.
  reidentify(
    Array.from(widgets).filter(function (w) {
      return !w.host.getAttribute('identity-token')
    }),
    page.token,
  )
}
