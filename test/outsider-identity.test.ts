import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose'
import { moderators } from '../src/db/schema.js'
import { OidcLogin } from '../src/auth/oidc-login.js'
import { createModerator } from '../src/auth/moderator-store.js'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings } from './support/seed.js'

// An outside tester's findings on the identity features. A tiny OpenID Connect provider on
// loopback (discovery, key set, token endpoint) signs whatever ID token a test asks for, so that
// Parley's own callback handling is exercised as it runs, with no part of Parley replaced.
const t = await setupTestApp()
const PARLEY = 'http://127.0.0.1:8787'
const SSO_SECRET = 'the-news-sites-shared-secret-for-parley-0123456789'

let idp: Server
let issuer: string
let privateKey: CryptoKey
let publicJwk: JWK
/** The claims the next ID token carries (the nonce is added from the authorization request). */
let nextClaims: Record<string, unknown> = {}
let lastNonce = ''

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  privateKey = pair.privateKey
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  idp = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      })
    if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] })
    if (url.pathname === '/token') {
      req.resume()
      req.on('end', () => {
        const now = Math.floor(Date.now() / 1000)
        void new SignJWT({ nonce: lastNonce, ...nextClaims })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('parley')
          .setSubject(String(nextClaims.sub ?? 'idp-user'))
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(privateKey)
          .then((idToken) => json(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken }))
      })
      return
    }
    json(404, { error: 'not_found' })
  })
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
})
afterAll(async () => {
  idp?.closeAllConnections()
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()))
})
beforeEach(() => {
  // The provider signs on the real clock: Parley checks on the same one.
  t.advance((Date.now() - t.now().getTime()) / 1000)
  t.deps.oidc = new OidcLogin(
    {
      issuer,
      clientId: 'parley',
      clientSecret: 'client-secret',
      roleClaim: 'groups',
      adminValue: 'parley-admin',
      moderatorValue: 'parley-moderator',
      label: 'Sign in with Newsroom SSO',
      requireVerifiedEmail: true,
    },
    { allowPrivate: true },
  )
})

