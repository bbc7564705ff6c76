// @ts-check
/**
 * The widget's browser code, part 5 of 8: progressive enhancement. A page may hold, inside the
 * element, Parley's server-rendered thread (GET …/comments.html: WordPress's own comment markup in
 * a `.parley-thread`) and WordPress's comment form posting to /comment-form; without JavaScript
 * both work as they are. The widget then takes them over where they stand instead of drawing its
 * own: nothing is hidden or drawn again, so nothing moves. It adds Edit, Delete and Report beside
 * each comment's date (links, as WordPress's Edit is, styled by the theme like the Reply link),
 * posts the form through the API, puts a new comment in the list in WordPress's markup, and turns
 * "Newer Comments" into a button that appends the next page of the thread.
 *
 * No shadow root here: the theme's CSS styles the thread and the form, and what the widget adds
 * is WordPress's markup in the same light DOM for that CSS to style too. A shadow root slotting
 * the light DOM would change nothing the reader sees, and its stylesheet could not reach the
 * comments the controls go into.
 */
/** @import { RemovedComment, Target, ThreadComment, Widget } from './types.js' */
import { avatarColors, avatarIndex } from '../avatar-palette.js'
import { BASE, announce, dateFormat, h, ownOf, when } from './core.js'
import { deleteComment, editComment, reportComment } from './actions.js'
import { adoptForm, startReply } from './page-form.js'
import { bodyOf, commentContent, initial, restoreOwn } from './thread.js'
import { voteButton } from './votes.js'
import { languageOf, messagesFor } from './messages.js'

/**
 * @param {HTMLElement} host
 * @param {HTMLElement} thread the `.parley-thread` inside it
 * @param {{ article: string, url?: string, title?: string }} options
 */
export function enhance(host, thread, options) {
  const respond = host.querySelector('#respond') || document.getElementById('respond')
  const form = respond && respond.querySelector('form')
  const list = thread.querySelector('.comment-list')
  /** @param {string} name a hidden field of the form, for what the element does not say */
  const given = function (name) {
    const input = form && form.elements.namedItem(name)
    return input instanceof HTMLInputElement ? input.value : ''
  }
  /** @type {Widget} */
  const w = {
    host: host,
    root: document,
    enhanced: true,
    draw: commentBody,
    article: options.article,
    dates: dateFormat(host),
    t: messagesFor(host),
    lang: languageOf(host),
    url: options.url || given('parley_article_url') || location.href.split('#')[0] || '',
    title: options.title || given('parley_article_title') || document.title,
    nodes: {},
    own: ownOf(options.article),
    count: Number(thread.getAttribute('data-parley-count')) || 0,
    open: thread.getAttribute('data-parley-open') !== '0',
    cursor: thread.getAttribute('data-parley-next') || null,
    compose: null,
    // Hidden by WordPress's .screen-reader-text, which every theme styles (the fragment uses it too).
    live: h('p', { class: 'screen-reader-text', role: 'status', 'aria-live': 'polite' }),
    heading: h('h2'),
    error: h('p', { class: 'parley-error', role: 'alert', hidden: true }),
    list: list instanceof HTMLOListElement ? list : h('ol', { class: 'comment-list' }),
    more: h('button'),
    section: thread,
    policy: thread.getAttribute('data-parley-policy') || 'anyone',
    loginUrl: null,
    // The page's own form says who is logged in, and carries their token (parley_identity).
    reader: null,
    identityToken: null,
    logoutUrl: null,
    redraw: null,
    after: null,
    order: thread.getAttribute('data-parley-order') || 'oldest',
    sort: null,
    votes: !!thread.querySelector('.parley-votes'),
  }
  host.append(w.live)
  thread.append(w.error)
  thread.querySelectorAll('li.comment').forEach(function (li) {
    adopt(w, li)
  })
  // Only a form that posts to Parley is taken over.
  if (respond instanceof HTMLElement && form && /\/comment-form$/.test(new URL(form.action, location.href).pathname)) {
    adoptForm(w, respond, form)
  }
  host.addEventListener('click', function (event) {
    const target = event.target instanceof Element ? event.target.closest('.comment-reply-link') : null
    // WordPress's comment-reply.js, when the theme loads it too, has moved the form already.
    if (target instanceof HTMLElement && !event.defaultPrevented && startReply(w, target)) event.preventDefault()
  })
  host.addEventListener('keydown', function (event) {
    // The widget's links that act as buttons (role="button") take Space as buttons do.
    const target = event.target
    if (event.key === ' ' && target instanceof HTMLAnchorElement && target.getAttribute('role') === 'button') {
      event.preventDefault()
      target.click()
    }
  })
  takeOverMore(w, thread)
  restoreOwn(w)
}

