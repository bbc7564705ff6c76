import { sql, type SQL } from 'drizzle-orm'

/** A staged comment's identity, as SQL expressions over the staging tables' columns. */
export interface Identity {
  source: SQL
  site: SQL
  sourceId: SQL
  createdAt: SQL
}

/** The source id as one of this Parley's comment ids, or null when it cannot be one. */
const asCommentId = (sourceId: SQL) => sql`(case when ${sourceId} ~ '^[0-9]{1,9}$' then ${sourceId}::int end)`

/**
 * The id of the comment a staged record already is, or null. A comment is its source, site and
 * id there; where one side does not know the site ('': rows imported before sites were kept, or
 * an export that does not say), source, id and creation time must agree. A `parley` record whose
 * site is this Parley's instance id is one of its own comments, by id; one whose site is unknown
 * (an export made before sites were written) is any comment here with that id and date (to the
 * second: WXR has no milliseconds).
 */
export function existingCommentId(r: Identity, instanceId: string): SQL {
  return sql`coalesce(
    (select c.id from comments c
     where c.source = ${r.source} and c.source_id = ${r.sourceId}
       and (c.source_site = ${r.site} or ((c.source_site = '' or ${r.site} = '') and c.created_at = ${r.createdAt}))
     order by c.source_site = ${r.site} desc limit 1),
    (select c.id from comments c
     where ${r.source} = 'parley' and c.id = ${asCommentId(r.sourceId)}
       and ((${r.site} = ${instanceId} and c.source is null)
         or (${r.site} = '' and date_trunc('second', c.created_at) = date_trunc('second', ${r.createdAt})))))`
}

/** True when a moderator or the purge deleted the comment a staged record is (same rules as above). */
export function removedBefore(r: Identity): SQL {
  return sql`(exists (select 1 from removed_sources d
      where d.source = ${r.source} and d.source_id = ${r.sourceId}
        and (d.source_site = ${r.site} or ((d.source_site = '' or ${r.site} = '') and d.source_created_at = ${r.createdAt})))
    or (${r.source} = 'parley' and ${r.site} = '' and exists (select 1 from removed_sources d
      where d.comment_id = ${asCommentId(r.sourceId)} and date_trunc('second', d.source_created_at) = date_trunc('second', ${r.createdAt}))))`
}
