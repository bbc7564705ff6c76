import { eq } from 'drizzle-orm'
import { sha256 } from '@noble/hashes/sha2.js'
import type { JWTPayload } from 'jose'
import type { Db } from '../db/database.js'
import { moderators, type ModeratorRole } from '../db/schema.js'
import type { OidcConfig, SessionLimits } from '../config.js'
import { AppError } from '../errors.js'
import { toBase64Url, utf8 } from '../crypto/encoding.js'
import { randomBytes } from '../crypto/random-bytes.js'
import { constantTimeEqual, newToken } from '../crypto/tokens.js'
import { readAtMost } from '../net/read-at-most.js'
import { refuseTarget } from '../net/target-guard.js'
import { PublisherTokens } from '../identity/publisher-tokens.js'
import type { JwksPolicy } from '../identity/jwks-cache.js'
import type { PasswordHasher } from './password-hasher.js'
import { createModerator, updateModerator, type ModeratorRow } from './moderator-store.js'
import { startSession } from './sessions.js'
import { isEmail } from '../comments/is-email.js'
import { cleanText } from '../comments/clean-text.js'

/** What the browser keeps (sealed, in a cookie) between leaving for the provider and coming back. */
export interface PendingLogin {
  state: string
  nonce: string
  verifier: string
  /** Where to go once signed in (a dashboard path). */
  next: string | null
  /** When it was started (ms): a round trip older than ten minutes is refused. */
  at: number
}

interface Provider {
  authorization: string
  token: string
  tokens: PublisherTokens
  until: number
}

const PENDING_MS = 10 * 60_000
const METADATA_MS = 3600_000
const TIMEOUT_MS = 5000
const MAX_ANSWER_BYTES = 64 * 1024

const refused = (detail: string) => new AppError('invalid_credentials', detail)
const unreachable = (why: string) =>
  new AppError('unavailable', `The identity provider cannot be reached just now (${why}); sign in with your password or try again.`, {
    retryAfter: 30,
  })

/** The claim's values: one, a list, or space-separated. */
function valuesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/)
  return Array.isArray(claim) ? claim.filter((value): value is string => typeof value === 'string') : []
}

/**
 * Moderators signing in through the site's OpenID Connect provider (issue 19): the authorization
 * code flow with PKCE (S256), a state and a nonce; the ID token verified with jose against the
 * provider's published keys (as readers' tokens are, through the same SSRF guard), its `iss`, `aud`
 * (this client), `exp` and `nonce`; the role from one of its claims. Every request to the provider
 * goes through the guard; its metadata is kept an hour.
 */
export class OidcLogin {
  private held: Provider | undefined
  private loading: Promise<Provider> | undefined

  constructor(
    readonly config: OidcConfig,
    private readonly policy: JwksPolicy,
  ) {}

  /** The provider's address to send the browser to, and what to keep until it comes back. */
  async begin(redirectUri: string, next: string | null, now: Date): Promise<{ url: string; pending: PendingLogin }> {
    const provider = await this.metadata(now)
    const pending = { state: newToken(), nonce: newToken(), verifier: newToken(), next, at: now.getTime() }
    const url = new URL(provider.authorization)
    const params = {
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: toBase64Url(sha256(utf8.encode(pending.verifier))),
      code_challenge_method: 'S256',
    }
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
    return { url: url.href, pending }
  }

