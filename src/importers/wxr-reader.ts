import type { CommentStatus } from '../db/schema.js'
import { articleKeyPattern } from '../articles/articles.js'
import type { RecordSink } from './import-records.js'
import type { XmlReader, XmlRoot } from './xml-records.js'
import { text, wordpressDate } from './record-values.js'
import { sourceSite } from './source-site.js'
import { PARLEY_GENERATOR, SOURCE_META } from '../exports/wxr-source-meta.js'

/** WXR 1.0 to 1.2, whichever scheme: WordPress writes http://, its theme test data https://. */
const wxrNamespace = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/$/

export const isWxr = (root: XmlRoot) => root.local === 'rss' && Object.values(root.namespaces).some((uri) => wxrNamespace.test(uri))

const statuses: Record<string, CommentStatus> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'trash',
  'post-trashed': 'trash',
}

const CHANNEL = 'rss/channel'
const ITEM = `${CHANNEL}/item`
const channelFields = ['wp:base_blog_url', 'wp:base_site_url', 'link']
const itemFields = ['title', 'link', 'guid', 'wp:post_type', 'wp:comment_status', 'wp:post_date_gmt', 'wp:post_date']
const commentFields = [
  'id',
  'author',
  'author_email',
  'author_url',
  'author_IP',
  'date',
  'date_gmt',
  'content',
  'approved',
  'type',
  'parent',
]

/** The post types that take comments by default; any other item becomes an article only if it has comments. */
const articleTypes = new Set(['post', 'page'])

