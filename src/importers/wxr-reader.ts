import type { CommentStatus } from '../db/schema.js'
import { articleKeyPattern } from '../articles/articles.js'
import type { RecordSink, CommentRecord } from './import-records.js'
import type { XmlReader, XmlRoot } from './xml-records.js'
import { text, wordpressDate } from './record-values.js'

/** WXR 1.0 to 1.2, whichever scheme: WordPress writes http://, its theme test data https://. */
const wxrNamespace = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/$/

export const isWxr = (root: XmlRoot) => root.local === 'rss' && Object.values(root.namespaces).some((uri) => wxrNamespace.test(uri))

const statuses: Record<string, CommentStatus> = {
  '1': 'approved', approve: 'approved', '0': 'pending', hold: 'pending', spam: 'spam', trash: 'trash', 'post-trashed': 'trash',
}

const ITEM = 'rss/channel/item'
const itemFields = ['title', 'link', 'wp:post_id', 'wp:post_type', 'wp:comment_status', 'wp:post_date_gmt', 'wp:post_date']
const commentFields = ['id', 'author', 'author_email', 'author_url', 'author_IP', 'date', 'date_gmt', 'content', 'approved', 'type', 'parent']

/** The post types that take comments by default; any other item becomes an article only if it has comments. */
const articleTypes = new Set(['post', 'page'])

/**
 * WordPress's export: each item a post or page, its comments inside it. The article key is the
 * post id, unless the file came from Parley (its `parley_key` post meta keeps non-numeric keys).
 */
export function wxrReader(sink: RecordSink, options: { includePings: boolean }): XmlReader {
  let postId = ''
  let parleyKey = ''
  let commentCount = 0
  // Comments met before their item's post id (WordPress writes the id first; nothing requires it).
  let waiting: CommentRecord[] = []

  const onComment = (fields: ReadonlyMap<string, string>) => {
    commentCount++
    const field = (name: string) => text(fields, `wp:comment_${name}`)
    const id = field('id')
    const type = field('type')
    const ping = type === 'pingback' || type === 'trackback'
    if (ping && !options.includePings) return sink.skip('ping')
    if (!ping && type !== '' && type !== 'comment') return sink.skip('otherType')
    const createdAt = wordpressDate(field('date_gmt')) ?? wordpressDate(field('date'))
    if (!/^\d+$/.test(id)) return sink.error({ record: 'comment', id: id || '(none)', reason: 'it has no wp:comment_id' })
    if (!createdAt) return sink.error({ record: 'comment', id, reason: 'it has no valid date' })
    const approved = field('approved')
    const status = statuses[approved]
    if (!status) sink.warning({ record: 'comment', id, reason: `unknown status "${approved}": imported as pending` })
    const parent = field('parent')
    const idNumber = Number(id)
    const record: CommentRecord = {
      ref: id,
      source: 'wordpress',
      sourceId: id,
      articleRef: postId,
      parentRef: parent && parent !== '0' ? parent : null,
      preferredId: Number.isSafeInteger(idNumber) ? idNumber : null,
      status: status ?? 'pending',
      authorName: field('author'),
      authorUrl: field('author_url') || null,
      email: field('author_email') || null,
      ip: field('author_IP') || null,
      userAgent: null,
      body: fields.get('wp:comment_content') ?? '',
      createdAt,
      editedAt: null,
      checks: [],
      moderatorEmail: null,
    }
    if (!record.email && !ping) sink.warning({ record: 'comment', id, reason: 'it has no email address: imported without one' })
    if (postId) sink.comment(record)
    else waiting.push(record)
  }

  const onItem = (fields: ReadonlyMap<string, string>) => {
    postId = text(fields, 'wp:post_id')
    const type = text(fields, 'wp:post_type') || 'post'
    if (!/^\d+$/.test(postId)) {
      for (const comment of waiting) sink.error({ record: 'comment', id: comment.sourceId, reason: 'its item has no wp:post_id' })
      if (commentCount > 0) sink.error({ record: 'item', id: text(fields, 'title') || '(untitled)', reason: 'it has no wp:post_id' })
      return
    }
    for (const comment of waiting) sink.comment({ ...comment, articleRef: postId })
    if (!articleTypes.has(type) && commentCount === 0) return
    if (parleyKey && !articleKeyPattern.test(parleyKey)) {
      sink.warning({ record: 'item', id: postId, reason: `parley_key "${parleyKey.slice(0, 200)}" is not a valid article key: imported under its post id` })
      parleyKey = ''
    }
    sink.article({
      ref: postId,
      key: parleyKey || postId,
      url: text(fields, 'link') || null,
      title: text(fields, 'title') || null,
      open: text(fields, 'wp:comment_status') !== 'closed',
      createdAt: wordpressDate(text(fields, 'wp:post_date_gmt')) ?? wordpressDate(text(fields, 'wp:post_date')),
    })
  }

  return {
    alias: (uri) => (wxrNamespace.test(uri) ? 'wp' : undefined),
    rules: [
      {
        path: ITEM,
        fields: new Set(itemFields),
        onOpen: () => {
          postId = ''
          parleyKey = ''
          commentCount = 0
          waiting = []
        },
        onClose: onItem,
      },
      {
        path: `${ITEM}/wp:postmeta`,
        fields: new Set(['wp:meta_key', 'wp:meta_value']),
        onClose: (fields) => {
          if (text(fields, 'wp:meta_key') === 'parley_key') parleyKey = text(fields, 'wp:meta_value')
        },
      },
      {
        path: `${ITEM}/wp:comment`,
        fields: new Set(commentFields.map((name) => `wp:comment_${name}`)),
        onClose: onComment,
      },
      // The post id is taken as soon as it closes, so that the comments after it can name it.
      { path: `${ITEM}/wp:post_id`, fields: new Set(['']), onClose: (fields) => (postId = text(fields, '')) },
    ],
  }
}
