import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { htmlPage } from '../pages/html-page.js'
import { html } from '../pages/html.js'
import { ownOrigin } from '../http/origins.js'
import { toId } from '../http/row-ids.js'
import { readThread } from '../comments/read-thread.js'
import { decodeCursor } from '../comments/thread-shape.js'
import { demoArticle, demoArticleHtml, demoCss, plainCss } from '../demo/demo-article.js'
import { findShown, threadFragmentHtml } from '../fragments/thread-fragment.js'
import { findReaderHeld } from '../comments/reader-held.js'
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

/** GET /demo/plain: the same article, its published comments rendered here, WordPress's form; no script. */
async function plainPage(c: Context<AppEnv>): Promise<Response> {
  const { deps } = c.env
  const settings = await deps.settings.get(deps.db)
  const cursor = decodeCursor(c.req.query('parley_cursor') ?? '') ?? null
  const { page, anchors } = await readThread(deps.db, { key: demoArticle.key, limit: 50, order: 'oldest', cursor }, settings, deps.clock())
  const pair = { unapproved: c.req.query('unapproved'), moderationHash: c.req.query('moderation-hash') }
  const held = await findReaderHeld(deps.db, deps.secrets, demoArticle.key, pair, settings.values.threadDepth)
  const replyId = toId(c.req.query('replytocom') ?? '')
  const replyTo = replyId === undefined ? undefined : findShown(page.comments, replyId)
  const { turnstile, notify } = widgetSettings(deps)
  const count = page.article.commentCount
  const title =
    count === 0
      ? ''
      : html`<h2 class="comments-title">${count === 1 ? 'One thought' : `${count} thoughts`} on &ldquo;${demoArticle.title}&rdquo;</h2>`
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
${threadFragmentHtml(page, { held, anchors, timeZone: 'UTC', order: 'oldest' })}
${form}
</section>
</main>`,
  })
}

/** The demo: one article, with the widget (/demo) and with WordPress's plain form (/demo/plain). */
export const demoRoutes = new Hono<AppEnv>().get('/', demoPage).get('/plain', plainPage)
