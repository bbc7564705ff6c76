import type { Security } from './openapi-routes.js'

/**
 * The three ways a request proves who sends it (OpenAPI `securitySchemes`). A moderator's token and
 * session cookie open the moderation and admin routes; a comment's token opens only that comment.
 */
export const securitySchemes = {
  moderatorToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The `token` that `POST /api/v1/auth/login` answers, as `Authorization: Bearer <token>`. ' +
      'The requirement lists the role it needs: `moderator` (admins too) or `admin`.',
  },
  moderatorSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'parley_session',
    description:
      "The HttpOnly, SameSite=Strict session cookie that login sets (the dashboard's); `__Host-parley_session` where Parley " +
      'is served over https (then only that name is read). A request that changes ' +
      "something with it must come from Parley's own origin (`Origin`, or `Sec-Fetch-Site: same-origin`), else 403.",
  },
  commentToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The `token` that came with a submitted comment (201), as `Authorization: Bearer <token>`: its holder may read ' +
      'that comment while it is held, and edit or withdraw it within `editWindowSeconds`.',
  },
} as const

/** A signed-in moderator of at least `role`, by token or by cookie. */
export const moderatorSecurity = (role: 'moderator' | 'admin'): Security => [{ moderatorToken: [role] }, { moderatorSession: [role] }]

/** The comment's own token. */
export const commentTokenSecurity: Security = [{ commentToken: [] }]

/** Anyone; the comment's token shows more (a held comment). */
export const optionalCommentTokenSecurity: Security = [{}, { commentToken: [] }]
