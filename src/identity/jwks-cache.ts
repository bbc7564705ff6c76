import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { readAtMost } from '../net/read-at-most.js'
import { refuseTarget, type ResolveHost, type TargetFetch } from '../net/target-guard.js'

/** A key set is small; a URL that streams on is not one. */
const MAX_JWKS_BYTES = 64 * 1024
const FETCH_TIMEOUT_MS = 5000
/** Kept at least this long whatever the provider says (no-store included): a token per post must not mean a fetch per post. */
const MIN_KEEP_MS = 60_000
const MAX_KEEP_MS = 24 * 3600_000
const DEFAULT_KEEP_MS = 10 * 60_000
/** An unknown `kid` fetches the set again (the provider rotated), at most this often. */
const REFETCH_COOLDOWN_MS = 30_000
/** Past its time, a set is still used while the provider cannot be reached, for this long. */
const STALE_GRACE_MS = 24 * 3600_000

export interface JwksPolicy {
  allowPrivate: boolean
  resolveHost?: ResolveHost
  targetFetch?: TargetFetch
}

/** Why no key could be had: the provider is unreachable or answers nonsense. */
export class JwksUnavailable extends Error {
  constructor(reason: string) {
    super(`the identity provider's key set could not be read: ${reason}`)
    this.name = 'JwksUnavailable'
  }
}

/** How long an answer may be kept: its Cache-Control max-age, within bounds. */
export function keepFor(cacheControl: string | null): number {
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?/i.exec(cacheControl ?? '')?.[1]
  const ms = maxAge === undefined ? DEFAULT_KEEP_MS : Number(maxAge) * 1000
  return Math.min(MAX_KEEP_MS, Math.max(MIN_KEEP_MS, ms))
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  )
}

interface Held {
  keys: JWTVerifyGetKey
  fetchedAt: number
  keepMs: number
}

/**
 * The identity provider's public keys (PARLEY_SSO_JWKS_URL), fetched through the same guard as
 * webhooks (no private or loopback address unless PARLEY_ALLOW_PRIVATE_TARGETS), kept as long as
 * its Cache-Control allows, and fetched again when a token names a key it does not hold (a
 * rotation), at most every 30 s. Time is the injected clock's.
 */
export class JwksCache {
  private held: Held | undefined
  private inflight: Promise<Held> | undefined
  private lastFetch = -Infinity
  private lastError: string | undefined

  constructor(
    readonly url: string,
    private readonly policy: JwksPolicy,
  ) {}

  /** The key set to verify with now; `refresh` after a token named a key it did not hold. */
  async keys(nowMs: number, refresh = false): Promise<JWTVerifyGetKey> {
    const held = this.held
    const mayFetch = nowMs - this.lastFetch >= REFETCH_COOLDOWN_MS
    if (held) {
      const fresh = nowMs - held.fetchedAt < held.keepMs
      if ((fresh && !refresh) || !mayFetch) return held.keys
    } else if (!mayFetch && !this.inflight) {
      // The provider failed a moment ago: each post does not ask it again.
      throw new JwksUnavailable(this.lastError ?? 'it failed a moment ago')
    }
    try {
      return (await this.fetch(nowMs)).keys
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error)
      if (held && nowMs - held.fetchedAt < held.keepMs + STALE_GRACE_MS) return held.keys
      throw error
    }
  }

  private fetch(nowMs: number): Promise<Held> {
    this.inflight ??= this.load(nowMs).finally(() => {
      this.inflight = undefined
    })
    return this.inflight
  }

  private async load(nowMs: number): Promise<Held> {
    this.lastFetch = nowMs
    const refusal = await refuseTarget(this.url, { allowPrivate: this.policy.allowPrivate, resolveHost: this.policy.resolveHost })
    if (refusal) throw new JwksUnavailable(refusal.reason)
    let res: Response
    try {
      res = await (this.policy.targetFetch ?? fetch)(
        this.url,
        { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) },
        { allowPrivate: this.policy.allowPrivate },
      )
    } catch (error) {
      throw new JwksUnavailable(error instanceof Error ? error.message : 'the request failed')
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined)
      throw new JwksUnavailable(`it answered ${res.status}`)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(await readAtMost(res, MAX_JWKS_BYTES))
    } catch {
      throw new JwksUnavailable('the answer is not a JSON key set')
    }
    if (!isKeySet(parsed)) throw new JwksUnavailable('the answer is not a JSON key set')
    const held = { keys: createLocalJWKSet(parsed), fetchedAt: nowMs, keepMs: keepFor(res.headers.get('cache-control')) }
    this.held = held
    return held
  }
}
