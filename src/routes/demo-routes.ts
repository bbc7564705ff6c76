import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { htmlPage } from '../pages/html-page.js'
import { html, type SafeHtml } from '../pages/html.js'
import { ownOrigin } from '../http/origins.js'
import { toId } from '../http/row-ids.js'
import { readThread } from '../comments/read-thread.js'
import { decodeCursor, encodeCursor } from '../comments/thread-shape.js'
import { demoArticle, demoArticleHtml, demoCss, enhancedCss, plainCss } from '../demo/demo-article.js'
import { findShown, threadFragmentHtml } from '../fragments/thread-fragment.js'
import { findReaderHeld } from '../comments/reader-held.js'
import { plainFormHtml } from '../demo/plain-form.js'
import { widgetSettings } from '../widget/widget-settings.js'

const PLAIN = '/demo/plain'
const ENHANCED = '/demo/enhanced'

/** GET /demo: the sample article with the widget, embedded as the custom element. */
function demoPage(c: Context<AppEnv>): Response {
  const origin = ownOrigin(c)
  const turnstile = widgetSettings(c.env.deps).turnstile
  const links = html`This page embeds Parley's widget. The same article with WordPress's plain form, no JavaScript needed: <a href="${PLAIN}">${PLAIN}</a>; server-rendered, enhanced: <a href="${ENHANCED}">${ENHANCED}</a>.`
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

/** The two pages of the article with its comments rendered by the server, as a WordPress theme with Parley's plugin renders them. */
interface ServerRendered {
  path: string
  /** Top-level threads per page (WordPress's comments_per_page). */
  limit: number
  /** The fragment and the form inside <parley-comments>, with the widget, which takes them over. */
  enhanced: boolean
  intro: SafeHtml
}

const plain: ServerRendered = {
  path: PLAIN,
  limit: 50,
  enhanced: false,
  intro: html`This page uses WordPress's own comment form, posted to Parley without JavaScript. The same article with the widget: <a href="/demo">/demo</a>; enhanced: <a href="${ENHANCED}">${ENHANCED}</a>.`,
}

const enhanced: ServerRendered = {
  path: ENHANCED,
  limit: 20,
  enhanced: true,
  intro: html`The comments of <a href="${PLAIN}">${PLAIN}</a>, taken over by Parley's widget; without JavaScript, that page.`,
}

/**
 * GET /demo/plain: the article, its published comments rendered here, WordPress's form; no script.
 * GET /demo/enhanced: the same inside <parley-comments>, with the widget.
 */
async function serverRenderedPage(c: Context<AppEnv>, variant: ServerRendered): Promise<Response> {
  const { path } = variant
  const { deps } = c.env
  const settings = await deps.settings.get(deps.db)
  const cursor = decodeCursor(c.req.query('parley_cursor') ?? '') ?? null
  const { page, anchors } = await readThread(
    deps.db,
    { key: demoArticle.key, limit: variant.limit, order: 'oldest', cursor },
    settings,
    deps.clock(),
  )
  const pair = { unapproved: c.req.query('unapproved'), moderationHash: c.req.query('moderation-hash') }
  const held = await findReaderHeld(deps.db, deps.secrets, demoArticle.key, pair, settings.values.threadDepth, deps.clock())
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
        redirectTo: `${ownOrigin(c)}${path}`,
        replyTo: replyTo && !replyTo.removed ? { id: replyTo.id, name: replyTo.author.name } : null,
        pagePath: path,
        turnstileSiteKey: turnstile?.siteKey ?? null,
        notify,
      })
    : html`<p class="no-comments">Comments are closed.</p>`
  const comments = html`${title}
${threadFragmentHtml(page, { held, anchors, timeZone: 'UTC', order: 'oldest', limit: variant.limit, cursor: cursor ? encodeCursor(cursor) : null, language: 'en' })}
${form}`
  // Without Turnstile the plain page runs no script at all; with it, the challenge needs Cloudflare's.
  const scripts = [...(variant.enhanced ? ['/widget.js'] : []), ...(turnstile ? [turnstile.scriptUrl] : [])]
  return htmlPage({
    title: `${demoArticle.title} (${variant.enhanced ? 'server-rendered, enhanced' : 'plain form'})`,
    css: demoCss + plainCss + (variant.enhanced ? enhancedCss : ''),
    scripts: scripts.length ? scripts : undefined,
    frames: turnstile ? [new URL(turnstile.scriptUrl).origin] : undefined,
    body: html`${demoArticleHtml(variant.intro)}
<section id="comments" class="comments-area">
${
  variant.enhanced
    ? html`<parley-comments article="${demoArticle.key}" data-url="${`${ownOrigin(c)}${path}`}" data-title="${demoArticle.title}">
${comments}
</parley-comments>`
    : comments
}
</section>
</main>`,
  })
}

/**
 * The demo: one article, with the widget (/demo), with WordPress's plain form (/demo/plain), and
 * with both server-rendered and taken over by the widget (/demo/enhanced).
 */
export const demoRoutes = new Hono<AppEnv>()
  .get('/', demoPage)
  .get('/plain', (c) => serverRenderedPage(c, plain))
  .get('/enhanced', (c) => serverRenderedPage(c, enhanced))
