import type { ErrorCode, FieldCode } from '../errors.js'

/**
 * Every code a client can meet (src/errors.ts), each with the one sentence that is its description
 * in the OpenAPI document (as Remark42's rest/httperrors.go, one line per code): here, out of the
 * Worker's bundle, which serves the document built into its static assets. The status in brackets
 * is the one the code is answered with.
 */
export const problemWords: Readonly<Record<ErrorCode, readonly [number, string]>> = {
  validation_failed: [422, 'A parameter, field or the body is not valid; `errors` names each field and what is wrong with it.'],
  malformed_json: [400, 'The body is not valid JSON.'],
  malformed_form: [400, "The plain form's body could not be read (a multipart body without its boundary, say)."],
  unsupported_media_type: [
    415,
    'The body is not of a content type this route reads (JSON on the API, a form on /comment-form, XML or JSON for imports).',
  ],
  unsupported_encoding: [415, "The body's `Content-Encoding` is not one Parley decodes (gzip and deflate are; `Accept-Encoding` says so)."],
  payload_too_large: [413, 'The body is larger than 1 MiB (imports: PARLEY_IMPORT_MAX_MB).'],
  request_timeout: [
    408,
    "The request stopped arriving: an import's upload sent nothing for PARLEY_IMPORT_IDLE_SECONDS, or Node's own time for the headers or the whole request ran out.",
  ],
  client_closed: [400, "The client closed the connection before its request's body had all arrived (an answer nobody reads)."],
  malformed_request: [400, 'Not an HTTP request Node can read (a broken request line or header), answered before Parley sees it.'],
  headers_too_large: [431, "The request's headers are larger than Node accepts (16 KiB), answered before Parley sees it."],
  identity_invalid: [
    401,
    "The reader's identity token (`identityToken`, the form's `parley_identity`) is not one the site signed for Parley, or it has expired: ask the site for a fresh one.",
  ],
  login_required: [
    403,
    'The article takes comments from readers signed in with the site (`commentPolicy`): log in, then post with its identity token.',
  ],
  subscription_required: [403, "The article takes comments from the site's subscribers only (`commentPolicy` `subscribers`)."],
  commenter_banned: [
    403,
    'A moderator has banned this commenter (by email, account, address, network or email domain), and the site refuses their comments (`bannedComments`).',
  ],
  votes_off: [403, 'Readers cannot vote on this site (setting `votes` is off).'],
  comments_closed: [403, 'The article takes no more comments (closed by a moderator, or older than `closeAfterDays`).'],
  article_not_found: [404, 'No article has this key, and a first comment may not register one (`registerArticles` is off).'],
  parent_not_found: [422, 'The comment replied to is not an approved comment of this article.'],
  duplicate_comment: [409, 'The same comment (article, parent, author and text) was posted before.'],
  too_fast: [429, 'Posting, editing, reporting or voting too quickly; `Retry-After` says when to try again.'],
  not_found: [404, 'Nothing is here: no such comment, moderator, webhook or path (also a comment the token does not open).'],
  method_not_allowed: [405, 'The path exists, but not with this method; `Allow` lists the methods it takes.'],
  token_required: [401, 'Editing or withdrawing a comment needs the token that came with it.'],
  forbidden: [403, "Not allowed: a role too low, another comment's token, or a request from an origin that is not allowed."],
  edit_window_closed: [403, "The author's time to edit or withdraw the comment (`editWindowSeconds`) has passed."],
  unauthenticated: [401, 'No valid moderator session: sign in (bearer token or session cookie).'],
  invalid_credentials: [401, 'The email or password is not right (the same answer for both).'],
  too_many_attempts: [429, 'Too many failed logins for this account or network; `Retry-After` says when to try again.'],
  internal_error: [500, "Something failed on Parley's side; nothing more is said."],
  unavailable: [503, 'The database is unreachable or saturated; `Retry-After` says when to try again.'],
  not_implemented: [501, 'Not on this deployment: imports over HTTP on Cloudflare Workers (use `npm run import`).'],
}

/** A field error's codes: one vocabulary whichever layer finds the fault. */
export const fieldWords: Readonly<Record<FieldCode, string>> = {
  required: 'Missing, null or empty, and required.',
  invalid_type: 'Of the wrong type (text where a number belongs, say).',
  invalid_value: 'Not one of the values this field takes.',
  invalid_format: 'Text that does not have the form this field takes (an article key, an origin, a cursor).',
  too_long: 'Text longer, or a list with more items, than this field takes.',
  too_short: 'Text shorter, or a list with fewer items, than this field takes.',
  too_large: 'A number above the largest this field takes.',
  too_small: 'A number below the smallest this field takes.',
  unknown_field: 'Not a field of this object (where unknown fields are refused rather than ignored).',
  invalid_email: 'Not a valid email address.',
  invalid_url: 'Not a valid http or https URL, or one Parley cannot use.',
  origin_not_allowed: "A URL whose origin is not in `allowedOrigins` (nor Parley's own).",
  private_target: 'A webhook or filter URL that reaches a private, loopback or link-local address.',
  too_much_markup: 'A comment with more HTML tags than Parley renders.',
  invalid_cursor: 'A cursor this API did not give out.',
  same_key: 'A move to the key the article already has.',
  email_taken: 'Another moderator signs in with this email.',
  last_admin: 'The change would leave no active admin.',
  not_well_formed: 'An import file that does not parse; the message gives the line and column.',
  unknown_format: 'An import file that is neither a WordPress, Disqus nor Parley export.',
}
