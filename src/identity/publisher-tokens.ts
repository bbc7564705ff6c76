import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { AppError } from '../errors.js'
import type { SsoConfig } from '../config.js'
import { defaultClaimMap, identityFrom, type ClaimMap, type Identity } from './identity-claims.js'
import { JwksCache, JwksUnavailable, type JwksPolicy } from './jwks-cache.js'

/** The only algorithms taken: never `none`, and HMAC only with the shared secret, never with a key from the set. */
const HMAC = ['HS256']
const PUBLIC_KEY = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
/** Clocks differ a little between the site and Parley. */
const SKEW_SECONDS = 60
/** A token for a reader's post is short-lived: one that lives past a day is a session cookie, not this. */
const MAX_LIFETIME_SECONDS = 24 * 3600
/** A JWT with a few claims is well under this. */
const MAX_TOKEN_LENGTH = 8192

/** Web Crypto's key (a global type on Workers and in DOM typings, not in Node's). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

const invalid = (why: string) => new AppError('identity_invalid', `The identity token ${why}.`)

/** Words for what jose found, saying nothing of the token's content. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'has expired'
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'is not valid yet'
    if (error.claim === 'aud') return 'is for another audience'
    if (error.claim === 'iss') return 'is from another issuer'
    return `has no valid ${error.claim} claim`
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'is signed with an algorithm Parley does not take'
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'has a signature that does not verify'
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return "names a key the site's key set does not hold"
  return 'is not a valid signed token'
}

/** A reader the site's verified token names, and when that token stops being good. */
export interface VerifiedReader extends Identity {
  expiresAt: Date
}

/**
 * Verifies the site's tokens for its signed-in readers (issue 19) with jose, on Node and Workers
 * alike: HS256 with PARLEY_SSO_SECRET, or a public-key algorithm with the provider's key set
 * (PARLEY_SSO_JWKS_URL); `iss` and `aud` when configured, `exp` (required, at most a day ahead)
 * and `nbf` with a minute's skew, all against the injected clock.
 */
export class PublisherTokens {
  /**
   * The shared secret as an HMAC key, imported once: handed to jose as bytes, it was imported again
   * for every token (Web Crypto's importKey, ~25 µs of CPU a post on Node).
   */
  private readonly secret: Promise<CryptoKey> | null
  private readonly jwks: JwksCache | null

  constructor(
    readonly config: SsoConfig,
    policy: JwksPolicy,
  ) {
    this.secret = config.secret
      ? crypto.subtle.importKey('raw', new TextEncoder().encode(config.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : null
    this.jwks = config.jwksUrl ? new JwksCache(config.jwksUrl, policy) : null
  }

  async verify(token: string, claims: ClaimMap | undefined, now: Date): Promise<VerifiedReader> {
    const payload = await this.verifiedClaims(token, now)
    if (typeof payload.exp === 'number' && payload.exp - now.getTime() / 1000 > MAX_LIFETIME_SECONDS)
      throw invalid('lives longer than a day: sign short-lived tokens')
    const identity = identityFrom(payload, claims ?? defaultClaimMap)
    if (!identity) throw invalid('has no valid sub claim')
    // `exp` is a required claim: jose has checked that it is there and a number.
    return { ...identity, expiresAt: new Date(Number(payload.exp) * 1000) }
  }

  /** The claims of a token that verifies (signature, algorithm, `iss`, `aud`, `exp`, `nbf`), as they are. */
  async verifiedClaims(token: string, now: Date): Promise<JWTPayload> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalid('is not a valid signed token')
    let alg: string | undefined
    try {
      alg = decodeProtectedHeader(token).alg
    } catch {
      throw invalid('is not a valid signed token')
    }
    let payload: JWTPayload
    try {
      if (alg !== undefined && HMAC.includes(alg)) {
        if (!this.secret) throw invalid('is signed with a shared secret, and this site verifies with its key set')
        payload = await this.check(token, await this.secret, HMAC, now)
      } else if (alg !== undefined && PUBLIC_KEY.includes(alg) && this.jwks) {
        payload = await this.withKeySet(this.jwks, token, now)
      } else if (alg !== undefined && PUBLIC_KEY.includes(alg)) {
        throw invalid('is signed with a public-key algorithm, and this site verifies with a shared secret')
      } else {
        throw invalid('is signed with an algorithm Parley does not take')
      }
    } catch (error) {
      throw error instanceof AppError ? error : invalid(reason(error))
    }
    return payload
  }

  private async withKeySet(jwks: JwksCache, token: string, now: Date): Promise<JWTPayload> {
    try {
      return await this.check(token, await this.keySet(jwks, now, false), PUBLIC_KEY, now)
    } catch (error) {
      // A key the set does not hold yet: the provider may have rotated.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error
      return this.check(token, await this.keySet(jwks, now, true), PUBLIC_KEY, now)
    }
  }

  private async keySet(jwks: JwksCache, now: Date, refresh: boolean): Promise<JWTVerifyGetKey> {
    try {
      return await jwks.keys(now.getTime(), refresh)
    } catch (error) {
      if (error instanceof JwksUnavailable)
        throw new AppError('unavailable', "The site's identity keys cannot be read just now.", { retryAfter: 30 })
      throw error
    }
  }

  /** jose's verification; its errors go up as they are, for `reason` to word. */
  private async check(token: string, key: CryptoKey | JWTVerifyGetKey, algorithms: string[], now: Date): Promise<JWTPayload> {
    const options = {
      algorithms,
      clockTolerance: SKEW_SECONDS,
      currentDate: now,
      requiredClaims: ['sub', 'exp'],
      ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
      ...(this.config.audience ? { audience: this.config.audience } : {}),
    }
    const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)
    return payload
  }
}
