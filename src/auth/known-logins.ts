import { and, eq, gt, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { knownLogins } from '../db/schema.js'
import type { Secrets } from '../crypto/secrets.js'
import { constantTimeEqual } from '../crypto/tokens.js'

/** How long a network or device stays known after its last successful sign-in to the account. */
export const KNOWN_LOGIN_SECONDS = 90 * 86_400

/** Where a sign-in comes from: its network (null without an address) and the device proof its browser kept, if any. */
export interface LoginPlace {
  network: string | null
  device: string | undefined
}

const networkKey = (secrets: Secrets, email: string, network: string) => secrets.rateKey(`login-known:${network}|${email}`)
const deviceMac = (secrets: Secrets, email: string, issued: number) => secrets.rateKey(`login-device:${email}|${issued}`)

/**
 * A device proof for this account: when it was issued (seconds) and a keyed MAC of the account's
 * email and that time. Nothing in it is personal; it proves only that this browser signed in to
 * this account within KNOWN_LOGIN_SECONDS.
 */
async function deviceProof(secrets: Secrets, email: string, now: Date): Promise<string> {
  const issued = Math.floor(now.getTime() / 1000)
  return `${issued}.${await deviceMac(secrets, email, issued)}`
}

async function isKnownDevice(secrets: Secrets, email: string, proof: string | undefined, now: Date): Promise<boolean> {
  const match = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(proof ?? '')
  if (!match?.[1] || !match[2]) return false
  const issued = Number(match[1])
  const age = now.getTime() / 1000 - issued
  // A proof from the future (clocks a minute apart) is still fine; one issued long ago is not.
  if (age > KNOWN_LOGIN_SECONDS || age < -60) return false
  return constantTimeEqual(await deviceMac(secrets, email, issued), match[2])
}

/**
 * True when this network or device has signed in to the account (`email`, normalized) within
 * KNOWN_LOGIN_SECONDS: the account-wide failure limit does not apply to it, so a stranger spraying
 * failures from many addresses cannot lock the owner out where they usually sign in. The
 * per-(account, network) and per-network limits still do.
 */
export async function isKnownLogin(db: Db, secrets: Secrets, email: string, place: LoginPlace, now: Date): Promise<boolean> {
  if (await isKnownDevice(secrets, email, place.device, now)) return true
  if (place.network === null) return false
  const since = new Date(now.getTime() - KNOWN_LOGIN_SECONDS * 1000)
  const [row] = await db
    .select({ key: knownLogins.key })
    .from(knownLogins)
    .where(and(eq(knownLogins.key, await networkKey(secrets, email, place.network)), gt(knownLogins.lastAt, since)))
  return row !== undefined
}

/**
 * After a successful sign-in: its network becomes known for the account (old marks are swept as
 * new ones are made, as sessions are), and the answer is a fresh device proof for the browser to keep.
 */
export async function rememberLogin(db: Db, secrets: Secrets, email: string, network: string | null, now: Date): Promise<string> {
  if (network !== null) {
    await db
      .insert(knownLogins)
      .values({ key: await networkKey(secrets, email, network), lastAt: now })
      .onConflictDoUpdate({ target: knownLogins.key, set: { lastAt: sql`excluded.last_at` } })
    await db.delete(knownLogins).where(lt(knownLogins.lastAt, new Date(now.getTime() - KNOWN_LOGIN_SECONDS * 1000)))
  }
  return deviceProof(secrets, email, now)
}
