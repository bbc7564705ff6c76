// @ts-check
'use strict'
/**
 * The widget's browser code, readers' part: upvotes, and the order the thread is read in (Oldest,
 * Newest, Top, Featured). Bundled with the rest by src/widget/build-widget.ts.
 */
/** @import { Widget } from './types.js' */
import { announce, call, explain, h, store, stored } from './core.js'

const ID = /^[A-Za-z0-9_-]{16,64}$/

/**
 * The random id this browser votes with (Parley counts one vote per id and network): kept in the
 * page's own storage, so that a browser blocking third-party cookies still votes once.
 */
function browserId() {
  /** @type {string} */
  let id = stored('voter', '')
  if (!ID.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18))
    id = btoa(String.fromCharCode.apply(null, Array.from(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
    store('voter', id)
  }
  return id
}

/** The comments this browser upvoted (ids), so that the button shows it: Parley never tells who voted. */
function votedOn() {
  /** @type {Record<string, 1>} */
  const voted = stored('voted', {})
  return voted
}

/**
 * The upvote control of a comment: its count, pressed once this reader voted; a second press takes
 * the vote back. Its name starts with what it does and holds the count as shown. On a page whose
 * thread was server-rendered it is a link acting as a button, as the widget's other actions there
 * (a theme styles buttons large: the thread would move when taken over).
 * @param {Widget} w
 * @param {number} id
 * @param {number} votes
 * @param {string} name
 */
export function voteButton(w, id, votes, name) {
  let count = votes
  const hidden = w.enhanced ? 'screen-reader-text' : 'sr-only'
  const b = w.enhanced
    ? h('a', { href: '#comment-' + id, role: 'button', class: 'parley-vote' })
    : h('button', { type: 'button', class: 'link vote' })
  const show = function () {
    b.setAttribute('aria-pressed', String(!!votedOn()[id]))
    b.replaceChildren(
      h('span', { class: hidden, text: w.t.upvote(name) }),
      '▲ ' + count,
      h('span', { class: hidden, text: w.t.voteWord(count) }),
    )
  }
  show()
  b.addEventListener('click', function (event) {
    event.preventDefault()
    if (b.getAttribute('aria-disabled')) return
    const up = !votedOn()[id]
    b.setAttribute('aria-disabled', 'true')
    const body = w.reader ? { up: up, identityToken: w.reader.token } : { up: up, voter: browserId() }
    /** @type {Promise<import('./types.js').Answer<{ votes: number, voted: boolean }>>} */
    const asked = call('POST', '/api/v1/comments/' + id + '/vote', body, null, false, w.lang)
    void asked.then(function (r) {
      b.removeAttribute('aria-disabled')
      if (!r.ok) return announce(w, w.t.voteFailed + explain(w, r))
      const voted = votedOn()
      if (r.data.voted) voted[id] = 1
      else delete voted[id]
      store('voted', voted)
      count = r.data.votes
      show()
      announce(w, (r.data.voted ? w.t.upvoted : w.t.unvoted) + w.t.votes(count) + '.')
    })
  })
  return b
}

/** The orders the API reads a thread in. @type {('oldest' | 'newest' | 'top' | 'featured')[]} */
const ORDERS = ['oldest', 'newest', 'top', 'featured']

/**
 * The thread's order, as a group of toggle buttons above it: Top where readers vote, Featured
 * where editors picked comments. Choosing one reads the thread again from its first page.
 * @param {Widget} w
 * @param {{ votes?: boolean, featuredCount?: number }} article
 * @param {(w: Widget) => void} reload
 */
export function drawOrder(w, article, reload) {
  const offered = ORDERS.filter(function (o) {
    return o === 'top' ? !!article.votes : o === 'featured' ? !!article.featuredCount || w.order === 'featured' : true
  })
  const group = h('div', { class: 'order', role: 'group', 'aria-label': w.t.sort })
  offered.forEach(function (o) {
    const label =
      o === 'featured' ? w.t.orders[o] + ' (' + new Intl.NumberFormat(w.lang).format(article.featuredCount || 0) + ')' : w.t.orders[o]
    group.append(
      h('button', {
        type: 'button',
        class: 'button quiet',
        'aria-pressed': String(w.order === o),
        text: label,
        click: function () {
          if (w.order === o) return
          w.order = o
          reload(w)
        },
      }),
    )
  })
  if (w.sort) w.sort.replaceWith(group)
  else w.list.before(group)
  w.sort = group
}
