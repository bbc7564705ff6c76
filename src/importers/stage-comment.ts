import type { Secrets } from '../crypto/secrets.js'
import { normalizeEmail } from '../crypto/secrets.js'
import { byteLength, cleanBody, cleanLine, cleanText } from '../comments/clean-text.js'
import { renderBody } from '../comments/render-body.js'
import { MAX_TAGS, countTags, limits } from '../comments/submission-rules.js'
import { normalizeUrl } from '../net/normalize-url.js'
import { MAX_ID } from '../db/max-id.js'
import type { CommentRecord } from './import-records.js'
import type { StagedComment } from './staging-tables.js'

/** Cuts text to at most `max` UTF-8 bytes, never inside a character. */
function truncateBytes(value: string, max: number): string {
  if (value.length * 3 <= max) return value
  const bytes = new TextEncoder().encode(value)
  if (bytes.length <= max) return value
  let end = max
  // The first byte left out continues a character begun before it: leave that character out too.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
  return new TextDecoder().decode(bytes.subarray(0, end))
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

/** What staging a comment needs besides the record. */
export interface StageContext {
  secrets: Secrets
  keys: EmailKeys
  /** The import's time: the date of a comment that has none. */
  now: Date
}

/**
 * Who the comment is, for a comment that came without an id: its source, author, date as the file
 * gives it and text, hashed, so that importing the same file again knows it.
 */
async function fingerprint(record: CommentRecord): Promise<string> {
  const identity = JSON.stringify([record.source, record.authorName, record.createdAt?.toISOString() ?? null, record.body])
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(identity)))
  return `sha256:${Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/**
 * A comment as it will be stored, through the same cleaning as a submitted one (cleanLine,
 * cleanBody: NFC lines, LF line ends, no control characters or noncharacters), so that it is stored
 * alike whichever format brought it; WordPress's length limits for the name, URL and text, http(s) URLs only, the
 * body rendered and sanitized by the one renderer, the email encrypted and hashed with the
 * site's secret. Every change to what the file says is a warning, kept with the staged row
 * beside the reader's (reported only if the comment is imported): a name or text cut to
 * WordPress's limit (a text over 65,525 bytes is cut rather than refused: its author, date and
 * place in the thread, and its replies, are kept), a URL or IP dropped, a missing date, markup
 * past MAX_TAGS shown as text.
 */
export async function stageComment(seq: number, record: CommentRecord, context: StageContext): Promise<StagedComment> {
  const warnings = [...record.warnings]
  const problem = (reason: string) => warnings.push(reason)
  const fullName = cleanLine(record.authorName)
  const name = truncateBytes(fullName, limits.name)
  if (name !== fullName) problem(`its author name is longer than ${limits.name} bytes: cut to them`)
  const rawUrl = cleanLine(record.authorUrl ?? '')
  const url = rawUrl ? normalizeUrl(rawUrl) : null
  if (url === undefined) problem('its author URL is not an http(s) URL: dropped')
  else if (url && byteLength(url) > limits.url) problem(`its author URL is longer than ${limits.url} bytes: dropped`)
  const email = cleanLine(record.email ?? '') || null
  const fullBody = cleanBody(record.body)
  const body = truncateBytes(fullBody, limits.body)
  if (body !== fullBody) problem(`its text is longer than ${limits.body.toLocaleString('en-US')} bytes (WordPress's limit): cut to them`)
  // A submission with this much markup is refused (the sanitizer's time grows with the square of
  // unclosed tags); history is kept, its markup shown as text.
  const markup = countTags(body) > MAX_TAGS
  if (markup) problem(`its text holds more than ${MAX_TAGS} tags: shown as text`)
  const rawIp = record.ip?.trim() ?? ''
  const ip = rawIp && ipPattern.test(rawIp) ? rawIp : null
  if (rawIp && !ip) problem('its IP address is not one: dropped')
  const rawAgent = record.userAgent === null ? '' : cleanText(record.userAgent, { multiline: false })
  if (rawAgent.length > 1000) problem('its user agent is longer than 1,000 characters: cut to them')
  if (!record.createdAt) problem('it has no valid date: dated at the import, as WordPress does')
  const [emailEncrypted, emailKeys] = email
    ? await Promise.all([context.secrets.encryptEmail(email), context.keys.get(email)])
    : [null, null]
  return {
    seq,
    ref: record.ref,
    source: record.source,
    source_site: record.sourceSite,
    source_id: record.sourceId ?? (await fingerprint(record)),
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
    user_agent: rawAgent.slice(0, 1000) || null,
    body,
    html: renderBody(markup ? body.replaceAll('<', '&lt;') : body),
    // Free text from the file (a Parley export's filter verdicts): cleaned like any, NUL included.
    checks: record.checks.map((check) => ({ ...check, filter: cleanLine(check.filter), reason: cleanLine(check.reason) })),
    moderator_email: record.moderatorEmail === null ? null : cleanLine(record.moderatorEmail),
    created_at: (record.createdAt ?? context.now).toISOString(),
    undated: record.createdAt === null,
    edited_at: record.editedAt?.toISOString() ?? null,
    warnings,
  }
}
