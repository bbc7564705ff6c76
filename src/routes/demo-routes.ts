import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { htmlPage } from '../pages/html-page.js'
import { html } from '../pages/html.js'
import { ownOrigin } from '../http/origins.js'
import { toId } from '../http/row-ids.js'
import { constantTimeEqual } from '../crypto/tokens.js'
import { findArticleById } from '../articles/articles.js'
import { findComment } from '../comments/author-actions.js'
import { toPublicComment, type PublicComment } from '../comments/public-views.js'
import { readThread } from '../comments/read-thread.js'
import { decodeCursor } from '../comments/thread-shape.js'
import { demoArticle, demoArticleHtml, demoCss, plainCss } from '../demo/demo-article.js'
import { findShown, plainThreadHtml, withHeld } from '../demo/plain-comments.js'
import { plainFormHtml } from '../demo/plain-form.js'
import { widgetSettings } from '../widget/widget-settings.js'

const PLAIN = '/demo/plain'

/** GET /demo: the sample article with the widget, embedded as the custom element. */
function demoPage(c: Context<AppEnv>): Response {
  const origin = ownOrigin(c)
  const turnstile = widgetSettings(c.env.deps).turnstile
  const links = html`This page embeds Parley's widget. The same article with WordPress's plain form, no JavaScript needed: <a href="${PLAIN}">${PLAIN}</a>.`
  return htmlPage({
    title: demoArticle.title,
    css: demoCss,
    scripts: ['/widget.js'],
    // The widget loads Turnstile's script with this page's nonce; its challenge is a frame.
    frames: turnstile ? [new URL(turnstile.scriptUrl).origin] : undefined,
    body: html`${demoArticleHtml(links)}
<section id="comments" class="comments-area">
<parley-comments article="${demoArticle.key}" data-url="${`${origin}/demo`}" data-title="${demoArticle.title}"></parley-comments>
<noscript><p>The comments need JavaScript here; <a href="${PLAIN}">the plain page</a> works without it.</p></noscript>
</section>
</main>`,
  })
}

/**
 * The reader's own held comment, shown only with the `unapproved` id and `moderation-hash` that
 * POST /comment-form put in its redirect, as WordPress does. A spam verdict looks the same.
 */
async function heldComment(c: Context<AppEnv>, threadDepth: number): Promise<PublicComment | null> {
  const { deps } = c.env
  const id = toId(c.req.query('unapproved') ?? '')
  const hash = c.req.query('moderation-hash') ?? ''
  if (id === undefined || !constantTimeEqual(hash, await deps.secrets.moderationHash(id))) return null
  const row = await findComment(deps.db, id)
  if (!row || (row.status !== 'pending' && row.status !== 'spam')) return null
  const article = await findArticleById(deps.db, row.articleId)
  return article?.key === demoArticle.key ? toPublicComment(row, threadDepth) : null
}

/** GET /demo/plain: the same article, its published comments rendered here, WordPress's form; no script. */
async function plainPage(c: Context<AppEnv>): Promise<Response> {
  const { deps } = c.env
  const settings = await deps.settings.get(deps.db)
  const cursor = decodeCursor(c.req.query('cursor') ?? '') ?? null
  const { page } = await readThread(deps.db, { key: demoArticle.key, limit: 50, order: 'oldest', cursor }, settings, deps.clock())
  const held = await heldComment(c, settings.values.threadDepth)
  const comments = held ? withHeld(page.comments, held) : page.comments
  const replyId = toId(c.req.query('replytocom') ?? '')
  const replyTo = replyId === undefined ? undefined : findShown(page.comments, replyId)
  const { turnstile, notify } = widgetSettings(deps)
  const count = page.article.commentCount
  const title =
    count === 0
      ? ''
      : html`<h2 class="comments-title">${count === 1 ? 'One thought' : `${count} thoughts`} on &ldquo;${demoArticle.title}&rdquo;</h2>`
  const next = page.nextCursor
    ? html`<nav class="nav-links"><a href="${PLAIN}?cursor=${encodeURIComponent(page.nextCursor)}#comments">Newer comments &rarr;</a></nav>`
    : ''
  const form = page.article.open
    ? plainFormHtml({
        articleKey: demoArticle.key,
        redirectTo: `${ownOrigin(c)}${PLAIN}`,
        replyTo: replyTo && !replyTo.removed ? { id: replyTo.id, name: replyTo.author.name } : null,
        pagePath: PLAIN,
        turnstileSiteKey: turnstile?.siteKey ?? null,
        notify,
      })
    : html`<p class="no-comments">Comments are closed.</p>`
  return htmlPage({
    title: `${demoArticle.title} (plain form)`,
    css: demoCss + plainCss,
    // Without Turnstile this page runs no script at all; with it, the challenge needs Cloudflare's.
    scripts: turnstile ? [turnstile.scriptUrl] : undefined,
    frames: turnstile ? [new URL(turnstile.scriptUrl).origin] : undefined,
    body: html`${demoArticleHtml(html`This page uses WordPress's own comment form, posted to Parley without JavaScript. The same article with the widget: <a href="/demo">/demo</a>.`)}
<section id="comments" class="comments-area">
${title}
${plainThreadHtml(comments, { open: page.article.open, heldId: held?.id ?? null, pagePath: PLAIN })}
${next}
${form}
</section>
</main>`,
  })
}

/** The demo: one article, with the widget (/demo) and with WordPress's plain form (/demo/plain). */
export const demoRoutes = new Hono<AppEnv>().get('/', demoPage).get('/plain', plainPage)
