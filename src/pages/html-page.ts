import { html, styleSheet, type SafeHtml } from './html.js'

/** What a page may load beyond its own nonce-bearing styles. */
export interface PageOptions {
  title: string
  /** The page's language (`en` unless said): readers' pages follow theirs (src/i18n). */
  lang?: string
  /** What goes in `<body>`, built with `html` (src/pages/html.ts). */
  body: SafeHtml
  status?: number
  css?: string
  /** Stylesheet URLs, each loaded with this response's nonce. */
  stylesheets?: string[]
  /** Script URLs, each loaded with this response's nonce. */
  scripts?: string[]
  /** More response headers (Retry-After, say). */
  headers?: Record<string, string>
  /** Extra sources for `connect-src` and `frame-src` (e.g. Turnstile's origin). */
  connect?: string[]
  frames?: string[]
}

/**
 * A server-rendered page with the headers API.md asks of every page: a strict CSP (styles and
 * scripts only by this response's nonce), no framing, nosniff and a referrer policy.
 */
export function htmlPage(options: PageOptions): Response {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
  const stylesheets = (options.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${href}" nonce="${nonce}">\n`)
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}" nonce="${nonce}" defer></script>\n`)
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    ...(options.scripts?.length ? [`script-src 'nonce-${nonce}'`, `connect-src ${["'self'", ...(options.connect ?? [])].join(' ')}`] : []),
    ...(options.frames?.length ? [`frame-src ${options.frames.join(' ')}`] : []),
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  const page = html`<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<style nonce="${nonce}">${styleSheet(baseCss + (options.css ?? ''))}</style>
${stylesheets}${scripts}</head>
<body>
${options.body}
</body>
</html>`
  return new Response(page.markup, {
    status: options.status ?? 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Cache-Control': 'no-store',
      ...options.headers,
    },
  })
}

const baseCss = `
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2327;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#16181a}a{color:#8ab4f8}}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
code{overflow-wrap:anywhere}
pre{overflow:auto;padding:.75rem;background:rgba(127,127,127,.12);border-radius:4px}
`
