/**
 * The deployment's configuration as the runtime read it (environment variables, wrangler vars): a
 * plain value at the bottom of the layers, so a rule can take the part it needs without the
 * runtime's `Deps`.
 */

export interface SessionLimits {
  /** A session unused for this long ends. */
  idleSeconds: number
  /** A session ends this long after login, however busy. */
  maxSeconds: number
}

export type TrustedProxyHeader = 'x-forwarded-for' | 'cf-connecting-ip'

export interface AppConfig {
  /** PARLEY_PUBLIC_URL: Parley's own origin when set; otherwise the request's scheme and Host. */
  publicUrl: string | null
  /**
   * The port this Node process listens on (PORT, as bound). Without PARLEY_PUBLIC_URL, a request to
   * http://localhost (127.0.0.1, [::1]) on this port is taken to reach Parley itself, whose origin
   * then vouches for article URLs (the zero-configuration demo); any other loopback port is some
   * other program's. Absent (Workers, tests): no loopback origin vouches for anything.
   */
  listenPort?: number
  /** TRUST_PROXY: the one header that carries the client's IP; any other is ignored. */
  trustProxy: TrustedProxyHeader | null
  /** `max-age` of cacheable public reads, in seconds. */
  cacheMaxAge: number
  /** DB_TIMEOUT_MS: a request that waits longer than this for the database gets 503. */
  dbTimeoutMs: number
  /** SESSION_IDLE_MINUTES and SESSION_MAX_HOURS. */
  sessions: SessionLimits
  /** AKISMET_KEY, AKISMET_BLOG, AKISMET_URL: Akismet runs when key and blog are set. */
  akismet: { key: string; blog: string; url: string } | null
  /**
   * TURNSTILE_SECRET, TURNSTILE_URL: Turnstile runs when the secret is set. TURNSTILE_SITE_KEY
   * (public) lets the widget and /demo/plain render the challenge; TURNSTILE_SCRIPT_URL is where
   * its api.js is loaded from (Cloudflare's by default).
   */
  turnstile: { secret: string; url: string; siteKey?: string | null; scriptUrl?: string } | null
  /** PARLEY_ALLOW_PRIVATE_TARGETS=1: webhooks and the filter may reach loopback and private addresses. */
  allowPrivateTargets: boolean
  /** WEBHOOK_TIMEOUT_MS: how long one webhook delivery may take before it counts as failed (default 10 000). */
  webhookTimeoutMs?: number
  /** PARLEY_IMPORT_MAX_MB, in bytes: the largest export `POST /api/v1/admin/import` accepts (default 256 MiB). */
  importMaxBytes?: number
  /** PARLEY_IMPORT_IDLE_SECONDS, in milliseconds: an import upload that sends nothing this long is answered 408 (default 30 s). */
  importIdleMs?: number
  /** Outgoing mail for notifications (issue 17); absent or null: notifications are off. */
  mail?: MailConfig | null
  /** Readers signed in with the site (issue 19); absent or null: guests only. */
  sso?: SsoConfig | null
  /** Moderators signed in through the site's identity provider (issue 19); absent or null: passwords only. */
  oidc?: OidcConfig | null
}

/** PARLEY_OIDC_*: the OpenID Connect provider moderators may sign in with, beside their passwords. */
export interface OidcConfig {
  /** PARLEY_OIDC_ISSUER: the provider's issuer; its metadata is at `/.well-known/openid-configuration` under it. */
  issuer: string
  /** PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET (none: a public client, PKCE alone). */
  clientId: string
  clientSecret: string | null
  /** PARLEY_OIDC_ROLE_CLAIM (default `parley_role`): the ID token's claim that gives the role. */
  roleClaim: string
  /** PARLEY_OIDC_ADMIN_VALUE and PARLEY_OIDC_MODERATOR_VALUE (default `admin`, `moderator`): its values for each role. */
  adminValue: string
  moderatorValue: string
  /** PARLEY_OIDC_LABEL: the sign-in button's words (default "Sign in with your organisation's account"). */
  label: string
  /**
   * The ID token must say `email_verified: true`; PARLEY_OIDC_EMAIL_VERIFIED=assume takes a token
   * without the claim (Entra ID sends none), for a provider whose users cannot set their own address.
   */
  requireVerifiedEmail: boolean
}

/** PARLEY_SSO_*: how the site signs its readers' identity tokens. */
export interface SsoConfig {
  /** PARLEY_SSO_SECRET: HS256's shared secret (at least 32 bytes). */
  secret: string | null
  /** PARLEY_SSO_JWKS_URL: the identity provider's public keys (RS256, ES256, EdDSA…). */
  jwksUrl: string | null
  /** PARLEY_SSO_ISSUER and PARLEY_SSO_AUDIENCE: `iss` and `aud` as the tokens must carry them (required with a key set). */
  issuer: string | null
  audience: string | null
}

/**
 * SMTP_URL (Node) or PARLEY_MAIL_API_KEY (an email API's JSON POST, for Workers), and the sender
 * PARLEY_MAIL_FROM that either needs. PARLEY_MAIL_API_URL points the API elsewhere (a loopback
 * stand-in in tests); PARLEY_MAIL_COALESCE_MINUTES is how long a reader's thread emails gather.
 */
export interface MailConfig {
  from: string
  smtpUrl: string | null
  api: { key: string; url: string } | null
  coalesceMinutes: number
}
