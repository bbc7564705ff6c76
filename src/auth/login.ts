import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { moderators } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { newToken } from '../crypto/tokens.js'
import { AppError } from '../errors.js'
import { needsRehash, type PasswordHasher } from './password-hasher.js'
import { claimLoginAttempt, clearLoginFailures, withdrawLoginAttempt } from './login-throttle.js'
import { startSession } from './sessions.js'
import type { SessionLimits } from '../config.js'
import { rateLimitNetwork } from '../net/ip-networks.js'
import { isKnownLogin, rememberLogin } from './known-logins.js'
import type { ModeratorRow } from './moderator-store.js'

export interface LoginContext {
  db: Db
  passwords: PasswordHasher
  secrets: Secrets
  now: Date
  ip: string | null
  /** The device proof this browser kept from an earlier sign-in (its cookie), if any. */
  device?: string
  limits: SessionLimits
}

// One dummy hash per hasher, made with today's parameters, so that an unknown email costs a real verification.
const dummies = new WeakMap<PasswordHasher, Promise<string>>()
function dummyHash(passwords: PasswordHasher): Promise<string> {
  let dummy = dummies.get(passwords)
  if (!dummy) {
    dummy = passwords.hash(newToken())
    dummies.set(passwords, dummy)
  }
  return dummy
}

const invalid = () => new AppError('invalid_credentials', 'The email or password is not right.')

/** Failures allowed within 15 minutes before each further one doubles the wait. */
export const LOGIN_ALLOWANCE = {
  /** One account from one network: a person mistyping, or a guesser. */
  pair: 5,
  /** One network, over every account it tries. */
  network: 10,
  /**
   * One account from everywhere: soft, so that a stranger cannot lock an admin out by failing five
   * times from one address (the pair limit stops guessing from any one network long before); and
   * not for a network or device that has signed in to the account before (known-logins.ts), so
   * that a stranger with a hundred addresses cannot lock the admin out either.
   */
  account: 100,
}

/**
 * Checks a moderator's password and opens a session. An unknown email, a disabled account and a
 * wrong password answer the same 401 after the same work; past LOGIN_ALLOWANCE's failures within
 * 15 minutes (per account and network, per network, per account except from a known network or
 * device) the answer is 429 with a growing Retry-After. A success answers, with the session, a
 * device proof for the browser to keep (`device`).
 */
export async function login(
  ctx: LoginContext,
  emailInput: string,
  password: string,
): Promise<{ moderator: ModeratorRow; token: string; expiresAt: Date; device: string }> {
  const email = emailInput.trim().toLowerCase()
  // Without an address (a trusted proxy header missing) there is no network to count: requests
  // without one must not all share a key, or ten strangers' typos would lock out everyone.
  const network = ctx.ip === null ? null : rateLimitNetwork(ctx.ip)
  const accountKey = await ctx.secrets.rateKey(`login-account:${email}`)
  // A known place's failures still count against the account (they are failures), but its limit does not stop it.
  const known = await isKnownLogin(ctx.db, ctx.secrets, email, { network, device: ctx.device }, ctx.now)
  const keys = [{ key: accountKey, allowed: known ? Infinity : LOGIN_ALLOWANCE.account }]
  const pairKey = network === null ? null : await ctx.secrets.rateKey(`login-pair:${network}|${email}`)
  if (network !== null && pairKey !== null) {
    keys.push(
      { key: pairKey, allowed: LOGIN_ALLOWANCE.pair },
      { key: await ctx.secrets.rateKey(`login-ip:${network}`), allowed: LOGIN_ALLOWANCE.network },
    )
  }
  const { attempt, wait } = await claimLoginAttempt(ctx.db, keys, ctx.now)
  if (wait > 0) {
    throw new AppError('too_many_attempts', 'Too many failed logins; please wait before trying again.', { retryAfter: wait })
  }
  // PostgreSQL refuses a NUL in text (a 500), and no stored email holds one: such an email is simply unknown.
  const [row] = email.includes('\u0000') ? [] : await ctx.db.select().from(moderators).where(eq(moderators.email, email))
  const usable = row !== undefined && !row.disabled
  const matches = await ctx.passwords.verify(usable ? row.passwordHash : await dummyHash(ctx.passwords), password)
  // A failure is already recorded: the attempt's rows stay.
  if (!usable || !matches) throw invalid()
  if (ctx.passwords.needsRehash ? ctx.passwords.needsRehash(row.passwordHash) : needsRehash(row.passwordHash)) {
    await ctx.db
      .update(moderators)
      .set({ passwordHash: await ctx.passwords.hash(password) })
      .where(eq(moderators.id, row.id))
  }
  await withdrawLoginAttempt(ctx.db, attempt)
  // The account's count is left to run out: the owner signing in where they are known must not
  // hand a stranger spraying from elsewhere a fresh hundred guesses.
  if (pairKey !== null) await clearLoginFailures(ctx.db, [pairKey])
  const device = await rememberLogin(ctx.db, ctx.secrets, email, network, ctx.now)
  const { token, expiresAt } = await startSession(ctx.db, row.id, ctx.now, ctx.limits)
  return { moderator: row, token, expiresAt, device }
}
