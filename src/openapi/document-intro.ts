/**
 * What holds for every route, said once at the top of the OpenAPI document (its `info.description`):
 * the answers that belong to no one operation.
 */
export const documentIntro = [
  "Parley's HTTP API: the widget's public routes, the plain form, moderation and administration.",
  '',
  '**Errors** are RFC 9457 problem details (`application/problem+json`, the `Problem` schema) with a stable `code`; ' +
    "`validation_failed` lists each field's problem in `errors`, whose codes come from one vocabulary (`FieldError`). " +
    'Every operation lists the statuses it can answer; 5xx bodies say only `internal_error` or `unavailable`.',
  '',
  '**405 `method_not_allowed`**: a path of this document asked with a method it does not list answers 405, with `Allow` ' +
    'naming the methods it takes (`HEAD` wherever `GET` is). Any other unknown path answers 404 `not_found`.',
  '',
  '**Compressed bodies**: a request body may come with `Content-Encoding: gzip` or `deflate`; the size limits (1 MiB, ' +
    'imports PARLEY_IMPORT_MAX_MB) count it decompressed (413 beyond). Another coding is 415 `unsupported_encoding` with `Accept-Encoding`.',
  '',
  '**HEAD** is answered as `GET`, without the body. **CORS**: `/api/` routes answer preflights (`OPTIONS`) and allow the ' +
    "origins in the `allowedOrigins` setting (and Parley's own), exposing `ETag`, `Location`, `Retry-After` and `WWW-Authenticate`.",
  '',
  "**Who may call what**: each operation's `security`. Moderators sign in with `POST /api/v1/auth/login` and send its token " +
    '(`moderatorToken`) or the session cookie it sets (`moderatorSession`); the role a route needs is listed with it. ' +
    "A comment's author holds its token (`commentToken`). Everything else is public.",
].join('\n')
