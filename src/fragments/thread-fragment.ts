import { html, joinHtml, safeHref, trusted, type SafeHtml } from '../pages/html.js'
import type { PublicComment, ThreadComment } from '../comments/public-views.js'
import type { LegacyAnchors, ThreadPage } from '../comments/read-thread.js'
import type { ThreadOrder } from '../comments/thread-query.js'
import { textsFor, type Texts } from '../i18n/texts.js'
import type { Language } from '../i18n/languages.js'
import { avatarHtml } from './avatar-html.js'
import { commentDate } from './comment-date.js'

/**
 * The thread as WordPress prints it (wp_list_comments with the html5 walker, the markup every
 * theme styles), so that a page which includes it looks as if WordPress had rendered it, plus
 * schema.org microdata (each comment a Comment, its replies `comment`s of it) for search engines
 * and `data-parley-*` attributes for the widget, which takes the markup over.
 */
export interface FragmentOptions {
  /** The reader's own held comment, shown to them alone (WordPress's moderation-hash link). */
  held: PublicComment | null
  /** WordPress ids of imported comments, kept as their anchors. */
  anchors: LegacyAnchors
  /** IANA time zone of the dates shown (the site's), UTC by default. */
  timeZone: string
  order: ThreadOrder
  /** The readers' language: the page's (`lang`), else the site's. */
  language: Language
  /** Top-level threads per page, and the cursor this page was read at (its reply links keep the reader on it). */
  limit: number
  cursor: string | null
}

interface Walk {
  options: FragmentOptions
  page: ThreadPage
  /** Each comment's anchor, unique on the page. */
  anchor: (id: number) => string
  t: Texts['fragment']
  heldId: number | null
}

function commentHtml(c: ThreadComment, walk: Walk, itemprop: SafeHtml): SafeHtml {
  const anchor = walk.anchor(c.id)
  // The Parley id, where the anchor is not it (an imported comment's WordPress id): replies and the widget use it.
  const idAttribute = anchor === String(c.id) ? '' : html` data-parley-id="${c.id}"`
  const depth = c.depth + 1
  const children = c.replies.length
    ? html`\n<ol class="children">\n${joinHtml(
        c.replies.map((r) => commentHtml(r, walk, html` itemprop="comment"`)),
        '\n',
      )}\n</ol>`
    : ''
  const parent = c.replies.length ? ' parent' : ''
  if (c.removed) {
    return html`<li id="comment-${anchor}" class="comment depth-${depth}${parent} parley-removed"${idAttribute}>
<article id="div-comment-${anchor}" class="comment-body"><p><em>${walk.t.removed}</em></p></article>${children}
</li>`
  }
  const name = c.author.name
  // Stored URLs are http(s), checked on write; checked again here, as the dashboard does.
  const url = safeHref(c.author.url)
  const author = url
    ? html`<a href="${url}" class="url" rel="external nofollow ugc" itemprop="url">${name}</a>`
    : html`<span itemprop="name">${name}</span>`
  const fn = url ? html`<b class="fn" itemprop="name">${author}</b>` : html`<b class="fn">${author}</b>`
  const held = c.id === walk.heldId
  // WordPress marks a registered user's comment `byuser`: here a moderator's, or a reader signed in with the site.
  const staff = c.author.moderator ? ' byuser parley-staff' : c.author.verified ? ' byuser parley-verified' : ''
  const reply =
    walk.page.article.open && !held
      ? html`\n<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?${walk.options.cursor ? html`parley_cursor=${walk.options.cursor}&amp;` : ''}replytocom=${c.id}#respond" data-commentid="${c.id}" data-postid="${walk.page.article.key}" data-belowelement="div-comment-${anchor}" data-respondelement="respond" data-replyto="${walk.t.replyTo(name)}" aria-label="${walk.t.replyTo(name)}">${walk.t.reply}</a></div>`
      : ''
  const featured = c.featured ? html` <span class="parley-badge parley-featured-badge">${walk.t.featured}</span>` : ''
  // The count as text (the widget makes it a button); schema.org's upvoteCount for search engines.
  const votes =
    walk.page.article.votes && !held
      ? html`\n<div class="parley-votes" data-parley-votes="${c.votes}"><span aria-hidden="true">▲</span> <span itemprop="upvoteCount">${c.votes}</span><span class="screen-reader-text"> ${walk.t.votes(c.votes)}</span></div>`
      : ''
  return html`<li id="comment-${anchor}" class="comment depth-${depth}${parent}${staff}${c.featured ? ' parley-featured' : ''}${held ? ' parley-held' : ''}"${idAttribute}${itemprop} itemscope itemtype="https://schema.org/Comment">
<article id="div-comment-${anchor}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard" itemprop="author" itemscope itemtype="https://schema.org/Person">${avatarHtml(c.author)} ${fn}${c.author.moderator ? html` <span class="parley-badge">${walk.t.staff}</span>` : c.author.verified ? html` <span class="parley-badge parley-signed-in">${walk.t.signedIn}</span>` : ''}${featured} <span class="says">${walk.t.says}</span></div>
<div class="comment-metadata"><a href="#comment-${anchor}"><time datetime="${toMinute(c.createdAt)}" itemprop="dateCreated">${commentDate(c.createdAt, walk.options.timeZone, walk.options.language)}</time></a>${c.editedAt ? html` <span class="parley-edited">${walk.t.edited}</span>` : ''}</div>
${held ? html`<em class="comment-awaiting-moderation">${walk.t.held}</em>\n` : ''}</footer>
<div class="comment-content" itemprop="text">${trusted(c.html)}</div>${votes}${reply}
</article>${children}
</li>`
}