/** WordPress's short link, `?p=123`: where theme-preview.xml keeps the post ids it has no wp:post_id for. */
const shortLinkId = (url: string) => /[?&]p=(\d+)(?:[&#]|$)/.exec(url)?.[1]

/**
 * WordPress's export: each item a post or page, its comments inside it. The article key is the
 * post id (from `wp:post_id`, else the `?p=` of the item's link or guid), unless the file came
 * from Parley (its `parley_key` post meta keeps non-numeric keys). A comment is identified by
 * the site (the blog's URL: on a multisite network `wp:base_site_url` is the network's, shared by
 * every blog, whose comment ids each start at 1) and its id, or by the `parley_source*` comment
 * meta Parley's own export writes.
 */
export function wxrReader(sink: RecordSink, options: { includePings: boolean }): XmlReader {
  let items = 0
  let postId = ''
  let postIdSeen = false
  let parleyKey: string | undefined
  let commentCount = 0
  let fromParley = false
  let meta = new Map<string, string>()
  const itemRef = () => `#${items}`

  const onComment = (fields: ReadonlyMap<string, string>) => {
    commentCount++
    const field = (name: string) => text(fields, `wp:comment_${name}`)
    const rawId = field('id')
    const id = /^\d+$/.test(rawId) ? rawId : ''
    const type = field('type')
    const ping = type === 'pingback' || type === 'trackback'
    if (ping && !options.includePings) return sink.skip('ping')
    if (!ping && type !== '' && type !== 'comment') return sink.skip('otherType')
    // Never a comment id (those are numbers): how the file's order names a comment without one.
    const ref = id || `#${commentCount} of item ${itemRef()} in the file`
    const warnings: string[] = []
    if (!id) warnings.push('it has no wp:comment_id: imported, and known again by its author, date and text')
    const createdAt = wordpressDate(field('date_gmt')) ?? wordpressDate(field('date'))
    const approved = field('approved')
    const status = statuses[approved]
    if (!status) warnings.push(`unknown status "${approved}": imported as pending`)
    const parent = field('parent')
    const idNumber = Number(id)
    // Parley's own export says where each comment first came from; its ids are Parley's, never a WordPress site's.
    const source = meta.get(SOURCE_META.source)
    const email = field('author_email') || null
    if (!email && !ping) warnings.push('it has no email address: imported without one')
    sink.comment({
      ref,
      source: source ?? (fromParley ? 'parley' : null),
      sourceSite: source ? (meta.get(SOURCE_META.site) ?? '') : fromParley ? '' : null,
      sourceId: source ? meta.get(SOURCE_META.id) || id || null : id || null,
      articleRef: itemRef(),
      parentRef: parent && parent !== '0' ? parent : null,
      preferredId: id && Number.isSafeInteger(idNumber) ? idNumber : null,
      status: status ?? 'pending',
      authorName: field('author'),
      authorUrl: field('author_url') || null,
      email,
      ip: field('author_IP') || null,
      userAgent: null,
      body: fields.get('wp:comment_content') ?? '',
      createdAt,
      editedAt: null,
      checks: [],
      moderatorEmail: null,
      warnings,
    })
  }

  const onItem = (fields: ReadonlyMap<string, string>) => {
    const label = postId || text(fields, 'title') || `${itemRef()} in the file`
    let key: string | null = /^\d+$/.test(postId) ? postId : null
    if (key === null) {
      key = shortLinkId(text(fields, 'link')) ?? shortLinkId(text(fields, 'guid')) ?? null
      if (key !== null && commentCount > 0)
        sink.warning({
          record: 'item',
          id: key,
          reason: `it has no wp:post_id: its post id ${key} is read from its ${shortLinkId(text(fields, 'link')) ? 'link' : 'guid'}`,
        })
    }
    const type = text(fields, 'wp:post_type') || 'post'
    if (!articleTypes.has(type) && commentCount === 0) return
    if (key === null) {
      if (commentCount === 0) return
      return sink.article({
        ref: itemRef(),
        label,
        key: null,
        problem: 'its item has no wp:post_id, nor a ?p= in its link or guid',
        url: null,
        title: null,
        open: true,
        createdAt: null,
      })
    }
    if (parleyKey !== undefined && !articleKeyPattern.test(parleyKey)) {
      sink.warning({
        record: 'item',
        id: key,
        reason: `parley_key "${parleyKey.slice(0, 200)}" is not a valid article key: imported under its post id`,
      })
      parleyKey = undefined
    }
    sink.article({
      ref: itemRef(),
      label: key,
      key: parleyKey ?? key,
      url: text(fields, 'link') || null,
      title: text(fields, 'title') || null,
      open: text(fields, 'wp:comment_status') !== 'closed',
      createdAt: wordpressDate(text(fields, 'wp:post_date_gmt')) ?? wordpressDate(text(fields, 'wp:post_date')),
    })
  }

  const firstMeta = (into: Map<string, string>) => (fields: ReadonlyMap<string, string>) => {
    const name = text(fields, 'wp:meta_key')
    if (name && !into.has(name)) into.set(name, text(fields, 'wp:meta_value'))
  }
  let postMeta = new Map<string, string>()

  return {
    alias: (uri) => (wxrNamespace.test(uri) ? 'wp' : undefined),
    rules: [
      {
        path: CHANNEL,
        fields: new Set(channelFields),
        onClose: (fields) => {
          // The blog's own URL first: a network's blogs share wp:base_site_url.
          const site = sourceSite(text(fields, 'wp:base_blog_url') || text(fields, 'wp:base_site_url') || text(fields, 'link'))
          sink.origin(fromParley ? { source: 'parley', site: '' } : { source: 'wordpress', site })
        },
      },
      // Parley writes its generator before any item: the comments after it carry Parley's ids.
      { path: `${CHANNEL}/generator`, fields: new Set(['']), onClose: (fields) => (fromParley ||= text(fields, '') === PARLEY_GENERATOR) },
      {
        path: ITEM,
        fields: new Set(itemFields),
        onOpen: () => {
          items++
          postId = ''
          postIdSeen = false
          commentCount = 0
          postMeta = new Map()
          parleyKey = undefined
        },
        onClose: (fields) => {
          parleyKey = postMeta.get('parley_key')
          onItem(fields)
        },
      },
      { path: `${ITEM}/wp:postmeta`, fields: new Set(['wp:meta_key', 'wp:meta_value']), onClose: (fields) => firstMeta(postMeta)(fields) },
      {
        path: `${ITEM}/wp:comment`,
        fields: new Set(commentFields.map((name) => `wp:comment_${name}`)),
        longFields: new Set(['wp:comment_content']),
        onOpen: () => {
          meta = new Map()
        },
        onClose: onComment,
      },
      {
        path: `${ITEM}/wp:comment/wp:commentmeta`,
        fields: new Set(['wp:meta_key', 'wp:meta_value']),
        onClose: (fields) => firstMeta(meta)(fields),
      },
      // The first wp:post_id wins, as in WordPress's parsers (a second one is ignored, never appended).
      {
        path: `${ITEM}/wp:post_id`,
        fields: new Set(['']),
        onClose: (fields) => {
          if (!postIdSeen) postId = text(fields, '')
          postIdSeen = true
        },
      },
    ],
  }
}
