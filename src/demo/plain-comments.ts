import { html, joinHtml, safeHref, trusted, type SafeHtml } from '../pages/html.js'
import type { PublicComment, ThreadComment } from '../comments/public-views.js'
import { avatarIndex } from '../widget/avatar-palette.js'

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })

export interface PlainThreadOptions {
  /** Replies are offered only while the article is open. */
  open: boolean
  /** The reader's own held comment, shown to them alone (WordPress's moderation-hash link). */
  heldId: number | null
  /** The page the Reply links point at, with `?replytocom=ID#respond` added. */
  pagePath: string
}

function initial(name: string): string {
  return (Array.from(name.trim())[0] ?? '?').toUpperCase()
}

/** One comment in the markup of WordPress's html5 comment list (wp_list_comments). */
function commentHtml(c: ThreadComment, options: PlainThreadOptions): SafeHtml {
  const children = c.replies.length
    ? html`\n<ol class="children">\n${joinHtml(
        c.replies.map((r) => commentHtml(r, options)),
        '\n',
      )}\n</ol>`
    : ''
  if (c.removed) {
    return html`<li id="comment-${c.id}" class="comment depth-${c.depth + 1}"><article class="comment-body"><p><em>This comment was removed.</em></p></article>${children}</li>`
  }
  const name = c.author.name
  // Stored URLs are http(s), checked on write; checked again here, as the dashboard does.
  const url = safeHref(c.author.url)
  const author = url ? html`<a href="${url}" class="url" rel="external nofollow ugc">${name}</a>` : name
  const held = c.id === options.heldId
  const reply =
    options.open && !held
      ? html`<div class="reply"><a rel="nofollow" class="comment-reply-link" href="${options.pagePath}?replytocom=${c.id}#respond" aria-label="Reply to ${name}">Reply</a></div>`
      : ''
  return html`<li id="comment-${c.id}" class="comment depth-${c.depth + 1}">
<article id="div-comment-${c.id}" class="comment-body">
<footer class="comment-meta"><span class="avatar av${avatarIndex(c.author.avatar)}" aria-hidden="true">${initial(c.author.name)}</span>
<div><div class="comment-author vcard"><b class="fn">${author}</b>${c.author.moderator ? html` <span class="badge">Moderator</span>` : ''} <span class="says">says:</span></div>
<div class="comment-metadata"><a href="#comment-${c.id}"><time datetime="${c.createdAt}">${dateFormat.format(new Date(c.createdAt))} UTC</time></a>${c.editedAt ? ' (edited)' : ''}</div>
${held ? html`<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>` : ''}</div>
</footer>
<div class="comment-content">${trusted(c.html)}</div>
${reply}
</article>${children}
</li>`
}

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

/** The comment list, server-rendered: every name and URL escaped, each body the stored sanitized HTML. */
export function plainThreadHtml(comments: ThreadComment[], options: PlainThreadOptions): SafeHtml {
  if (comments.length === 0) return html``
  return html`<ol class="comment-list">\n${joinHtml(
    comments.map((c) => commentHtml(c, options)),
    '\n',
  )}\n</ol>`
}