  /** The moderator the provider vouches for, once its answer checks out; refused with the reason otherwise. */
  async complete(
    answer: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
    pending: PendingLogin | null,
    redirectUri: string,
    now: Date,
  ): Promise<{ email: string; name: string; role: ModeratorRole }> {
    if (!pending || now.getTime() - pending.at > PENDING_MS || now.getTime() < pending.at)
      throw refused('This sign-in took too long or was not started here; please start again.')
    if (!answer.state || !constantTimeEqual(answer.state, pending.state))
      throw refused('This sign-in was not started here; please start again.')
    if (answer.error) throw refused(`The identity provider did not sign you in (${answer.error.slice(0, 100)}).`)
    if (!answer.code) throw refused('The identity provider sent no authorization code.')
    const provider = await this.metadata(now)
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: answer.code,
      redirect_uri: redirectUri,
      code_verifier: pending.verifier,
      client_id: this.config.clientId,
    })
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
    // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded before base64.
    if (this.config.clientSecret !== null) {
      const basic = `${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(this.config.clientSecret)}`
      headers.authorization = `Basic ${btoa(basic)}`
    }
    const tokens = await this.json(provider.token, { method: 'POST', headers, body })
    const idToken = typeof tokens.id_token === 'string' ? tokens.id_token : null
    if (!idToken) throw refused('The identity provider sent no ID token.')
    let claims: JWTPayload
    try {
      claims = await provider.tokens.verifiedClaims(idToken, now)
    } catch (error) {
      if (error instanceof AppError && error.code === 'identity_invalid') throw refused(error.detail.replace('identity token', 'ID token'))
      throw error
    }
    if (typeof claims.nonce !== 'string' || !constantTimeEqual(claims.nonce, pending.nonce))
      throw refused('The ID token was not issued for this sign-in.')
    // The client this token is for when it names several audiences (OpenID Connect Core §3.1.3.7).
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if ((audiences.length > 1 || claims.azp !== undefined) && claims.azp !== this.config.clientId)
      throw refused('The ID token was issued for another application.')
    // Only ASCII letters fold: a Unicode fold (the Kelvin sign's to "k") would let a look-alike address open another's account.
    const email = typeof claims.email === 'string' ? claims.email.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase()) : ''
    const verified = claims.email_verified === true || (claims.email_verified === undefined && !this.config.requireVerifiedEmail)
    if (!email || !verified) throw refused('Your account at the identity provider has no verified email address.')
    if (!isEmail(email) || email.length > 320)
      throw refused("Your account's email address at the identity provider is not one a Parley moderator can have.")
    const values = valuesOf(claims[this.config.roleClaim])
    const role = values.includes(this.config.adminValue) ? 'admin' : values.includes(this.config.moderatorValue) ? 'moderator' : null
    if (!role) throw new AppError('forbidden', 'Your account at the identity provider gives you no role in Parley.')
    // Cleaned as a moderator's name is (moderator-store.ts): one that cleans to nothing is the address.
    const name = typeof claims.name === 'string' ? cleanText(claims.name, { multiline: false }).trim() : ''
    return { email, name: name || email, role }
  }

  private async metadata(now: Date): Promise<Provider> {
    if (this.held && this.held.until > now.getTime()) return this.held
    // One discovery at a time; a failure is not kept, so the next sign-in asks again.
    this.loading ??= this.discover(now).finally(() => {
      this.loading = undefined
    })
    this.held = await this.loading
    return this.held
  }

  private async discover(now: Date): Promise<Provider> {
    const issuer = this.config.issuer.replace(/\/+$/, '')
    const meta = await this.json(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } })
    const { authorization_endpoint: authorization, token_endpoint: token, jwks_uri: jwks } = meta
    // The metadata must be the configured issuer's own (OpenID Connect Discovery §4.3).
    if (meta.issuer !== this.config.issuer)
      throw unreachable(
        `its metadata names the issuer ${JSON.stringify(String(meta.issuer).slice(0, 200))}, not PARLEY_OIDC_ISSUER's ${JSON.stringify(this.config.issuer)}`,
      )
    if (typeof authorization !== 'string' || typeof token !== 'string' || typeof jwks !== 'string')
      throw unreachable('its metadata does not name its authorization and token endpoints and its key set')
    // The same key set keeps its cache (and its rotation handling) across metadata refreshes.
    const known = this.held?.tokens.config.jwksUrl === jwks ? this.held.tokens : null
    const sso = { secret: null, jwksUrl: jwks, issuer: this.config.issuer, audience: this.config.clientId }
    return { authorization, token, tokens: known ?? new PublisherTokens(sso, this.policy), until: now.getTime() + METADATA_MS }
  }

  /** A JSON object from the provider, through the SSRF guard. */
  private async json(url: string, init: RequestInit): Promise<Record<string, unknown>> {
    const refusal = await refuseTarget(url, { allowPrivate: this.policy.allowPrivate, resolveHost: this.policy.resolveHost })
    if (refusal)
      throw unreachable(
        this.policy.allowPrivate
          ? refusal.reason
          : `${refusal.reason}; a provider on a private network needs PARLEY_ALLOW_PRIVATE_TARGETS=1`,
      )
    let res: Response
    try {
      res = await (this.policy.targetFetch ?? fetch)(
        url,
        { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) },
        { allowPrivate: this.policy.allowPrivate },
      )
    } catch {
      throw unreachable('the request failed')
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(await readAtMost(res, MAX_ANSWER_BYTES))
    } catch {
      parsed = null
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw unreachable(`it answered ${res.status}`)
    const answer = parsed as Record<string, unknown>
    // The token endpoint's refusal (RFC 6749 §5.2): an expired or reused code, a wrong verifier.
    if (res.status !== 200) {
      // Parley's own credentials (RFC 6749 §5.2): the deployment's mistake, which trying again does not mend.
      if (answer.error === 'invalid_client' || answer.error === 'unauthorized_client')
        throw unreachable(`it refused Parley as its client (${answer.error}): check PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET`)
      if ((res.status === 400 || res.status === 401) && typeof answer.error === 'string')
        throw refused(`The identity provider refused the sign-in (${answer.error.slice(0, 100)}).`)
      throw unreachable(`it answered ${res.status}`)
    }
    return answer
  }
}

/**
 * The moderator account the provider's sign-in opens: the one with that email, its role the
 * provider's (a moderator demoted there is demoted here, but for the last active admin), or a new
 * one; a disabled account stays shut.
 * A new account gets a random password nobody knows: it signs in through the provider alone until
 * an admin sets one.
 */
export async function signInVouched(
  ctx: { db: Db; passwords: PasswordHasher; limits: SessionLimits; now: Date },
  who: { email: string; name: string; role: ModeratorRole },
): Promise<{ moderator: ModeratorRow; token: string }> {
  const [found] = await ctx.db.select().from(moderators).where(eq(moderators.email, who.email))
  let row: ModeratorRow
  if (found) {
    if (found.disabled) throw new AppError('forbidden', 'This moderator account is disabled.')
    row = found
    if (found.role !== who.role) {
      try {
        row = (await updateModerator(ctx.db, ctx.passwords, found.id, { role: who.role }, ctx.now)).after
      } catch (error) {
        // The last active admin stays one (moderator-store's rule): someone must be able to administer.
        if (!(error instanceof AppError && error.errors?.some((e) => e.code === 'last_admin'))) throw error
      }
    }
  } else {
    const password = `${newToken()}${toBase64Url(randomBytes(16))}`
    row = await createModerator(
      ctx.db,
      ctx.passwords,
      { email: who.email, name: who.name.slice(0, 245), role: who.role, password },
      ctx.now,
    )
  }
  const { token } = await startSession(ctx.db, row.id, ctx.now, ctx.limits)
  return { moderator: row, token }
}
