/**
 * What Parley's WXR export adds for its own importer: the channel's generator, and each
 * comment's source identity as comment meta (WordPress's importer keeps comment meta, so the
 * identity survives a trip through WordPress too). Without them, a comment's `wp:comment_id` in
 * Parley's file is Parley's row id, which says nothing about where the comment came from.
 */
export const PARLEY_GENERATOR = 'Parley'

export const SOURCE_META = { source: 'parley_source', site: 'parley_source_site', id: 'parley_source_id' } as const
