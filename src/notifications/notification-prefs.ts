import { eq } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { notificationPrefs, type DigestFrequency } from '../db/mail-schema.js'

/** A moderator's email preferences (WordPress's Discussion screen: "Email me whenever …"). */
export interface NotificationPrefs {
  /** A comment is held for moderation. */
  held: boolean
  /** A reader reports a comment. */
  reported: boolean
  /** Anyone posts a comment (spam aside). */
  every: boolean
  /** One email an hour or a day gathering the above, instead of one each. */
  digest: DigestFrequency
}

export const DIGESTS: readonly DigestFrequency[] = ['off', 'hourly', 'daily']

/** No row yet: a moderator gets no email until they ask for it. */
export const NO_EMAIL: NotificationPrefs = { held: false, reported: false, every: false, digest: 'off' }

export async function prefsOf(db: Db, moderatorId: number): Promise<NotificationPrefs> {
  const [row] = await db.select().from(notificationPrefs).where(eq(notificationPrefs.moderatorId, moderatorId))
  return row ? { held: row.onHeld, reported: row.onReported, every: row.onEvery, digest: row.digest } : NO_EMAIL
}

export async function savePrefs(db: Db, moderatorId: number, prefs: NotificationPrefs, now: Date): Promise<void> {
  const values = { onHeld: prefs.held, onReported: prefs.reported, onEvery: prefs.every, digest: prefs.digest, updatedAt: now }
  await db
    .insert(notificationPrefs)
    .values({ moderatorId, ...values })
    .onConflictDoUpdate({ target: notificationPrefs.moderatorId, set: values })
}
