import { sql, type SQL } from 'drizzle-orm'

/**
 * The statement that remembers where the comments in `rows` came from, before they are deleted
 * for good (columns id, source, source_site, source_id, created_at): an import never brings them
 * back. Parley's own comments are remembered as `parley`, this instance's id, and their id.
 */
export function rememberRemoved(rows: SQL, siteId: string, now: Date): SQL {
  return sql`
    insert into removed_sources (source, source_site, source_id, comment_id, source_created_at, removed_at)
    select coalesce(r.source, 'parley'), case when r.source is null then ${siteId} else r.source_site end,
      coalesce(r.source_id, r.id::text), r.id, r.created_at, ${now.toISOString()}::timestamptz
    from ${rows} r
    on conflict do nothing`
}
