// @ts-check
/**
 * The widget's browser code, part 2 of 8: the thread — comments as WordPress marks them up
 * (li.comment > article.comment-body, ol.children), pages through the cursor, and the reader's
 * own held comments put back in place from their tokens.
 */
/** @import { Answer, RemovedComment, ThreadComment, ThreadPage, Widget } from './types.js' */
import { avatarIndex } from '../avatar-palette.js'
import { DAY, announce, call, explain, h, keepOwn, setCount, when } from './core.js'
import { deleteComment, editComment, reportComment } from './actions.js'
import { keepProof, startReply } from './form.js'
import { decorate } from './enhance.js'
import { drawOrder, voteButton } from './votes.js'

/** @param {string} name */
export function initial(name) {
  return (Array.from(name.trim())[0] || '?').toUpperCase()
}

/** @param {number | null} avatar */
function avatarClass(avatar) {
  return 'avatar av' + avatarIndex(avatar)
}

/**
 * The article of a comment's li (commentNode puts it first, before the replies).
 * @param {HTMLLIElement} li
 * @returns {HTMLElement | null}
 */
export function bodyOf(li) {
  return li.querySelector(':scope > article')
}

/**
 * The body of one comment: who, when, the text, and what this reader may do with it.
 * @param {Widget} w
 * @param {ThreadComment | RemovedComment} c
 * @param {HTMLLIElement} li
 */
export function commentBody(w, c, li) {
  const body = h('article', { class: 'comment-body', id: 'div-comment-' + c.id, tabindex: '-1' })
  if (c.removed) {
    body.append(h('p', { class: 'removed', text: w.t.removed }))
    return body
  }
  const name = c.author.name
  const url = c.author.url
  const who = url && /^https?:\/\//i.test(url) ? h('a', { href: url, rel: 'external nofollow ugc' }, [name]) : name
  body.append(
    h('footer', { class: 'comment-meta' }, [
      // A signed-in reader's picture as the site gave it (https only, checked by the server too), else Parley's own.
      c.author.avatarUrl && /^https:\/\//.test(c.author.avatarUrl)
        ? h('img', {
            class: 'avatar',
            src: c.author.avatarUrl,
            alt: '',
            width: 36,
            height: 36,
            loading: 'lazy',
            referrerpolicy: 'no-referrer',
          })
        : h('span', { class: avatarClass(c.author.avatar), 'aria-hidden': 'true', text: initial(name) }),
      h('div', { class: 'comment-author vcard' }, [
        h('b', { class: 'fn' }, [who]),
        c.author.moderator
          ? h('span', { class: 'badge', text: w.t.staff })
          : c.author.verified
            ? h('span', { class: 'badge verified', text: w.t.signedIn })
            : null,
        c.featured ? h('span', { class: 'badge featured', text: w.t.featured }) : null,
        h('span', { class: 'comment-metadata' }, [
          h('time', { datetime: c.createdAt, text: when(w, c.createdAt) }),
          c.editedAt ? ' ' + w.t.edited : null,
        ]),
      ]),
    ]),
  )
  if (c.status === 'pending') body.append(h('p', { class: 'comment-awaiting-moderation', text: w.t.held }))
  body.append(commentContent(c), commentActions(w, c, li))
  return body
}

/** @param {ThreadComment} c */
export function commentContent(c) {
  const content = h('div', { class: 'comment-content' })
  // The server's sanitized HTML (API.md: "safe to insert as is"): the only HTML the widget sets.
  content.innerHTML = c.html
  return content
}

/**
 * @param {Widget} w
 * @param {ThreadComment} c
 * @param {HTMLLIElement} li
 */
function commentActions(w, c, li) {
  const bar = h('div', { class: 'actions' })
  const mine = w.own[c.id]
  /**
   * @param {string} text
   * @param {string} label
   * @param {(w: Widget, c: ThreadComment, li: HTMLLIElement, opener: HTMLButtonElement) => void} action
   */
  const button = function (text, label, action) {
    const b = h('button', { type: 'button', class: 'link', 'aria-label': label, text: text })
    b.addEventListener('click', function () {
      action(w, c, li, b)
    })
    bar.append(b)
  }
  if (w.votes && c.status !== 'pending') bar.append(voteButton(w, c.id, c.votes || 0, c.author.name))
  if (w.open && c.status !== 'pending') button(w.t.reply, w.t.replyTo(c.author.name), startReply)
  if (mine && mine.until && Date.parse(mine.until) > Date.now()) {
    button(w.t.edit, w.t.editYours, editComment)
    button(w.t.delete, w.t.deleteYours, deleteComment)
  } else if (!mine) {
    button(w.t.report, w.t.reportBy(c.author.name), reportComment)
  }
  return bar
}

/** @param {Widget} w @param {ThreadComment} c */
function commentNode(w, c) {
  const staff = w.enhanced && c.author.moderator ? ' byuser parley-staff' : ''
  // As the server's fragment: the anchor is the id (enhance.js's parleyId reads it back).
  const li = h('li', { id: 'comment-' + c.id, class: 'comment depth-' + (c.depth + 1) + staff })
  li.append(w.draw(w, c, li))
  const replies = c.replies || []
  // WordPress prints no empty list of replies; place() adds one when a reply comes.
  if (!w.enhanced || replies.length) {
    const kids = h('ol', { class: 'children' })
    replies.forEach(function (reply) {
      kids.append(commentNode(w, reply))
    })
    li.append(kids)
  }
  w.nodes[c.id] = li
  return li
}

