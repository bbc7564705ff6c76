import type { AppConfig } from '../config.js'
import { readAtMost } from '../net/read-at-most.js'

export type AkismetConfig = NonNullable<AppConfig['akismet']>
export type AkismetVerdict = { kind: 'spam' } | { kind: 'ham' } | { kind: 'unknown'; reason: string }

/** The fields Akismet's comment-check, submit-spam and submit-ham all take. */
export interface AkismetComment {
  userIp: string | null
  userAgent: string | null
  referrer: string | null
  permalink: string | null
  isReply: boolean
  author: string
  email: string | null
  url: string | null
  content: string
  createdAt: Date
  honeypot: string
}

const REQUEST_TIMEOUT_MS = 4000

function form(config: AkismetConfig, comment: AkismetComment): URLSearchParams {
  const fields = new URLSearchParams({
    api_key: config.key,
    blog: config.blog,
    user_ip: comment.userIp ?? '',
    user_agent: comment.userAgent ?? '',
    referrer: comment.referrer ?? '',
    permalink: comment.permalink ?? '',
    comment_type: comment.isReply ? 'reply' : 'comment',
    comment_author: comment.author,
    comment_author_email: comment.email ?? '',
    comment_author_url: comment.url ?? '',
    comment_content: comment.content,
    comment_date_gmt: comment.createdAt.toISOString(),
    honeypot_field_name: 'hp',
    hp: comment.honeypot,
  })
  return fields
}

async function post(
  config: AkismetConfig,
  path: string,
  body: URLSearchParams,
): Promise<{ status: number; text: string; help: string | null }> {
  const res = await fetch(`${config.url}/1.1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'Parley/1 | Akismet/1.1' },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  return { status: res.status, text: (await readAtMost(res, 64 * 1024)).trim(), help: res.headers.get('x-akismet-debug-help') }
}

/** comment-check: `true` is spam, `false` is ham, anything else (invalid key, 5xx, no answer) is unknown. */
export async function akismetCheck(config: AkismetConfig, comment: AkismetComment): Promise<AkismetVerdict> {
  try {
    const answer = await post(config, 'comment-check', form(config, comment))
    if (answer.status === 200 && answer.text === 'true') return { kind: 'spam' }
    if (answer.status === 200 && answer.text === 'false') return { kind: 'ham' }
    const detail = answer.help ? `: ${answer.help}` : ''
    return { kind: 'unknown', reason: `answered ${answer.status} "${answer.text.slice(0, 40)}"${detail}` }
  } catch (error) {
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) }
  }
}

/** submit-spam / submit-ham: a moderator's decision, to teach Akismet. True when Akismet thanked us. */
export async function akismetSubmit(config: AkismetConfig, kind: 'spam' | 'ham', comment: AkismetComment): Promise<boolean> {
  const answer = await post(config, kind === 'spam' ? 'submit-spam' : 'submit-ham', form(config, comment))
  return answer.status === 200
}
