import { eq } from 'drizzle-orm'
import { createModerator } from '../src/auth/moderator-store.js'
import { createSecrets } from '../src/crypto/secrets.js'
import type { Db } from '../src/db/database.js'
import { mailAddresses, subscriptions } from '../src/db/mail-schema.js'
import { articles } from '../src/db/schema.js'
import { savePrefs } from '../src/notifications/notification-prefs.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'

/** Multi-row inserts of this many rows stay well under PostgreSQL's 65,535 bind parameters. */
const BATCH = 1000

export const followerEmail = (prefix: string, n: number) => `${prefix}-${n}@mail.example`

/**
 * `count` readers following the article `key`, as if each had confirmed their address: the row a
 * confirmation leaves (sealed with the server's secret, so that the sweep can open it; the look-up
 * hash the server would compute) and a thread subscription.
 */
export async function seedFollowers(db: Db, key: string, count: number, secret: string, prefix: string, now: Date): Promise<void> {
  const [article] = await db.select({ id: articles.id }).from(articles).where(eq(articles.key, key))
  if (!article) throw new Error(`no article ${key} to follow`)
  const secrets = await createSecrets(secret)
  for (let from = 1; from <= count; from += BATCH) {
    const emails = Array.from({ length: Math.min(BATCH, count - from + 1) }, (_, i) => followerEmail(prefix, from + i))
    const sealed = await Promise.all(
      emails.map(async (email) => ({ emailHash: await secrets.emailHash(email), emailSealed: await secrets.encryptEmail(email) })),
    )
    await db.insert(mailAddresses).values(sealed.map((row) => ({ ...row, confirmedAt: now, createdAt: now })))
    await db.insert(subscriptions).values(
      sealed.map((row) => ({
        emailHash: row.emailHash,
        articleId: article.id,
        kind: 'thread' as const,
        createdAt: now,
        confirmedAt: now,
      })),
    )
  }
}

/** A moderator who asked for an email about every held and every new comment, one each (no digest). */
export async function seedNotifiedModerator(db: Db, now: Date): Promise<void> {
  const moderator = await createModerator(
    db,
    nativeArgon2,
    { email: 'moderator@news.example', name: 'Mail bench', password: 'mail-bench-password-not-for-use', role: 'moderator' },
    now,
  )
  await savePrefs(db, moderator.id, { held: true, reported: false, every: true, digest: 'off' }, now)
}

/** An empty article to follow, as a moderator or an import would have made it. */
export async function seedArticle(db: Db, key: string, now: Date): Promise<void> {
  await db.insert(articles).values({ key, url: `https://news.example/${key}`, title: 'Breaking: the budget vote', createdAt: now })
}