/**
 * A server-rendered comment's Parley id: `data-parley-id` where its anchor is another (a comment
 * imported from WordPress keeps its old id there), else the number of its `comment-ID` anchor.
 * @param {Element} li
 * @returns {string}
 */
function parleyId(li) {
  return li.getAttribute('data-parley-id') || li.id.replace(/^comment-/, '')
}

/** A server-rendered comment, known by its Parley id and given the reader's actions. @param {Widget} w @param {Element} li */
function adopt(w, li) {
  if (!(li instanceof HTMLLIElement)) return
  w.nodes[parleyId(li)] = li
  // The fragment's count, as text, becomes the upvote button.
  const votes = li.querySelector(':scope > article > .parley-votes')
  if (votes) {
    const fn = li.querySelector(':scope > article .fn')
    votes.replaceChildren(
      voteButton(w, Number(parleyId(li)), Number(votes.getAttribute('data-parley-votes')) || 0, fn ? fn.textContent || '' : ''),
    )
  }
  decorate(w, li)
}

/**
 * The reader's actions on a server-rendered comment, (again) from what their stored tokens say.
 * @param {Widget} w
 * @param {HTMLLIElement} li
 */
export function decorate(w, li) {
  const body = bodyOf(li)
  const meta = body && body.querySelector('.comment-metadata')
  if (!body || !meta) return
  const old = meta.querySelector('.parley-actions')
  if (old) old.remove()
  // The reader's own held comment, shown by WordPress's pair after the plain form: no token, nothing to report.
  const id = Number(parleyId(li))
  if (li.classList.contains('parley-held') && !w.own[id]) return
  const fn = body.querySelector('.fn')
  const pending = !!body.querySelector('.comment-awaiting-moderation')
  actions(w, { id: id, status: pending ? 'pending' : 'approved' }, li, meta, fn ? fn.textContent || '' : '')
}

/**
 * Edit and Delete on the reader's own comment while its edit window lasts, Report on anyone else's:
 * links after the date, where WordPress puts its Edit link, acting as buttons.
 * @param {Widget} w
 * @param {Target} c
 * @param {HTMLLIElement} li
 * @param {Element} meta
 * @param {string} name
 */
function actions(w, c, li, meta, name) {
  const mine = w.own[c.id]
  /** @type {[string, string, (w: Widget, c: Target, li: HTMLLIElement, opener: HTMLElement) => void][]} */
  const offered = !mine
    ? [[w.t.report, w.t.reportBy(name), reportComment]]
    : mine.until && Date.parse(mine.until) > Date.now()
      ? [
          [w.t.edit, w.t.editYours, editComment],
          [w.t.delete, w.t.deleteYours, deleteComment],
        ]
      : []
  if (!offered.length) return
  const bar = h('span', { class: 'parley-actions' })
  offered.forEach(function (offer) {
    const link = h('a', { href: '#' + li.id, role: 'button', class: 'comment-' + offer[0].toLowerCase() + '-link', 'aria-label': offer[1] })
    link.textContent = offer[0]
    link.addEventListener('click', function (event) {
      event.preventDefault()
      offer[2](w, c, li, link)
    })
    bar.append(' ', link)
  })
  meta.append(bar)
}

