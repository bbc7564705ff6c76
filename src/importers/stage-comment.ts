import type { Secrets } from '../crypto/secrets.js'
import { normalizeEmail } from '../crypto/secrets.js'
import { byteLength, cleanText } from '../comments/clean-text.js'
import { renderBody } from '../comments/render-body.js'
import { limits, normalizeUrl } from '../comments/submission-rules.js'
import { MAX_ID } from '../http/request-context.js'
import type { CommentRecord, RecordProblem } from './import-records.js'
import type { StagedComment } from './staging-tables.js'

/** Cuts text to at most `max` UTF-8 bytes, never inside a character. */
function truncateBytes(value: string, max: number): string {
  if (byteLength(value) <= max) return value
  let out = value.slice(0, max)
  while (byteLength(out) > max) out = out.slice(0, -1)
  return out
}

const ipPattern = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]{2,45})$/i

/**
 * The keyed hashes of an address, remembered for the length of an import: an export repeats the
 * same commenters thousands of times. Bounded, so that memory stays flat on any file.
 */
export class EmailKeys {
  private readonly known = new Map<string, Promise<{ hash: string; avatar: number }>>()

  constructor(private readonly secrets: Secrets) {}

  get(email: string): Promise<{ hash: string; avatar: number }> {
    const normalized = normalizeEmail(email)
    let keys = this.known.get(normalized)
    if (!keys) {
      if (this.known.size >= 10_000) this.known.clear()
      keys = Promise.all([this.secrets.emailHash(normalized), this.secrets.avatar(normalized)]).then(([hash, avatar]) => ({ hash, avatar }))
      this.known.set(normalized, keys)
    }
    return keys
  }
}

/**
 * A comment as it will be stored, through the same cleaning as a submitted one: control
 * characters out, WordPress's length limits for the name, http(s) URLs only, the body rendered
 * and sanitized by the one renderer, the email encrypted and hashed with the site's secret.
 */
export async function stageComment(seq: number, record: CommentRecord, secrets: Secrets, keys: EmailKeys, warn: (problem: RecordProblem) => void): Promise<StagedComment> {
  const name = truncateBytes(cleanText(record.authorName, { multiline: false }).trim(), limits.name)
  const rawUrl = cleanText(record.authorUrl ?? '', { multiline: false }).trim()
  const url = rawUrl ? normalizeUrl(rawUrl) : null
  if (url === undefined) warn({ record: 'comment', id: record.ref, reason: 'its author URL is not an http(s) URL: dropped' })
  const email = cleanText(record.email ?? '', { multiline: false }).trim() || null
  const body = cleanText(record.body, { multiline: true }).trim()
  const ip = record.ip && ipPattern.test(record.ip.trim()) ? record.ip.trim() : null
  const [emailEncrypted, emailKeys] = email ? await Promise.all([secrets.encryptEmail(email), keys.get(email)]) : [null, null]
  return {
    seq,
    ref: record.ref,
    source: record.source,
    source_id: record.sourceId,
    article_ref: record.articleRef,
    parent_ref: record.parentRef,
    preferred_id: record.preferredId !== null && record.preferredId >= 1 && record.preferredId <= MAX_ID ? record.preferredId : null,
    status: record.status,
    author_name: name,
    author_url: url && byteLength(url) <= limits.url ? url : null,
    email_encrypted: emailEncrypted,
    email_hash: emailKeys?.hash ?? null,
    avatar: emailKeys?.avatar ?? null,
    ip,
    user_agent: record.userAgent === null ? null : cleanText(record.userAgent, { multiline: false }).slice(0, 1000) || null,
    body,
    html: renderBody(body),
    checks: record.checks,
    moderator_email: record.moderatorEmail,
    created_at: record.createdAt.toISOString(),
    edited_at: record.editedAt?.toISOString() ?? null,
  }
}
