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
  const [row] = await db.select({ siteId: instance.siteId }).from(instance)
  if (row) return row.siteId
  // Two first callers at once: one insert wins, both read its id.
  const [made] = await queryRows<{ site_id: string }>(db, sql`
    with made as (insert into instance (id, site_id) values (1, ${crypto.randomUUID()}) on conflict (id) do nothing returning site_id)
    select site_id from made union all select site_id from instance limit 1`)
  if (!made) throw new Error('no instance id')
  return made.site_id
}
