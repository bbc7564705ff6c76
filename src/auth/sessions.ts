import { eq, lt, or } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { moderators, sessions } from '../db/schema.js'
import { hashToken, newToken } from '../crypto/tokens.js'
import type { ModeratorRow } from './moderator-store.js'
import type { SessionLimits } from '../config.js'

export const defaultSessionLimits: SessionLimits = { idleSeconds: 2 * 3600, maxSeconds: 12 * 3600 }

// Refreshing last-seen on every request would make every read a write; a minute is precise enough.
const TOUCH_EVERY_MS = 60_000

export async function startSession(
  db: Db,
  moderatorId: number,
  now: Date,
  limits: SessionLimits,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken()
  const expiresAt = new Date(now.getTime() + limits.maxSeconds * 1000)
  await db.insert(sessions).values({ tokenHash: await hashToken(token), moderatorId, createdAt: now, lastSeenAt: now, expiresAt })
  // Old sessions are swept as new ones start: the table stays small without a job.
  await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - limits.idleSeconds * 1000))))
  return { token, expiresAt }
}

/** The moderator behind a token, if the session is live and the account enabled. */
export async function resolveSession(db: Db, token: string, now: Date, limits: SessionLimits): Promise<ModeratorRow | undefined> {
  const tokenHash = await hashToken(token)
  const [row] = await db
    .select({ moderator: moderators, sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(moderators, eq(moderators.id, sessions.moderatorId))
    .where(eq(sessions.tokenHash, tokenHash))
  if (!row || row.moderator.disabled) return undefined
  const idleSince = now.getTime() - row.lastSeenAt.getTime()
  if (row.expiresAt <= now || idleSince > limits.idleSeconds * 1000) {
    await db.delete(sessions).where(eq(sessions.id, row.sessionId))
    return undefined
  }
  if (idleSince > TOUCH_EVERY_MS) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.sessionId))
  return row.moderator
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, await hashToken(token)))
}