/**
 * A link of the fragment's, relative to the page (`?replytocom=5#respond`), on the page's own
 * address: its query is kept, as WordPress's plain permalinks need (`?p=7&replytocom=5`).
 * @param {string} href
 */
function onPage(href) {
  const url = new URL(location.href)
  const link = new URL(href, location.href)
  link.searchParams.forEach(function (value, name) {
    url.searchParams.set(name, value)
  })
  url.hash = link.hash
  return url.href
}

const SVG = 'http://www.w3.org/2000/svg'
/** @param {string} tag @param {Record<string, string | number>} attrs */
function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag)
  Object.keys(attrs).forEach(function (name) {
    node.setAttribute(name, String(attrs[name]))
  })
  return node
}

/**
 * A comment's body as the server renders it (src/fragments/thread-fragment.ts), for a comment the
 * reader has just posted or edited, or their held one put back from its token.
 * @param {Widget} w
 * @param {ThreadComment | RemovedComment} c
 * @param {HTMLLIElement} li
 */
function commentBody(w, c, li) {
  const body = h('article', { id: 'div-' + li.id, class: 'comment-body', tabindex: '-1' })
  if (c.removed) {
    li.classList.add('parley-removed')
    body.append(h('p', {}, [h('em', { text: w.t.removed })]))
    return body
  }
  const name = c.author.name
  const url = c.author.url
  const letter = svg('text', { x: 1, y: 1.35, 'font-size': 1, 'text-anchor': 'middle', fill: '#fff' })
  letter.textContent = initial(name)
  const avatar = svg('svg', { class: 'avatar avatar-32 photo', width: 32, height: 32, viewBox: '0 0 2 2', 'aria-hidden': 'true' })
  avatar.append(svg('circle', { cx: 1, cy: 1, r: 1, fill: avatarColors[avatarIndex(c.author.avatar)] || '' }), letter)
  const who =
    url && /^https?:\/\//i.test(url) ? h('a', { href: url, class: 'url', rel: 'external nofollow ugc' }, [name]) : h('span', {}, [name])
  const meta = h('div', { class: 'comment-metadata' }, [
    h('a', { href: '#' + li.id }, [h('time', { datetime: c.createdAt.replace(/:\d\d\.\d{3}Z$/, 'Z'), text: when(w, c.createdAt) })]),
    c.editedAt ? ' ' : null,
    c.editedAt ? h('span', { class: 'parley-edited', text: w.t.edited }) : null,
  ])
  const author = h('div', { class: 'comment-author vcard' }, [avatar, ' ', h('b', { class: 'fn' }, [who])])
  if (c.author.moderator) author.append(' ', h('span', { class: 'parley-badge', text: w.t.staff }))
  else if (c.author.verified) author.append(' ', h('span', { class: 'parley-badge parley-signed-in', text: w.t.signedIn }))
  author.append(' ', h('span', { class: 'says', text: w.t.says }))
  body.append(
    h('footer', { class: 'comment-meta' }, [
      author,
      meta,
      c.status === 'pending' ? h('em', { class: 'comment-awaiting-moderation', text: w.t.held }) : null,
    ]),
    commentContent(c),
  )
  // As the server renders it: the count under the text, here already the control.
  if (w.votes && c.status !== 'pending') {
    body.append(h('div', { class: 'parley-votes', 'data-parley-votes': c.votes || 0 }, [voteButton(w, c.id, c.votes || 0, name)]))
  }
  if (w.open && c.status !== 'pending') {
    const reply = w.t.replyTo(name)
    body.append(
      h('div', { class: 'reply' }, [
        h('a', {
          rel: 'nofollow',
          class: 'comment-reply-link',
          href: onPage('?replytocom=' + c.id + '#respond'),
          'data-commentid': c.id,
          'data-postid': w.article,
          'data-belowelement': body.id,
          'data-respondelement': 'respond',
          'data-replyto': reply,
          'aria-label': reply,
          text: w.t.reply,
        }),
      ]),
    )
  }
  actions(w, c, li, meta, name)
  return body
}