/**
 * The machine-readable time to the minute, as the date beside it says it (`2026-12-06T23:05Z`, a
 * valid HTML datetime): seconds would be a few more unique bytes per comment in every page, and the
 * JSON thread has the exact time.
 */
const toMinute = (iso: string) => iso.replace(/:\d\d(\.\d+)?Z$/, 'Z')

function pathTo(nodes: ThreadComment[], id: number): ThreadComment[] | undefined {
  for (const node of nodes) {
    if (node.id === id) return [node]
    const below = pathTo(node.replies, id)
    if (below) return [node, ...below]
  }
  return undefined
}

/**
 * Adds the reader's held comment where the thread will show it once approved: among the replies
 * of its nearest shown ancestor above its (clamped) depth, or at the end of the page.
 */
export function withHeld(comments: ThreadComment[], held: PublicComment): ThreadComment[] {
  const node: ThreadComment = { ...held, replies: [] }
  const holder =
    held.parentId === null
      ? undefined
      : pathTo(comments, held.parentId)
          ?.filter((n) => n.depth < held.depth)
          .pop()
  if (holder) holder.replies.push(node)
  else comments.push(node)
  return comments
}

/** Finds a shown comment by id, for "Leave a Reply to …". */
export function findShown(comments: ThreadComment[], id: number): ThreadComment | undefined {
  return pathTo(comments, id)?.pop()
}

function shownIds(nodes: ThreadComment[], into: Set<number>): Set<number> {
  for (const node of nodes) {
    into.add(node.id)
    shownIds(node.replies, into)
  }
  return into
}

/**
 * The page as a fragment: the comment list and, when there is more, WordPress's comment
 * navigation with a link the host page maps back (`?parley_cursor=` becomes the next `cursor`).
 * Every name and URL is escaped; each body is the stored, sanitized HTML.
 */
export function threadFragmentHtml(page: ThreadPage, options: FragmentOptions): SafeHtml {
  const comments = options.held ? withHeld(structuredClone(page.comments), options.held) : page.comments
  // An old WordPress id that is also a comment shown here, or another comment's old id (two sites
  // joined as one article), leaves its comment at its Parley id: ids on the page stay unique.
  const ids = shownIds(comments, new Set())
  const taken = new Set<string>()
  const anchor = (id: number) => {
    const legacy = options.anchors.get(id)
    if (legacy === undefined || ids.has(Number(legacy)) || taken.has(legacy)) return String(id)
    taken.add(legacy)
    return legacy
  }
  const t = textsFor(options.language).fragment
  const walk: Walk = { options, page, anchor, heldId: options.held?.id ?? null, t }
  const list = comments.length
    ? html`\n<ol class="comment-list">\n${joinHtml(
        comments.map((c) => commentHtml(c, walk, html``)),
        '\n',
      )}\n</ol>`
    : ''
  const next = page.nextCursor
  const nav = next
    ? html`\n<nav class="navigation comment-navigation" aria-label="${t.comments}"><h2 class="screen-reader-text">${t.navigation}</h2><div class="nav-links"><div class="nav-next"><a href="?parley_cursor=${next}#comments" data-parley-cursor="${next}">${options.order === 'newest' ? t.older : options.order === 'oldest' ? t.newer : t.more}</a></div></div></nav>`
    : ''
  const { article } = page
  return html`<div class="parley-thread" data-parley-article="${article.key}" data-parley-count="${article.commentCount}" data-parley-open="${article.open ? 1 : 0}" data-parley-policy="${article.commentPolicy}" data-parley-next="${next ?? ''}" data-parley-order="${options.order}" data-parley-limit="${options.limit}" data-parley-tz="${options.timeZone}" data-parley-lang="${options.language}">${list}${nav}
</div>
`
}
