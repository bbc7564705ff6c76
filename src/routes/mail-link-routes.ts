import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { htmlPage } from '../pages/html-page.js'
import { previewLink, useLink } from '../notifications/link-actions.js'
import { LINK_PAGE_TITLE, linkConfirmPage, linkDonePage, linkProblem } from '../emails/link-pages.js'

/** The paths of emailed links: a moderator's one-click decision, an address's confirmation, an unsubscription. */
const LINK_PATHS = { act: '/act', confirm: '/confirm', unsubscribe: '/unsubscribe' } as const
type LinkPath = keyof typeof LINK_PATHS

const PAGE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em}blockquote{border-left:3px solid #ccc;margin:1em 0;padding:0 1em;white-space:pre-wrap}button{font:inherit;padding:.5em 1em}'

const page = (body: ReturnType<typeof linkProblem>, status = 200) =>
  htmlPage({
    title: LINK_PAGE_TITLE,
    body,
    status,
    css: PAGE_CSS,
    headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  })

function linkServices(c: Context<AppEnv>) {
  const { deps } = c.env
  return { db: deps.db, secrets: deps.secrets, akismet: deps.config.akismet !== null, notifications: deps.mail !== undefined }
}

/** A form's field, or the query's (RFC 8058's one-click POST goes to the URL as mailed, `?t=` and all). */
async function tokenOf(c: Context<AppEnv>): Promise<string> {
  const query = c.req.query('t')
  if (query) return query
  const type = c.req.header('content-type') ?? ''
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return ''
  const body = await c.req.parseBody()
  return typeof body.t === 'string' ? body.t : ''
}

function linkRoutes(routes: Hono<AppEnv>, use: LinkPath): Hono<AppEnv> {
  const path = LINK_PATHS[use]
  return routes
    .get(path, async (c) => {
      const token = c.req.query('t') ?? ''
      const preview = await previewLink(linkServices(c), token, c.env.deps.clock())
      // A link of another kind under this path is as invalid as a forged one.
      if (preview.ok && preview.link.use !== use) return page(linkProblem('invalid'), 404)
      if (!preview.ok) return page(linkProblem(preview.reason), preview.reason === 'invalid' ? 404 : 410)
      return page(linkConfirmPage(preview, `/mail${path}`, token))
    })
    .post(path, async (c) => {
      const token = await tokenOf(c)
      const outcome = await useLink(linkServices(c), token, c.env.deps.clock(), use)
      if (!outcome.ok) return page(linkProblem(outcome.reason), outcome.reason === 'invalid' ? 404 : 410)
      return page(linkDonePage(outcome))
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
