import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { moderators } from '../src/db/schema.js'
import { OidcLogin } from '../src/auth/oidc-login.js'
import { createModerator } from '../src/auth/moderator-store.js'
import type { OidcConfig } from '../src/config.js'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { launchBrowser } from './support/browser.js'

// A real OpenID Connect provider (node-oidc-provider, the certified implementation) on loopback,
// Parley as its confidential client, and Chromium between them: the authorization code flow as a
// newsroom's moderators would go through it.
const t = await setupTestApp()
const CLIENT_SECRET = 'parley-client-secret-for-the-test-provider'
/** The accounts the provider knows: its login name is the account id. */
const accounts: Record<string, { name: string; role?: string | string[]; emailVerified?: boolean }> = {
  'desk-editor': { name: 'Desk Editor', role: ['newsroom', 'parley-moderator'] },
  'chief-editor': { name: 'Chief Editor', role: 'parley-admin' },
  intern: { name: 'Intern' },
  unverified: { name: 'Unverified', role: 'parley-moderator', emailVerified: false },
}

let parley: Awaited<ReturnType<typeof serveTestApp>>
let idp: Server
let issuer: string
let browser: Browser
const contexts: BrowserContext[] = []

function oidcConfig(overrides: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer,
    clientId: 'parley',
    clientSecret: CLIENT_SECRET,
    roleClaim: 'groups',
    adminValue: 'parley-admin',
    moderatorValue: 'parley-moderator',
    label: 'Sign in with Newsroom SSO',
    requireVerifiedEmail: true,
    ...overrides,
  }
}

