import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import { queryRows } from '../db/database.js'
import { instance } from '../db/schema.js'

/**
 * This Parley's own id, made on first need and kept in the database: exports name the comments
 * written here as source `parley`, this id as their site, and their id. Importing such an export
 * back here recognizes them; another Parley keeps them apart from its own.
 */
export async function instanceId(db: Db): Promise<string> {
  const stored = async () => (await db.select({ siteId: instance.siteId }).from(instance))[0]?.siteId
  const found = await stored()
  if (found) return found
  const [made] = await queryRows<{ site_id: string }>(
    db,
    sql`
    insert into instance (id, site_id) values (1, ${crypto.randomUUID()}) on conflict (id) do nothing returning site_id`,
  )
  if (made) return made.site_id
  // Two first callers at once: the loser's insert waited for the winner's commit and did nothing,
  // and a statement sees only what was committed before it began, so read the winner's id anew.
  const winner = await stored()
  if (!winner) throw new Error('no instance id')
  return winner
}