/** A comment's depth (0 at the top), from WordPress's `depth-N` class. @param {Element} li */
function depthOf(li) {
  const found = /\bdepth-(\d+)/.exec(li.className)
  return found ? Number(found[1]) - 1 : 0
}

/**
 * Redraws a comment's body (after an edit), keeping its replies.
 * @param {Widget} w
 * @param {ThreadComment} c
 * @param {HTMLLIElement} li
 */
export function redraw(w, c, li) {
  const fresh = w.draw(w, c, li)
  const old = bodyOf(li)
  if (old) li.replaceChild(fresh, old)
  return fresh
}

/**
 * Puts a new comment where the thread would show it: among its parent's replies, or, below the
 * deepest level, among those of the ancestor the API clamps it to (API.md, threadDepth).
 * @param {Widget} w
 * @param {ThreadComment} c
 */
export function place(w, c) {
  const li = commentNode(w, c)
  let holder = c.parentId ? w.nodes[c.parentId] : null
  while (holder && depthOf(holder) >= c.depth) holder = holder.parentElement && holder.parentElement.closest('li')
  // A top-level comment placed ahead of its page (the reader's own, newest) stays last while older pages load.
  if (!holder) li.setAttribute('data-placed', '')
  // An enhanced thread without comments has no list until its first.
  if (!w.list.parentNode) w.section.prepend(w.list)
  let kids = holder && holder.querySelector(':scope > ol')
  if (holder && !kids) holder.append((kids = h('ol', { class: 'children' })))
  // WordPress's class for a comment with replies.
  if (holder && w.enhanced) holder.classList.add('parent')
  ;(kids || w.list).append(li)
  setCount(w, w.count)
  return li
}

/**
 * One page of top-level threads, in time order above the reader's own newer ones; its first
 * comment's node (or true when the page was empty), false when it did not load.
 * @param {Widget} w
 * @param {string | null} cursor
 * @param {boolean} fresh
 * @returns {Promise<HTMLLIElement | boolean>}
 */
export function loadPage(w, cursor, fresh) {
  const order = w.order === 'oldest' ? '' : '&order=' + w.order
  const query = '?limit=20' + order + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')
  /** @type {Promise<Answer<ThreadPage>>} */
  const asked = call('GET', '/api/v1/articles/' + encodeURIComponent(w.article) + '/comments' + query, null, null, fresh)
  return asked.then(function (r) {
    if (!r.ok) {
      w.heading.textContent = w.t.comments
      w.error.textContent = w.t.notLoaded + ' ' + explain(w, r)
      w.error.hidden = false
      return false
    }
    w.error.hidden = true
    w.open = r.data.article.open
    w.policy = r.data.article.commentPolicy || 'anyone'
    w.loginUrl = r.data.article.loginUrl || null
    w.votes = !!r.data.article.votes
    if (!cursor) drawOrder(w, r.data.article, reorder)
    /** @type {HTMLLIElement | null} */
    let first = null
    r.data.comments.forEach(function (c) {
      // A comment of the reader's put in place before its page came: the page's copy wins.
      const known = w.nodes[c.id]
      if (known) known.remove()
      const li = commentNode(w, c)
      w.list.insertBefore(li, w.list.querySelector(':scope > li[data-placed]'))
      first = first || li
    })
    w.cursor = r.data.nextCursor
    w.more.hidden = !w.cursor
    setCount(w, r.data.article.commentCount)
    return first || true
  })
}

/**
 * The thread read again in the order the reader chose, from its first page.
 * @param {Widget} w
 */
function reorder(w) {
  w.list.textContent = ''
  w.nodes = {}
  w.cursor = null
  void loadPage(w, null, false).then(function (first) {
    if (first) announce(w, w.t.sorted(w.t.orders[/** @type {'oldest' | 'newest' | 'top' | 'featured'} */ (w.order)] || w.order))
  })
}

/** @param {Widget} w */
export function loadMore(w) {
  w.more.disabled = true
  const before = w.list.children.length
  void loadPage(w, w.cursor, false).then(function (first) {
    w.more.disabled = false
    const body = first instanceof HTMLLIElement ? bodyOf(first) : null
    if (body) body.focus()
    const loaded = w.list.children.length - before
    announce(w, w.t.loaded(loaded))
  })
}

/**
 * The reader's own comments on this article, asked for with their tokens: held ones appear in place.
 * @param {Widget} w
 */
export function restoreOwn(w) {
  Object.keys(w.own).forEach(function (id) {
    const mine = w.own[id]
    if (!mine) return
    if (Date.now() - mine.saved > 30 * DAY) return forget(w, id)
    const token = mine.token
    /** @type {Promise<Answer<ThreadComment>>} */
    const asked = call('GET', '/api/v1/comments/' + id, null, token, true)
    void asked.then(function (r) {
      // Gone (withdrawn, deleted, or refused): nothing left to show or change.
      if (r.status === 404 || r.status === 403) return forget(w, id)
      if (!r.ok || !mine) return
      const c = r.data
      mine.until = c.editableUntil || null
      keepOwn(id, mine)
      const li = w.nodes[c.id]
      // The server's markup of an enhanced thread stays as it is: only the reader's actions are added.
      if (li && w.enhanced) decorate(w, li)
      else if (li) redraw(w, c, li)
      else place(w, c)
      if (c.status === 'approved') keepProof(id, token)
      if (c.status === 'approved' && !c.editableUntil) forget(w, id)
    })
  })
}

/** @param {Widget} w @param {string | number} id */
export function forget(w, id) {
  delete w.own[id]
  keepOwn(id, null)
}
