import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import { htmlPage } from '../pages/html-page.js'
import { previewLink, useLink } from '../notifications/link-actions.js'
import { LINK_LIFETIME_MS, signLink } from '../notifications/mail-links.js'
import { linkConfirmPage, linkDonePage, linkProblem } from '../emails/link-pages.js'
import { textsFor } from '../i18n/texts.js'
import { negotiateLanguage, type Language } from '../i18n/languages.js'

/** The paths of emailed links: a moderator's one-click decision, an address's confirmation, an unsubscription. */
const LINK_PATHS = { act: '/act', confirm: '/confirm', unsubscribe: '/unsubscribe' } as const
type LinkPath = keyof typeof LINK_PATHS

const PAGE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em}blockquote{border-left:3px solid #ccc;margin:1em 0;padding:0 1em;white-space:pre-wrap}button{font:inherit;padding:.5em 1em}'

const page = (language: Language, body: ReturnType<typeof linkProblem>, status = 200) =>
  htmlPage({
    title: textsFor(language).links.title,
    lang: language,
    body,
    status,
    css: PAGE_CSS,
    headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  })

/** The reader's language: their browser's, else the site's. */
async function languageOf(c: Context<AppEnv>): Promise<Language> {
  const { deps } = c.env
  return negotiateLanguage(c.req.header('accept-language'), (await deps.settings.get(deps.db)).values.language)
}

function linkServices(c: Context<AppEnv>) {
  const { deps } = c.env
  return { db: deps.db, secrets: deps.secrets, akismet: deps.config.akismet !== null, notifications: deps.mail !== undefined }
}

/**
 * A form's field, or the query's (RFC 8058's one-click POST goes to the URL as mailed, `?t=` and
 * all). Undefined: a form body that cannot be read (a multipart body without its boundary, cut short).
 */
async function tokenOf(c: Context<AppEnv>): Promise<string | undefined> {
  const query = c.req.query('t')
  if (query) return query
  const type = c.req.header('content-type') ?? ''
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return ''
  try {
    const body = await c.req.parseBody()
    return typeof body.t === 'string' ? body.t : ''
  } catch {
    return undefined
  }
}

function linkRoutes(routes: Hono<AppEnv>, use: LinkPath): Hono<AppEnv> {
  const path = LINK_PATHS[use]
  return routes
    .get(path, async (c) => {
      const token = c.req.query('t') ?? ''
      const language = await languageOf(c)
      const texts = textsFor(language).links
      const preview = await previewLink(linkServices(c), token, c.env.deps.clock())
      // A link of another kind under this path is as invalid as a forged one.
      if (preview.ok && preview.link.use !== use) return page(language, linkProblem(texts, 'invalid'), 404)
      if (!preview.ok) return page(language, linkProblem(texts, preview.reason), preview.reason === 'invalid' ? 404 : 410)
      return page(language, linkConfirmPage(texts, preview, `/mail${path}`, token))
    })
    .post(path, async (c) => {
      const token = await tokenOf(c)
      const language = await languageOf(c)
      const texts = textsFor(language).links
      if (token === undefined) return page(language, linkProblem(texts, 'malformed'), 400)
      const now = c.env.deps.clock()
      const outcome = await useLink(linkServices(c), token, now, use)
      if (!outcome.ok) return page(language, linkProblem(texts, outcome.reason), outcome.reason === 'invalid' ? 404 : 410)
      const link = outcome.link
      // After "stop all": a way back, for the person who came from the address's own email.
      const undo =
        link.use === 'unsubscribe' && link.articleId === null
          ? await signLink(c.env.deps.secrets, {
              use: 'confirm',
              emailHash: link.emailHash,
              expires: now.getTime() + LINK_LIFETIME_MS,
              ids: [],
            })
          : undefined
      return page(language, linkDonePage(texts, outcome, `/mail${LINK_PATHS.confirm}`, undo))
    })
}

/**
 * Emailed links (issue 17). GET only shows what the link will do (mail scanners prefetch links);
 * POST does it, with the signed token as its only credential: no session, no cookie, so no CSRF to
 * guard against. The unsubscribe POST is RFC 8058's one-click: a mail client posts
 * `List-Unsubscribe=One-Click` to the URL it was given.
 */
export const mailLinkRoutes = (['act', 'confirm', 'unsubscribe'] as const).reduce(
  (routes, use) => linkRoutes(routes, use),
  new Hono<AppEnv>(),
)
