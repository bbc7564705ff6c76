import type { Context } from 'hono'
import { Hono } from '../http/hono-app.js'
import type { AppEnv } from '../app-env.js'
import type { ClientFiles } from '../http/client-files.js'
import { etagMatches } from '../http/etag-match.js'
import { codedResponse, staticCoded } from '../http/content-coding.js'
import { contentEtag } from '../pages/content-etag.js'
import { servedWidget, widgetSettings } from '../widget/widget-settings.js'
import { FAVICON } from '../http/favicon.js'
import { FORM_BACK_PATH, FORM_BACK_SCRIPT } from '../http/form-back.js'
import { WIDGET_CATALOGS } from '../widget/widget-catalogs.js'

// The icon never changes within a release: its version is its ETag.
const FAVICON_ETAG = '"parley-icon-1"'
const FORM_BACK_ETAG = '"parley-form-back-1"'

/**
 * Publishers embed an unversioned URL, so a browser keeps the widget for ten minutes and then
 * revalidates it by ETag (a cheap 304): a new release or setting (a Turnstile key, mail turned on
 * or off) reaches readers soon, since the ETag hashes the filled-in script.
 */
const WIDGET_CACHE = 'public, max-age=600, stale-while-revalidate=3600'

/** A file as the client prefers it: compressed once per instance and coding where the runtime compresses. */
function serve(c: Context<AppEnv>, body: string, etag: string, headers: Record<string, string>): Promise<Response> {
  return codedResponse(c, { body, etag, headers: { ...headers, 'X-Content-Type-Options': 'nosniff' }, coded: staticCoded(c, body, etag) })
}

/** GET /widget.js (with this deployment's settings filled in) and the dashboard's script and stylesheet. */
export function clientFileRoutes(files: ClientFiles) {
  return (
    new Hono<AppEnv>()
      .get('/widget.js', async (c) => {
        const { body, etag } = await servedWidget(await files.text('/widget.js'), widgetSettings(c.env.deps))
        return serve(c, body, etag, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': WIDGET_CACHE,
          // Embedded by other origins' pages, including those that require CORP of what they load
          // (Cross-Origin-Embedder-Policy); public code, so `<script crossorigin>` may read it too.
          'Cross-Origin-Resource-Policy': 'cross-origin',
          'Access-Control-Allow-Origin': '*',
        })
      })
      // The widget's words in other languages (/widget-de.js, …): loaded by the widget on a page in one.
      .get('/:file{widget-[a-z]{2}\\.js}', async (c) => {
        const lang = c.req.param('file').slice(7, 9)
        if (!(WIDGET_CATALOGS as readonly string[]).includes(lang)) return c.notFound()
        const body = await files.text(`/widget-${lang}.js`)
        return serve(c, body, await contentEtag(body), {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': WIDGET_CACHE,
          'Cross-Origin-Resource-Policy': 'cross-origin',
          'Access-Control-Allow-Origin': '*',
        })
      })
      .get('/admin/admin.js', async (c) => {
        const body = await files.text('/admin/admin.js')
        return serve(c, body, await contentEtag(body), { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' })
      })
      .get(FORM_BACK_PATH, (c) =>
        serve(c, FORM_BACK_SCRIPT, FORM_BACK_ETAG, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'public, max-age=3600',
        }),
      )
      .get('/favicon.ico', async (c) => {
        // A 304 repeats the Cache-Control the 200 would send (RFC 9110 §15.4.5).
        const cacheControl = 'public, max-age=86400'
        if (etagMatches(c.req.header('if-none-match'), FAVICON_ETAG))
          return c.body(null, 304, { ETag: FAVICON_ETAG, 'Cache-Control': cacheControl })
        return c.body(FAVICON, 200, {
          'Content-Type': 'image/x-icon',
          'Cache-Control': cacheControl,
          ETag: FAVICON_ETAG,
          'X-Content-Type-Options': 'nosniff',
        })
      })
      .get('/admin/admin.css', async (c) => {
        const body = await files.text('/admin/admin.css')
        return serve(c, body, await contentEtag(body), { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' })
      })
  )
}