beforeAll(async () => {
  ;[parley, browser] = await Promise.all([serveTestApp(t), launchBrowser()])
  idp = createServer()
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'parley',
        client_secret: CLIENT_SECRET,
        // The dashboard is opened as http://localhost:…, another site than the provider's 127.0.0.1, as
        // a newsroom's Okta or Auth0 is another site than its comments' host.
        redirect_uris: [`${parley.url}/admin/login/oidc/callback`, `${dashboard()}/admin/login/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // The claims asked for by scope go into the ID token itself, which is what Parley reads.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const account = accounts[id]
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: `${id}@news.example`,
          email_verified: account?.emailVerified ?? true,
          name: account?.name ?? id,
          ...(account?.role ? { groups: account.role } : {}),
        }),
      }
    },
  })
  idp.on('request', provider.callback())
})
afterAll(async () => {
  await browser?.close()
  await parley?.close()
  idp?.closeAllConnections()
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()))
})
// The provider signs with the real clock: Parley checks the ID token on the same one.
beforeEach(() => {
  t.advance((Date.now() - t.now().getTime()) / 1000)
  t.deps.oidc = new OidcLogin(oidcConfig(), { allowPrivate: true })
})
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

/** The dashboard's address in the browser: another site than the provider's (127.0.0.1). */
const dashboard = () => `http://localhost:${parley.port}`

/** The addresses the provider sent browsers back to. */
const callbacks: string[] = []

/** From the dashboard's login page through the provider's own login and consent pages, and back. */
async function signInThroughProvider(login: string, next = ''): Promise<Page> {
  const context = await browser.newContext()
  contexts.push(context)
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('request', (request) => {
    if (request.url().startsWith(`${dashboard()}/admin/login/oidc/callback`)) callbacks.push(request.url())
  })
  await page.goto(`${dashboard()}/admin/login${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  await page.getByRole('link', { name: 'Sign in with Newsroom SSO' }).click()
  await page.waitForURL(`${issuer}/**`)
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('anything')
  await page.locator('button[type="submit"]').click()
  // The provider asks for consent the first time this account meets the client.
  const consent = page.getByRole('button', { name: 'Continue' })
  await Promise.race([consent.waitFor().then(() => consent.click()), page.waitForURL(`${dashboard()}/**`)])
  await page.waitForURL(`${dashboard()}/**`)
  // Signed in, the callback's page moves on to the dashboard by itself; refused, it stays, with the reason.
  await Promise.race([page.waitForURL((url) => url.pathname !== '/admin/login/oidc/callback'), page.locator('#login-error').waitFor()])
  await page.waitForLoadState()
  return page
}

const moderatorOf = async (email: string) => (await t.deps.db.select().from(moderators).where(eq(moderators.email, email)))[0]

describe("moderators signed in through the site's OpenID Connect provider", () => {
  it('creates the account on first sign-in with the role its claim gives, and opens the page asked for', async () => {
    const page = await signInThroughProvider('desk-editor')
    expect(new URL(page.url()).pathname).toBe('/admin')
    await page.getByText('Desk Editor').first().waitFor()
    const row = await moderatorOf('desk-editor@news.example')
    expect(row).toMatchObject({ name: 'Desk Editor', role: 'moderator', disabled: false })
  })

  it("signs in to an existing account by its email, taking the provider's role, and an admin reaches admin pages", async () => {
    await createModerator(
      t.deps.db,
      t.deps.passwords,
      { email: 'chief-editor@news.example', name: 'Chief (password)', role: 'moderator', password: 'a long enough password 1' },
      t.now(),
    )
    const page = await signInThroughProvider('chief-editor', '/admin/settings')
    expect(new URL(page.url()).pathname).toBe('/admin/settings')
    expect(await page.getByRole('heading', { name: 'Settings' }).count()).toBeGreaterThan(0)
    expect(await moderatorOf('chief-editor@news.example')).toMatchObject({ name: 'Chief (password)', role: 'admin' })
  })

  it('refuses an account the claim gives no role, and one without a verified address, on the login page', async () => {
    const intern = await signInThroughProvider('intern')
    expect(new URL(intern.url()).pathname).toBe('/admin/login/oidc/callback')
    await intern.getByText('Your account at the identity provider gives you no role in Parley.').waitFor()
    expect(await moderatorOf('intern@news.example')).toBeUndefined()
    const unverified = await signInThroughProvider('unverified')
    await unverified.getByText('has no verified email address').waitFor()
    expect(await moderatorOf('unverified@news.example')).toBeUndefined()
  })

  it('refuses a return it did not start, a forged state, a replayed callback and a disabled account, without a session', async () => {
    // No pending sign-in in this browser: nothing is asked of the provider.
    const stray = await t.request(`${parley.url}/admin/login/oidc/callback?code=abc&state=def`)
    expect(stray.status).toBe(401)
    expect(await stray.text()).toContain('This sign-in took too long or was not started here')
    expect(
      stray.headers.getSetCookie().some((cookie) => cookie.startsWith('parley_session=') && !cookie.startsWith('parley_session=;')),
    ).toBe(false)

    // A started sign-in: the provider's address carries PKCE (S256), a state and a nonce.
    const start = await t.request(`${parley.url}/admin/login/oidc`)
    expect(start.status).toBe(303)
    const to = new URL(start.headers.get('location') ?? '')
    expect(to.origin).toBe(issuer)
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'parley',
      redirect_uri: `${parley.url}/admin/login/oidc/callback`,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
    })
    expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('parley_oidc=')) ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    const forged = await t.request(`${parley.url}/admin/login/oidc/callback?code=abc&state=forged`, {
      headers: { Cookie: cookie.split(';')[0] ?? '' },
    })
    expect(forged.status).toBe(401)
    expect(await forged.text()).toContain('This sign-in was not started here')
    // A cookie Parley did not seal is no pending sign-in.
    const tampered = await t.request(`${parley.url}/admin/login/oidc/callback?code=abc&state=${to.searchParams.get('state')}`, {
      headers: { Cookie: `parley_oidc=${(cookie.split(';')[0] ?? '').slice(12, -4)}AAAA` },
    })
    expect(tampered.status).toBe(401)

    // A disabled account stays shut, whatever the provider says.
    const page = await signInThroughProvider('desk-editor')
    expect(new URL(page.url()).pathname).toBe('/admin')
    // The same return again (its cookie was used up; its code too, at the provider): no second session.
    await page.goto(callbacks[callbacks.length - 1] ?? '')
    await page.getByText('This sign-in took too long or was not started here').waitFor()
    await t.deps.db.update(moderators).set({ disabled: true }).where(eq(moderators.email, 'desk-editor@news.example'))
    const again = await signInThroughProvider('desk-editor')
    await again.getByText('This moderator account is disabled.').waitFor()
    await t.deps.db.update(moderators).set({ disabled: false }).where(eq(moderators.email, 'desk-editor@news.example'))
  })

  it('shows a polite refusal, never a 500, when the provider cannot be reached or is not the configured issuer', async () => {
    t.deps.oidc = new OidcLogin(oidcConfig({ issuer: 'http://127.0.0.1:9' }), { allowPrivate: true })
    const down = await t.request(`${parley.url}/admin/login/oidc`)
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('30')
    expect(await down.text()).toContain('The identity provider cannot be reached just now')

    // Its metadata names another issuer (a trailing slash is another issuer too): the page says which.
    t.deps.oidc = new OidcLogin(oidcConfig({ issuer: `${issuer}/` }), { allowPrivate: true })
    const mismatch = await t.request(`${parley.url}/admin/login/oidc`)
    expect(mismatch.status).toBe(503)
    expect(await mismatch.text()).toContain(
      `its metadata names the issuer &quot;${issuer}&quot;, not PARLEY_OIDC_ISSUER&#39;s &quot;${issuer}/&quot;`,
    )

    // Private addresses are refused unless the deployment allows them, and the page names the variable.
    t.deps.oidc = new OidcLogin(oidcConfig(), { allowPrivate: false })
    const guarded = await t.request(`${parley.url}/admin/login/oidc`)
    expect(guarded.status).toBe(503)
    expect(await guarded.text()).toContain('PARLEY_ALLOW_PRIVATE_TARGETS=1')

    // A wrong client secret: the provider refuses Parley itself, which the page words as the deployment's to mend.
    t.deps.oidc = new OidcLogin(oidcConfig({ clientSecret: 'not-the-secret' }), { allowPrivate: true })
    const wrong = await signInThroughProvider('desk-editor')
    await wrong
      .getByText('it refused Parley as its client (invalid_client): check PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET')
      .waitFor()

    // Without PARLEY_OIDC_* the login page offers no such button, and the routes lead back to it.
    t.deps.oidc = undefined
    expect(await (await t.request('/admin/login')).text()).not.toContain('/admin/login/oidc')
    expect((await t.request('/admin/login/oidc')).headers.get('location')).toBe('/admin/login')
  })
})
