import { describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair, exportSPKI, type CryptoKey, type JWK } from 'jose'
import { PublisherTokens } from '../src/identity/publisher-tokens.js'
import { defaultClaimMap } from '../src/identity/identity-claims.js'
import { keepFor } from '../src/identity/jwks-cache.js'
import { AppError } from '../src/errors.js'
import { loopbackServer } from './support/loopback-server.js'

const NOW = new Date(process.env.PARLEY_TEST_CLOCK ?? '2031-03-14T20:00:00.000Z')
const SECRET = 'a-shared-secret-of-at-least-thirty-two-bytes!'
const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/** A token as a site signs it: subject, name, email; an hour to live, from the test's clock. */
function claims(extra: Record<string, unknown> = {}) {
  return new SignJWT({ name: 'Ann Reader', email: 'ann@example.com', ...extra })
    .setSubject('user-42')
    .setIssuedAt(seconds(NOW))
    .setExpirationTime(seconds(NOW) + 3600)
}
const hs256 = (extra: Record<string, unknown> = {}, secret = SECRET) =>
  claims(extra).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret))

/** An error's code and detail, or the identity. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, detail: error.detail }
    throw error
  }
}

const withSecret = new PublisherTokens({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }, { allowPrivate: true })

describe('publisher tokens with a shared secret (HS256)', () => {
  it("verifies the site's token and maps its claims", async () => {
    expect(await withSecret.verify(await hs256({ picture: 'https://cdn.example/a.png', subscriber: true }), undefined, NOW)).toEqual({
      subject: 'user-42',
      name: 'Ann Reader',
      email: 'ann@example.com',
      avatarUrl: 'https://cdn.example/a.png',
      subscriber: true,
      expiresAt: new Date((seconds(NOW) + 3600) * 1000),
    })
  })

  it('refuses expired, not-yet-valid, too-long-lived, unsigned, wrongly signed and malformed tokens, naming why', async () => {
    const later = await claims()
      .setExpirationTime(seconds(NOW) - 61)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(later, undefined, NOW))).toEqual({
      code: 'identity_invalid',
      detail: 'The identity token has expired.',
    })
    // Within a minute's skew both ways.
    const justExpired = await claims()
      .setExpirationTime(seconds(NOW) - 30)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(justExpired, undefined, NOW))).toMatchObject({ subject: 'user-42' })
    const future = await claims()
      .setNotBefore(seconds(NOW) + 600)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(future, undefined, NOW))).toMatchObject({ detail: 'The identity token is not valid yet.' })
    const forever = await claims()
      .setExpirationTime(seconds(NOW) + 90 * 86400)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(forever, undefined, NOW))).toMatchObject({
      detail: 'The identity token lives longer than a day: sign short-lived tokens.',
    })
    const noExp = await new SignJWT({}).setSubject('x').setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(noExp, undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
    const noSub = await new SignJWT({})
      .setExpirationTime(seconds(NOW) + 60)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(noSub, undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
    expect(await outcome(withSecret.verify(await hs256({}, `${SECRET}x`), undefined, NOW))).toMatchObject({
      detail: 'The identity token has a signature that does not verify.',
    })
    // alg: none — the header and claims of a valid token, no signature.
    const [, body] = (await hs256()).split('.')
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`
    expect(await outcome(withSecret.verify(none, undefined, NOW))).toMatchObject({
      detail: 'The identity token is signed with an algorithm Parley does not take.',
    })
    const hs512 = await claims().setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET))
    expect(await outcome(withSecret.verify(hs512, undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
    for (const garbage of ['', 'x', 'a.b.c', '....', 'x'.repeat(9000), `${'e'.repeat(10)}.${'f'.repeat(10)}.`]) {
      expect(await outcome(withSecret.verify(garbage, undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
    }
  })

  it('checks iss and aud when configured', async () => {
    const strict = new PublisherTokens(
      { secret: SECRET, jwksUrl: null, issuer: 'https://news.example', audience: 'parley' },
      { allowPrivate: true },
    )
    const good = await claims()
      .setIssuer('https://news.example')
      .setAudience('parley')
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(strict.verify(good, undefined, NOW))).toMatchObject({ subject: 'user-42' })
    const wrongAud = await claims()
      .setIssuer('https://news.example')
      .setAudience('other-app')
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(strict.verify(wrongAud, undefined, NOW))).toMatchObject({ detail: 'The identity token is for another audience.' })
    const wrongIss = await claims()
      .setIssuer('https://evil.example')
      .setAudience('parley')
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    expect(await outcome(strict.verify(wrongIss, undefined, NOW))).toMatchObject({ detail: 'The identity token is from another issuer.' })
    expect(await outcome(strict.verify(await hs256(), undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
  })

  it('maps the configured claims: an avatar only over https, an email only when it is one, the entitlement by value', async () => {
    const map = { ...defaultClaimMap, name: 'nickname', entitlement: 'https://news.example/plan', entitlementValue: 'premium' }
    const token = await hs256({
      nickname: '  Nick  ',
      email: 'not an email',
      picture: 'http://cdn.example/a.png',
      'https://news.example/plan': ['basic', 'premium'],
    })
    expect(await withSecret.verify(token, map, NOW)).toEqual({
      subject: 'user-42',
      name: 'Nick',
      email: null,
      avatarUrl: null,
      subscriber: true,
      expiresAt: new Date((seconds(NOW) + 3600) * 1000),
    })
    const basic = await hs256({ 'https://news.example/plan': 'basic' })
    expect((await withSecret.verify(basic, map, NOW)).subscriber).toBe(false)
    expect((await withSecret.verify(await hs256({ picture: 'javascript:alert(1)' }), undefined, NOW)).avatarUrl).toBeNull()
    expect((await withSecret.verify(await hs256({ subscriber: 'no' }), undefined, NOW)).subscriber).toBe(false)
  })
})

describe('publisher tokens with the provider’s key set (JWKS)', async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true })
  const ec = await generateKeyPair('ES256', { extractable: true })
  const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })
  const rotated = await generateKeyPair('ES256', { extractable: true })
  const jwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(key)), kid, alg, use: 'sig' })
  let published: JWK[] = [
    await jwk(rsa.publicKey, 'rsa-1', 'RS256'),
    await jwk(ec.publicKey, 'ec-1', 'ES256'),
    await jwk(ed.publicKey, 'ed-1', 'EdDSA'),
  ]
  let cacheControl = 'public, max-age=300'
  const provider = await loopbackServer((_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl })
    res.end(JSON.stringify({ keys: published }))
  })
  const config = { secret: null, jwksUrl: `${provider.url}/.well-known/jwks.json`, issuer: 'https://login.example', audience: 'parley' }
  const signed = (key: CryptoKey, alg: string, kid: string) =>
    claims().setIssuer('https://login.example').setAudience('parley').setProtectedHeader({ alg, kid }).sign(key)

  it('verifies RS256, ES256 and EdDSA tokens, fetching the set once while its max-age lasts', async () => {
    const tokens = new PublisherTokens(config, { allowPrivate: true })
    const before = provider.received.length
    for (const [key, alg, kid] of [
      [rsa.privateKey, 'RS256', 'rsa-1'],
      [ec.privateKey, 'ES256', 'ec-1'],
      [ed.privateKey, 'EdDSA', 'ed-1'],
    ] as const) {
      expect(await outcome(tokens.verify(await signed(key, alg, kid), undefined, NOW))).toMatchObject({ subject: 'user-42' })
    }
    expect(provider.received.length - before).toBe(1)
    // Past its max-age, the next token fetches it again.
    expect(
      await outcome(tokens.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, new Date(NOW.getTime() + 301_000))),
    ).toMatchObject({
      subject: 'user-42',
    })
    expect(provider.received.length - before).toBe(2)
  })

  it('follows a rotation: a token naming a new kid fetches the set again, at most every 30 s', async () => {
    const tokens = new PublisherTokens(config, { allowPrivate: true })
    await tokens.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, NOW)
    const before = provider.received.length
    const fresh = await signed(rotated.privateKey, 'ES256', 'ec-2')
    // Not published yet: one fetch, then refused; a second try within 30 s does not fetch again.
    const t1 = new Date(NOW.getTime() + 31_000)
    expect(await outcome(tokens.verify(fresh, undefined, t1))).toMatchObject({
      detail: "The identity token names a key the site's key set does not hold.",
    })
    expect(await outcome(tokens.verify(fresh, undefined, new Date(t1.getTime() + 5000)))).toMatchObject({ code: 'identity_invalid' })
    expect(provider.received.length - before).toBe(1)
    published = [...published, await jwk(rotated.publicKey, 'ec-2', 'ES256')]
    expect(await outcome(tokens.verify(fresh, undefined, new Date(t1.getTime() + 31_000)))).toMatchObject({ subject: 'user-42' })
    expect(provider.received.length - before).toBe(2)
  })

  it('never takes HMAC with a public key (algorithm confusion), nor a token for another audience or issuer', async () => {
    const tokens = new PublisherTokens(config, { allowPrivate: true })
    // The classic attack: HS256 with the provider's public key (PEM, as published) as the secret.
    const pem = await exportSPKI(rsa.publicKey)
    const forged = await claims()
      .setIssuer('https://login.example')
      .setAudience('parley')
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(new TextEncoder().encode(pem))
    expect(await outcome(tokens.verify(forged, undefined, NOW))).toMatchObject({
      detail: 'The identity token is signed with a shared secret, and this site verifies with its key set.',
    })
    // An RS256 header on an ES256 key's signature, or the wrong key's kid.
    const mislabeled = await signed(ec.privateKey, 'ES256', 'rsa-1')
    expect(await outcome(tokens.verify(mislabeled, undefined, NOW))).toMatchObject({ code: 'identity_invalid' })
    const otherAud = await claims()
      .setIssuer('https://login.example')
      .setAudience('another-app')
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(rsa.privateKey)
    expect(await outcome(tokens.verify(otherAud, undefined, NOW))).toMatchObject({ detail: 'The identity token is for another audience.' })
  })

  it('refuses a key set on a private address (the SSRF guard), answering 503 rather than trusting anything', async () => {
    const guarded = new PublisherTokens(config, { allowPrivate: false })
    const before = provider.received.length
    expect(await outcome(guarded.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, NOW))).toEqual({
      code: 'unavailable',
      detail: "The site's identity keys cannot be read just now.",
    })
    expect(provider.received.length).toBe(before)
    const metadata = new PublisherTokens({ ...config, jwksUrl: 'http://169.254.169.254/latest/meta-data/' }, { allowPrivate: false })
    expect(await outcome(metadata.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, NOW))).toMatchObject({
      code: 'unavailable',
    })
  })

  it('keeps using the last set while the provider is down, and reads Cache-Control within bounds', async () => {
    const tokens = new PublisherTokens(config, { allowPrivate: true })
    await tokens.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, NOW)
    const answer = published
    published = 'broken' as unknown as JWK[]
    expect(
      await outcome(tokens.verify(await signed(ec.privateKey, 'ES256', 'ec-1'), undefined, new Date(NOW.getTime() + 3600_000))),
    ).toMatchObject({
      subject: 'user-42',
    })
    published = answer
    expect(keepFor(null)).toBe(600_000)
    expect(keepFor('no-store')).toBe(600_000)
    expect(keepFor('public, max-age=0')).toBe(60_000)
    expect(keepFor('max-age=999999999')).toBe(86_400_000)
    cacheControl = 'public, max-age=300'
  })
})
