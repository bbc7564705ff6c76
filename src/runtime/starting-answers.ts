import { html } from '../pages/html.js'

/**
 * What the Node server answers while it is still opening its database (a first start on the
 * embedded engine creates and migrates it, which can take many seconds on a busy machine): the
 * process is alive (`/healthz` 200), not ready (`/readyz` 503), and every other request is asked
 * to come back shortly — never a refused connection, which a proxy or an orchestrator would read
 * as a dead process.
 */
export function startingAnswer(request: Request): Response {
  const path = new URL(request.url).pathname
  const headers = { 'Cache-Control': 'no-store', 'Retry-After': '2' }
  if (path === '/healthz') return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
  if (
    request.method === 'GET' &&
    !path.startsWith('/api/') &&
    path !== '/readyz' &&
    (request.headers.get('accept') ?? '').includes('text/html')
  ) {
    // Through the one template, as every page is, though it has nothing to escape (no nonce: no style, no script).
    const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Parley is starting</title></head><body><p>Parley is starting; this page reloads in a moment.</p></body></html>`
    return new Response(page.markup, {
      status: 503,
      headers: {
        ...headers,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
        'X-Content-Type-Options': 'nosniff',
      },
    })
  }
  const problem = {
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    code: 'unavailable',
    detail: 'Parley is starting; please try again in a moment.',
  }
  return new Response(JSON.stringify(problem), { status: 503, headers: { ...headers, 'Content-Type': 'application/problem+json' } })
}
