import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { AppError, validationError } from '../errors.js'
import { MAX_ID } from '../db/max-id.js'
import { checkOrigin, commentContext } from '../http/comment-request.js'
import { htmlPage } from '../pages/html-page.js'
import { html, joinHtml, type SafeHtml } from '../pages/html.js'
import { classifyError } from '../http/classify-error.js'
import { problemHeaders } from '../http/problem-response.js'
import { articleKeyPattern, articleKeyRule } from '../articles/articles.js'
import { submitComment } from '../comments/submit-comment.js'
import { FORM_BACK_PATH } from '../http/form-back.js'
import { localizeMessage, textsFor, type Texts } from '../i18n/texts.js'
import { languageOf, negotiateLanguage, type Language } from '../i18n/languages.js'

const field = (form: Record<string, unknown>, name: string): string | undefined => {
  const value = form[name]
  return typeof value === 'string' ? value : undefined
}

/** An http(s) URL on an allowed origin, or nothing: the form never redirects elsewhere. */
function allowedTarget(value: string | null | undefined, origins: string[]): URL | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return origins.includes(url.origin) ? url : undefined
  } catch {
    return undefined
  }
}

function backLink(t: Texts['form'], back: URL | undefined): SafeHtml {
  return back
    ? html`<p><a id="back" href="${back.href}">${t.back}</a></p>`
    : html`<p><a id="back" href="#" hidden>${t.back}</a></p><noscript><p>${t.useBack}</p></noscript>`
}

/**
 * The reader's language on the form's pages: their browser's (`Accept-Language`), else the site's
 * setting; English where the settings cannot be read (the database down: a 503 page).
 */
async function formLanguage(c: Context<AppEnv>): Promise<Language> {
  const { deps } = c.env
  const site = await deps.settings.get(deps.db).then(
    (loaded) => loaded.values.language,
    () => languageOf(c.req.header('accept-language')) ?? 'en',
  )
  return negotiateLanguage(c.req.header('accept-language'), site)
}

/** WordPress's wp_die() page for a refused comment: its message (WordPress's, in the reader's language), the status, and a way back. */
export function formErrorPage(error: AppError, back?: URL, language: Language = 'en'): Response {
  const t = textsFor(language).form
  const messages = error.errors?.length ? [...new Set(error.errors.map((e) => e.message))] : [error.detail]
  return htmlPage({
    title: t.failure,
    lang: language,
    status: error.status,
    body: html`${joinHtml(
      messages.map((m) => html`<p><strong>${t.error}</strong> ${localizeMessage(m, language)}</p>`),
      '\n',
    )}\n${backLink(t, back)}`,
    scripts: [FORM_BACK_PATH],
    headers: problemHeaders(error),
  })
}

/**
 * The page the reader came from, as a place to return to: not an origin alone, which is all a
 * browser sends as Referer from another origin (strict-origin-when-cross-origin). That is the
 * blog's home page, not the article.
 */
function pageOf(referrer: string | null, origins: string[]): URL | undefined {
  const url = allowedTarget(referrer, origins)
  return url && (url.pathname !== '/' || url.search !== '') ? url : undefined
}

async function handleForm(c: Context<AppEnv>): Promise<Response> {
  const type = c.req.header('content-type') ?? ''
  const language = await formLanguage(c)
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    return formErrorPage(new AppError('unsupported_media_type', 'Send the form as application/x-www-form-urlencoded.'), undefined, language)
  }
  const t = textsFor(language).form
  const ctx = await commentContext(c)
  const back = pageOf(ctx.referrer, ctx.allowedOrigins)
  try {
    checkOrigin(c, ctx)
    // A body that does not parse (a multipart one without its boundary, say) is the sender's error.
    const form = await c.req.parseBody().catch(() => {
      throw new AppError('malformed_form', 'The form could not be read.')
    })
    const key = field(form, 'comment_post_ID')?.trim() ?? ''
    // What the JSON API answers for a key that cannot be one: a field error, not an unknown article.
    if (!key) throw validationError([{ field: 'comment_post_ID', code: 'required', message: 'comment_post_ID is required.' }])
    if (!articleKeyPattern.test(key))
      throw validationError([{ field: 'comment_post_ID', code: 'invalid_format', message: `comment_post_ID ${articleKeyRule}.` }])
    const parentText = field(form, 'comment_parent')?.trim() || '0'
    const parentId = /^\d{1,10}$/.test(parentText) ? Number(parentText) : -1
    if (parentId < 0 || parentId > MAX_ID)
      throw new AppError('parent_not_found', 'The comment you are replying to does not exist or is not published.')
    const { comment, article } = await submitComment(ctx, {
      articleKey: key,
      body: field(form, 'comment'),
      name: field(form, 'author'),
      email: field(form, 'email'),
      url: field(form, 'url'),
      parentId: parentId || null,
      honeypot: field(form, 'hp'),
      turnstileToken: field(form, 'cf-turnstile-response'),
      // Jetpack's checkbox for follow-up comments; the approval one has no WordPress convention.
      // The WordPress plugin signs one for the logged-in WordPress user (issue 19).
      // Present but empty is a token that does not verify, not a guest's post.
      identityToken: field(form, 'parley_identity'),
      subscribe: { thread: checked(field(form, 'subscribe_comments')), approval: checked(field(form, 'notify_approval')) },
      // The article's URL and title as the WordPress plugin sends them; else the page the reader came
      // from names a new article, when it is on an origin articles may be on.
      article: {
        url:
          field(form, 'parley_article_url') ||
          (allowedTarget(field(form, 'redirect_to'), ctx.articleOrigins)?.href ?? pageOf(ctx.referrer, ctx.articleOrigins)?.href),
        title: field(form, 'parley_article_title'),
      },
    })
    const target = allowedTarget(field(form, 'redirect_to'), ctx.allowedOrigins) ?? allowedTarget(article.url, ctx.allowedOrigins) ?? back
    const held = comment.status !== 'approved'
    if (!target) {
      return htmlPage({
        title: t.received,
        lang: language,
        status: 201,
        body: html`<p>${held ? t.held : t.published}</p>\n${backLink(t, undefined)}`,
        scripts: [FORM_BACK_PATH],
      })
    }
    if (held) {
      target.searchParams.set('unapproved', String(comment.id))
      target.searchParams.set('moderation-hash', await ctx.secrets.moderationHash(comment))
    }
    target.hash = `comment-${comment.id}`
    return c.redirect(target.href, 303)
  } catch (error) {
    // WordPress answers every refusal with its wp_die() page, so the form does too (with a way back).
    return formErrorPage(classifyError(error, c), back, language)
  }
}

/** POST /comment-form: a drop-in target for WordPress's own comment form, no JavaScript needed. */
/** A ticked checkbox: sent with any value but an empty one or `0`. */
const checked = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0'

export const commentFormRoutes = new Hono<AppEnv>().post('/', handleForm)
