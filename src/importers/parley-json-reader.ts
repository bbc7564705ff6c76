import { articleKeyPattern } from '../articles/articles.js'
import { exportHeaderSchema, exportedArticleSchema, exportedCommentSchema } from '../exports/parley-json-format.js'
import { ImportRefused, type RecordSink } from './import-records.js'
import { JsonTopLevel, MAX_ELEMENT, type Position } from './json-elements.js'
import { isoDate } from './record-values.js'

/** Which field of an entry is wrong, as the end of a sentence: `: its author.email is missing or not valid`. */
const fieldOf = (issues: readonly { path: readonly PropertyKey[] }[]): string => {
  const path = issues[0]?.path.map(String).join('.') ?? ''
  return path ? `: its ${path} is missing or not valid` : ': it is not an object'
}

/** How a message names an entry it cannot read: its id or key, else where it is in the file. */
const idOf = (value: unknown, name: 'id' | 'key', at: Position): string => {
  const id = typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined
  return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id).slice(0, 200) : `at line ${at.line}`
}

/**
 * Parley's JSON export, read back element by element. Comments keep their first source, site and
 * source id (a comment imported from WordPress stays that comment); Parley's own comments are
 * `parley`, the exporting Parley's instance id and their id. Exports older than `sourceSite` say
 * no site: '' (see match-existing.ts for how those are recognized).
 */
export function parleyJsonReader(sink: RecordSink): { parser: JsonTopLevel; finish(): void } {
  sink.origin({ source: 'parley', site: '' })
  let header = false
  const onValue = (key: string, value: unknown) => {
    if (key !== 'parley') return
    if (!exportHeaderSchema.safeParse(value).success) throw new ImportRefused('not a Parley export of a version this Parley reads')
    header = true
  }
  const onElement = (key: string, value: unknown, at: Position) => {
    if (key === 'articles') {
      const parsed = exportedArticleSchema.safeParse(value)
      if (!parsed.success)
        return sink.error({
          record: 'article',
          id: idOf(value, 'key', at),
          reason: `it is not a valid article entry${fieldOf(parsed.error.issues)}`,
        })
      const { key, url, title, open, createdAt } = parsed.data
      if (!articleKeyPattern.test(key))
        return sink.error({ record: 'article', id: idOf(value, 'key', at), reason: 'its key is not a valid article key' })
      sink.article({ ref: key, key, url, title, open, createdAt: isoDate(createdAt) })
    } else if (key === 'comments') {
      const parsed = exportedCommentSchema.safeParse(value)
      if (!parsed.success)
        return sink.error({
          record: 'comment',
          id: idOf(value, 'id', at),
          reason: `it is not a valid comment entry${fieldOf(parsed.error.issues)}`,
        })
      const c = parsed.data
      const editedAt = c.editedAt === null ? null : isoDate(c.editedAt)
      const warnings = c.editedAt !== null && !editedAt ? ['its edit date is not a valid date: dropped'] : []
      sink.comment({
        ref: String(c.id),
        source: c.source ?? 'parley',
        sourceSite: c.sourceSite ?? '',
        sourceId: c.sourceId ?? String(c.id),
        articleRef: c.article,
        parentRef: c.parentId === null ? null : String(c.parentId),
        preferredId: c.id,
        status: c.status,
        authorName: c.author.name,
        authorUrl: c.author.url,
        email: c.author.email,
        ip: c.ip,
        userAgent: c.userAgent,
        body: c.body,
        createdAt: isoDate(c.createdAt),
        editedAt,
        checks: c.checks,
        moderatorEmail: c.author.moderator?.email ?? null,
        warnings,
      })
    }
  }
  const onTooLarge = (key: string, at: Position) => {
    const record = key === 'articles' ? 'article' : key === 'comments' ? 'comment' : undefined
    if (record) sink.error({ record, id: `at line ${at.line}`, reason: `it is larger than ${MAX_ELEMENT} characters: not read` })
  }
  return {
    parser: new JsonTopLevel(onValue, onElement, onTooLarge),
    finish: () => {
      if (!header) throw new ImportRefused('not a Parley export: the "parley" header is missing')
    },
  }
}
