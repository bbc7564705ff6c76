import { AppError } from '../errors.js'
import type { Identity } from '../identity/identity-claims.js'
import { effectivePolicy, type CommentPolicy } from '../settings/comment-policy.js'
import type { CommentContext } from './comment-context.js'
import type { VerifiedReader } from '../identity/publisher-tokens.js'
import { wordpressMessages as messages } from './wordpress-messages.js'
import { byteLength, cleanLine } from './clean-text.js'
import { isEmail } from './is-email.js'
import { limits } from './submission-rules.js'

/** The reader the site's token names; a token that does not verify is refused, never taken as a guest's post. */
export async function signedIn(ctx: Pick<CommentContext, 'identity' | 'settings' | 'now'>, token: string): Promise<VerifiedReader> {
  if (!ctx.identity)
    throw new AppError('identity_invalid', 'This site does not sign its readers in to comment: post without an identity token.')
  return ctx.identity.verify(token, ctx.settings.identityClaims, ctx.now)
}

/** Who may comment on the article (its own policy, else the site's), as WordPress's "must be logged in". */
export function policyRefusal(articlePolicy: string | null, sitePolicy: CommentPolicy, identity: Identity | null): AppError | undefined {
  const policy = effectivePolicy(articlePolicy, sitePolicy)
  if (policy === 'anyone') return undefined
  if (!identity) return new AppError('login_required', messages.loginRequired)
  if (policy === 'subscribers' && !identity.subscriber) return new AppError('subscription_required', messages.subscribersOnly)
  return undefined
}

/**
 * The name and email a signed-in reader's comment takes: the token's, fitted to what a comment
 * keeps (WordPress's limits, in bytes) rather than refused, since the reader was never shown the
 * fields to correct them: a name past 245 bytes is cut at a character, an address past 100 bytes or
 * one WordPress would not take is left out (the comment then has none, as a guest's may not).
 */
export function commenterOfIdentity(identity: Identity): { name: string; email: string } {
  const name = cleanLine(identity.name ?? '')
  let fitted = ''
  for (const char of name) {
    if (byteLength(fitted + char) > limits.name) break
    fitted += char
  }
  const email = cleanLine(identity.email ?? '')
  return { name: fitted.trim(), email: email && byteLength(email) <= limits.email && isEmail(email) ? email : '' }
}