/** Parley's login through the provider, the browser's part done by hand: start, then come back with a code. */
async function oidcSignIn(claims: Record<string, unknown>, next?: string): Promise<Response> {
  const start = await t.request(`${PARLEY}/admin/login/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  expect(start.status).toBe(303)
  const to = new URL(start.headers.get('location') ?? '')
  lastNonce = to.searchParams.get('nonce') ?? ''
  nextClaims = claims
  const cookie = (start.headers.getSetCookie().find((c) => c.startsWith('parley_oidc=')) ?? '').split(';')[0] ?? ''
  return t.request(`${PARLEY}/admin/login/oidc/callback?code=the-code&state=${to.searchParams.get('state')}`, {
    headers: { Cookie: cookie },
  })
}

const sessionOf = (res: Response) =>
  res.headers.getSetCookie().find((c) => c.startsWith('parley_session=') && !c.startsWith('parley_session=;'))
const moderatorOf = async (email: string) => (await t.deps.db.select().from(moderators).where(eq(moderators.email, email)))[0]

const refusedWithoutSession = async (res: Response) => {
  expect(sessionOf(res)).toBeUndefined()
  expect([401, 403]).toContain(res.status)
  // The login page with the reason, as every other refusal of the provider's sign-in.
  expect(await res.text()).toContain('id="login-error"')
}

describe('outsider: moderators through the OpenID Connect provider', () => {
  it('harness: a verified moderator signs in through the stand-in provider', async () => {
    const res = await oidcSignIn({
      sub: 'u1',
      email: 'desk@news.example',
      email_verified: true,
      name: 'Desk',
      groups: ['parley-moderator'],
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('refresh')).toBe('0; url=/admin')
    expect(sessionOf(res)).toBeTruthy()
  })

  it('does not open an admin account for a provider address that only lower-cases to its email (KELVIN SIGN)', async () => {
    // The provider vouches for "\u212Aarl@news.example", another address than karl@news.example;
    // String#toLowerCase folds U+212A to an ASCII "k", and the last admin stays admin whatever the claim says.
    await createModerator(
      t.deps.db,
      t.deps.passwords,
      { email: 'karl@news.example', name: 'Karl (admin)', role: 'admin', password: 'a long enough password 1' },
      t.now(),
    )
    const res = await oidcSignIn({
      sub: 'mallory',
      email: '\u212Aarl@news.example',
      email_verified: true,
      name: 'Mallory',
      groups: 'parley-moderator',
    })
    if (sessionOf(res)) {
      const token = decodeURIComponent((sessionOf(res) ?? '').split(';')[0]?.split('=')[1] ?? '')
      const me = await t.request('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })
      // Whose session this is: it must not be Karl's.
      expect(await me.text()).not.toContain('karl@news.example')
    }
    expect(sessionOf(res)).toBeUndefined()
  })

  it('refuses an ID token whose email_verified is the string "false"', async () => {
    const res = await oidcSignIn({
      sub: 'u2',
      email: 'unverified@news.example',
      email_verified: 'false',
      name: 'U',
      groups: 'parley-moderator',
    })
    await refusedWithoutSession(res)
    expect(await moderatorOf('unverified@news.example')).toBeUndefined()
  })

  it('refuses an ID token without email_verified, unless the deployment says its provider sends none (PARLEY_OIDC_EMAIL_VERIFIED=assume)', async () => {
    const claims = { sub: 'u9', email: 'entra-user@news.example', name: 'Entra User', groups: 'parley-moderator' }
    await refusedWithoutSession(await oidcSignIn(claims))
    t.deps.oidc = new OidcLogin({ ...(t.deps.oidc?.config ?? ({} as never)), requireVerifiedEmail: false }, { allowPrivate: true })
    const res = await oidcSignIn(claims)
    expect(res.status).toBe(200)
    expect(await moderatorOf('entra-user@news.example')).toMatchObject({ role: 'moderator' })
  })

  it('answers a provider email with a NUL character with the refusal page, not a 500', async () => {
    const res = await oidcSignIn({
      sub: 'u3',
      email: 'desk\u0000@news.example',
      email_verified: true,
      name: 'Desk',
      groups: 'parley-moderator',
    })
    expect(res.status).not.toBe(500)
    await refusedWithoutSession(res)
  })

  it('answers a first sign-in with an address WordPress would not take with the refusal page, not a bare 422', async () => {
    const res = await oidcSignIn({ sub: 'u4', email: 'jörg@news.example', email_verified: true, name: 'Jörg', groups: 'parley-moderator' })
    expect(res.status).not.toBe(422)
    await refusedWithoutSession(res)
  })

  it('creates the account of a provider name that cleans to nothing under the email, as it does for a blank name', async () => {
    const res = await oidcSignIn({
      sub: 'u5',
      email: 'bell@news.example',
      email_verified: true,
      name: '\u0007',
      groups: 'parley-moderator',
    })
    expect(res.status).toBe(200)
    expect(await moderatorOf('bell@news.example')).toMatchObject({ name: 'bell@news.example', role: 'moderator' })
  })

  it('refuses an ID token for several audiences whose authorized party (azp) is another client', async () => {
    const res = await oidcSignIn({
      sub: 'u6',
      aud: ['parley', 'other-app'],
      azp: 'other-app',
      email: 'azp@news.example',
      email_verified: true,
      groups: 'parley-moderator',
    })
    await refusedWithoutSession(res)
  })
})

describe('outsider: readers signed in with the site', () => {
  const seconds = () => Math.floor(t.now().getTime() / 1000)
  const readerToken = (claims: Record<string, unknown>) =>
    new SignJWT({ name: 'Reader', email: 'reader@example.com', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('reader-1')
      .setExpirationTime(seconds() + 600)
      .sign(new TextEncoder().encode(SSO_SECRET))
  beforeEach(() => {
    t.deps.identity = new PublisherTokens({ secret: SSO_SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })
  })

  for (const [label, claims] of [
    ['an email over 100 bytes', { email: `${'a'.repeat(64)}@${'b'.repeat(60)}.example` }],
    ['an internationalized email', { email: 'jörg@example.de' }],
    ['a name over 245 bytes (200 Cyrillic letters)', { name: 'ж'.repeat(200) }],
  ] as const) {
    it(`lets a signed-in reader whose token has ${label} comment (no 422 on fields the reader cannot see)`, async () => {
      await t.setSettings(openSettings)
      const identityToken = await readerToken(claims)
      // Parley says whom the token names (the widget shows "Logged in as …" without name and email fields)…
      expect((await t.postJson('/api/v1/identity', { identityToken })).status).toBe(200)
      // …and then refuses every post of that reader over the token's own claims.
      const res = await t.postJson('/api/v1/articles/signed-1/comments', { body: `Hello from ${label}`, identityToken })
      expect(res.status).toBe(201)
    })
  }

  it("refuses an empty identityToken instead of taking the post as a guest's", async () => {
    await t.setSettings(openSettings)
    const res = await t.postJson('/api/v1/articles/signed-2/comments', {
      body: 'A guest with an empty token',
      name: 'Guest',
      email: 'guest@example.com',
      identityToken: '',
    })
    // README: "a token that does not verify is 401 identity_invalid (never taken as a guest's post)";
    // POST /api/v1/identity refuses the same empty token (422).
    expect(res.status).not.toBe(201)
  })
})
