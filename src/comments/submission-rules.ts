import { normalizeUrl } from '../net/normalize-url.js'
import { validationError, type FieldError } from '../errors.js'
import type { Settings } from '../settings/settings-schema.js'
import { byteLength, cleanBody, cleanLine } from './clean-text.js'
import { isEmail } from './is-email.js'
import { wordpressMessages as messages } from './wordpress-messages.js'

/** A submission as it arrives, from JSON or from the plain form. */
export interface RawSubmission {
  body?: string
  name?: string
  email?: string
  url?: string
}

export interface CleanSubmission {
  body: string
  name: string
  email: string | null
  url: string | null
}

// WordPress's column sizes (wp_get_comment_column_max_length), in bytes.
export const limits = { name: 245, email: 100, url: 200, body: 65525 } as const

/**
 * The most tags (anything that starts like one: `<b`, `</i`, `<!`) a body may hold. The sanitizer
 * costs time quadratic in unclosed nested tags (21,666 `<b>` took a second of CPU); no comment a
 * person writes comes near this, and below it rendering stays within milliseconds.
 */
export const MAX_TAGS = 500

/** How many tag openings the text holds, counted without a regular expression over the whole body. */
export function countTags(text: string): number {
  let tags = 0
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    if (/[a-z/!?]/i.test(text.charAt(at + 1))) tags++
  }
  return tags
}

/** The body's own problem, if any: empty, too long for WordPress's column, or too much markup. */
function bodyError(body: string): FieldError | undefined {
  if (!body) return { field: 'body', code: 'required', message: messages.requireValidComment }
  if (byteLength(body) > limits.body) return { field: 'body', code: 'too_long', message: messages.commentTooLong }
  if (countTags(body) > MAX_TAGS) return { field: 'body', code: 'too_much_markup', message: messages.tooMuchMarkup }
  return undefined
}

/** WordPress's rules for a new comment (wp_handle_comment_submission), with its messages. */
export function checkSubmission(raw: RawSubmission, settings: Pick<Settings, 'requireNameEmail'>): CleanSubmission {
  const body = cleanBody(raw.body ?? '')
  const name = cleanLine(raw.name ?? '')
  const email = cleanLine(raw.email ?? '')
  const urlInput = cleanLine(raw.url ?? '')
  const errors: FieldError[] = []

  if (settings.requireNameEmail) {
    if (!name) errors.push({ field: 'name', code: 'required', message: messages.requireNameEmail })
    if (!email) errors.push({ field: 'email', code: 'required', message: messages.requireNameEmail })
  }
  if (byteLength(name) > limits.name) errors.push({ field: 'name', code: 'too_long', message: messages.nameTooLong })
  if (byteLength(email) > limits.email) errors.push({ field: 'email', code: 'too_long', message: messages.emailTooLong })
  else if (email && !isEmail(email)) errors.push({ field: 'email', code: 'invalid_email', message: messages.requireValidEmail })

  let url: string | null = null
  if (urlInput) {
    const normalized = normalizeUrl(urlInput)
    if (byteLength(urlInput) > limits.url || (normalized && byteLength(normalized) > limits.url)) {
      errors.push({ field: 'url', code: 'too_long', message: messages.urlTooLong })
    } else if (!normalized) errors.push({ field: 'url', code: 'invalid_url', message: messages.invalidUrl })
    else url = normalized
  }

  const problem = bodyError(body)
  if (problem) errors.push(problem)

  if (errors.length > 0) throw validationError(errors)
  return { body, name, email: email || null, url }
}

/** An edit changes only the text: the same body rules. */
export function checkBody(raw: string | undefined): string {
  const body = cleanBody(raw ?? '')
  const problem = bodyError(body)
  if (problem) throw validationError([problem])
  return body
}
