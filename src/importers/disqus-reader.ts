import { articleKeyPattern } from '../articles/articles.js'
import type { CommentStatus } from '../db/schema.js'
import type { RecordSink } from './import-records.js'
import type { XmlReader, XmlRoot } from './xml-records.js'
import { isTrue, isoDate, text } from './record-values.js'

const DISQUS = 'http://disqus.com'
const INTERNALS = 'http://disqus.com/disqus-internals'

export const isDisqus = (root: XmlRoot) => root.local === 'disqus' && (root.uri === DISQUS || root.uri === '')

const threadFields = ['@dsq:id', 'id', 'forum', 'link', 'title', 'createdAt', 'isClosed']
const postFields = [
  '@dsq:id',
  'message',
  'createdAt',
  'isDeleted',
  'isSpam',
  'author/name',
  'author/email',
  'author/username',
  'ipAddress',
  'thread/@dsq:id',
  'parent/@dsq:id',
]

/**
 * Disqus writes a message as HTML paragraphs; Parley keeps a body as the reader typed it, so
 * paragraphs and line breaks go back to blank lines and newlines (inline markup stays, and is
 * sanitized on rendering like any comment's).
 */
export function disqusBody(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p(\s[^>]*)?>/gi, '\n\n')
    .replace(/^\s*<p(\s[^>]*)?>/i, '')
    .replace(/<\/p>\s*$/i, '')
    .trim()
}

/**
 * A Disqus export: threads and posts side by side at the top level, posts naming their thread
 * and parent by `dsq:id`, in any order (resolved once the whole file is staged). The key of a
 * thread's article is its identifier, or its `dsq:id` when it has none usable as a key. A post
 * is identified by its thread's forum and its `dsq:id` (Disqus's ids are global anyway).
 */
export function disqusReader(sink: RecordSink): XmlReader {
  // A post whose thread is missing from the file has no forum to name.
  sink.origin({ source: 'disqus', site: '' })
  let posts = 0
  let threads = 0
  const onThread = (fields: ReadonlyMap<string, string>) => {
    threads++
    const ref = text(fields, '@dsq:id')
    if (!ref) return sink.error({ record: 'thread', id: text(fields, 'id') || `#${threads} in the file`, reason: 'it has no dsq:id' })
    const identifier = text(fields, 'id')
    let key = identifier
    if (!identifier) {
      sink.warning({ record: 'thread', id: ref, reason: `it has no identifier: imported under key ${ref}` })
      key = ref
    } else if (!articleKeyPattern.test(identifier)) {
      sink.warning({
        record: 'thread',
        id: ref,
        reason: `its identifier "${identifier.slice(0, 200)}" is not a valid article key: imported under key ${ref}`,
      })
      key = ref
    }
    sink.article({
      ref,
      key,
      sourceSite: text(fields, 'forum').toLowerCase(),
      url: text(fields, 'link') || null,
      title: text(fields, 'title') || null,
      open: !isTrue(text(fields, 'isClosed')),
      createdAt: isoDate(text(fields, 'createdAt')),
    })
  }

  const onPost = (fields: ReadonlyMap<string, string>) => {
    posts++
    const dsqId = text(fields, '@dsq:id')
    // Never a dsq:id (those are numbers): how the file's order names a post without one.
    const id = dsqId || `#${posts} in the file`
    const thread = text(fields, 'thread/@dsq:id')
    if (!thread) return sink.error({ record: 'post', id, reason: 'it names no thread' })
    const warnings: string[] = []
    if (!dsqId) warnings.push('it has no dsq:id: imported, and known again by its author, date and text')
    const status: CommentStatus = isTrue(text(fields, 'isSpam')) ? 'spam' : isTrue(text(fields, 'isDeleted')) ? 'trash' : 'approved'
    const email = text(fields, 'author/email') || null
    if (!email) warnings.push('it has no email address: imported without one')
    sink.comment({
      ref: id,
      source: 'disqus',
      // The forum of its thread, known once the whole file is read.
      sourceSite: null,
      sourceId: dsqId || null,
      articleRef: thread,
      parentRef: text(fields, 'parent/@dsq:id') || null,
      // Disqus ids run past PostgreSQL's integer: new ids are drawn instead.
      preferredId: null,
      status,
      authorName: text(fields, 'author/name') || text(fields, 'author/username'),
      authorUrl: null,
      email,
      ip: text(fields, 'ipAddress') || null,
      userAgent: null,
      body: disqusBody(fields.get('message') ?? ''),
      createdAt: isoDate(text(fields, 'createdAt')),
      editedAt: null,
      checks: [],
      moderatorEmail: null,
      warnings,
    })
  }

  return {
    alias: (uri) => (uri === DISQUS ? '' : uri === INTERNALS ? 'dsq' : undefined),
    rules: [
      { path: 'disqus/thread', fields: new Set(threadFields), onClose: onThread },
      { path: 'disqus/post', fields: new Set(postFields), longFields: new Set(['message']), onClose: onPost },
    ],
  }
}
