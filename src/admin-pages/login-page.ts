import { html } from '../pages/html.js'
import { plainPage } from './layout.js'

export interface LoginView {
  email?: string
  /** Where to go once signed in (a dashboard path). */
  next?: string | undefined
  error?: string
  status?: number
  /** A notice such as "You are signed out." */
  notice?: string
  /** The identity provider's sign-in button's words, where moderators may sign in through it (PARLEY_OIDC_*). */
  oidc?: string | undefined
}

/** Email and password, posted to /admin/login; the same checks and throttling as the API's login. */
export function loginPage(view: LoginView = {}): Response {
  const body = html`<h1>Sign in to Parley</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="notice error" role="alert" id="login-error">${view.error}</p>` : ''}
<form class="panel pad" method="post" action="/admin/login">
${view.next ? html`<input type="hidden" name="next" value="${view.next}">` : ''}
<div class="field"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" autofocus required value="${view.email ?? ''}"${view.error ? html` aria-describedby="login-error"` : ''}></div>
<div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Sign in</button>
</form>
${view.oidc ? html`<p class="panel pad"><a class="btn" href="/admin/login/oidc${view.next ? `?${new URLSearchParams({ next: view.next }).toString()}` : ''}">${view.oidc}</a></p>` : ''}`
  return plainPage('Sign in', body, view.status ?? 200)
}

/** Why a right password did not sign in: the page is plain HTTP, where the session cookie cannot live. */
export function needsHttps(origin: string): string {
  return (
    `Your email and password are right, but this browser will not keep you signed in: the dashboard is open over plain HTTP at ${origin}, ` +
    'and its session cookie is sent over HTTPS only. Open it over HTTPS (behind a TLS proxy, with PARLEY_PUBLIC_URL set to its https:// address), ' +
    `or, on a network you trust, start Parley with PARLEY_PUBLIC_URL=${origin} to let the cookie travel over plain HTTP.`
  )
}

/**
 * Signed in through the identity provider: the way on to the dashboard, taken at once (Refresh).
 * Not a redirect: the browser came from the provider's site, and a redirect would still be that
 * cross-site navigation, on which it withholds the SameSite=Strict session cookie just set; a
 * navigation this page starts is Parley's own.
 */
export function signedInPage(next: string): Response {
  const response = plainPage(
    'Signed in',
    html`<h1>Signed in</h1><p><a class="btn btn-primary" href="${next}">Continue to the dashboard</a></p>`,
  )
  response.headers.set('Refresh', `0; url=${next}`)
  return response
}