/**
 * "Newer Comments" (WordPress's comment navigation, a link to the host page's next page) becomes
 * a button that appends the next page of the fragment, asked for as the page asked for the first.
 * @param {Widget} w
 * @param {HTMLElement} thread
 */
function takeOverMore(w, thread) {
  const link = thread.querySelector('a[data-parley-cursor]')
  if (!(link instanceof HTMLAnchorElement)) return
  const nav = link.closest('nav') || link
  // The page size and time zone the host asked for, as the fragment says; an older fragment without
  // them: the first page was full, so its length (the reader's own held comment aside) is the size.
  const given = Number(thread.getAttribute('data-parley-limit'))
  const limit =
    given >= 1 && given <= 100 ? given : Math.min(100, Math.max(1, w.list.querySelectorAll(':scope > li:not(.parley-held)').length))
  const tz = thread.getAttribute('data-parley-tz') || 'UTC'
  const asked = thread.getAttribute('data-parley-order')
  const order = asked === 'newest' || asked === 'top' || asked === 'featured' ? asked : 'oldest'
  const lang = thread.getAttribute('data-parley-lang')
  link.setAttribute('role', 'button')
  link.addEventListener('click', function (event) {
    event.preventDefault()
    if (link.getAttribute('aria-disabled')) return
    link.setAttribute('aria-disabled', 'true')
    const query =
      '?limit=' +
      limit +
      '&order=' +
      order +
      '&cursor=' +
      encodeURIComponent(link.getAttribute('data-parley-cursor') || '') +
      (tz === 'UTC' ? '' : '&tz=' + encodeURIComponent(tz)) +
      (lang && /^[a-z]{2}$/.test(lang) ? '&lang=' + lang : '')
    fetch(BASE + '/api/v1/articles/' + encodeURIComponent(w.article) + '/comments.html' + query, { credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status)
        return res.text()
      })
      .then(function (text) {
        // Parsed into an inert document, where nothing runs: the server's markup, its comments' HTML
        // sanitized as each comment's `html` is.
        const page = new DOMParser().parseFromString(text, 'text/html').querySelector('.parley-thread')
        if (!page) throw new Error('No thread in the answer')
        const placed = w.list.querySelector(':scope > li[data-placed]')
        const added = Array.from(page.querySelectorAll('.comment-list > li')).map(function (li) {
          const known = w.nodes[parleyId(li)]
          if (known) known.remove()
          const node = document.adoptNode(li)
          w.list.insertBefore(node, placed)
          // The fragment's links are relative to the page: made to keep the page's own query.
          node.querySelectorAll('a[href^="?"]').forEach(function (a) {
            a.setAttribute('href', onPage(a.getAttribute('href') || ''))
          })
          adopt(w, node)
          node.querySelectorAll('li.comment').forEach(function (reply) {
            adopt(w, reply)
          })
          return node
        })
        const next = page.getAttribute('data-parley-next')
        w.cursor = next || null
        w.error.hidden = true
        link.removeAttribute('aria-disabled')
        if (next) {
          link.setAttribute('data-parley-cursor', next)
          link.href = onPage('?parley_cursor=' + encodeURIComponent(next) + '#comments')
        } else nav.remove()
        const first = added[0] instanceof HTMLLIElement ? bodyOf(added[0]) : null
        if (first) {
          first.tabIndex = -1
          first.focus()
        }
        announce(w, w.t.loaded(added.length))
      })
      .catch(function () {
        link.removeAttribute('aria-disabled')
        w.error.textContent = w.t.notLoaded + ' ' + w.t.tryAgain
        w.error.hidden = false
      })
  })
}
