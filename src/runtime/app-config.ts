import type { AppConfig, MailConfig, OidcConfig, SsoConfig, TrustedProxyHeader } from '../config.js'
import { parseLogLevel, type LogLevel } from '../logger.js'

/** Configuration as text, whichever runtime holds it (Node's process.env, a Worker's vars and secrets). */
export type ConfigVars = Readonly<Record<string, string | undefined>>

export function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, not "${value}"`)
  return parsed
}

function trustProxyFrom(value: string | undefined): TrustedProxyHeader | null {
  if (!value) return null
  const lower = value.toLowerCase()
  if (lower === 'x-forwarded-for' || lower === 'cf-connecting-ip') return lower
  throw new Error(`TRUST_PROXY must be x-forwarded-for or cf-connecting-ip, not "${value}"`)
}

/** The default email API: Resend's, one JSON POST per message (https://resend.com/docs/api-reference/emails/send-email). */
export const RESEND_API_URL = 'https://api.resend.com/emails'

/** SMTP_URL as the transport will read it: smtp or smtps, a host, user and password percent-encoded. Never echoed (it holds a password). */
function checkSmtpUrl(smtpUrl: string): void {
  const example = 'a URL such as smtp://user:password@mail.example:587 or smtps://…:465'
  let url: URL
  try {
    url = new URL(smtpUrl)
  } catch {
    throw new Error(`SMTP_URL must be ${example}`)
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) throw new Error(`SMTP_URL must be ${example}`)
  try {
    decodeURIComponent(url.username)
    decodeURIComponent(url.password)
  } catch {
    throw new Error('SMTP_URL: percent-encode the user and password (a % must be followed by two hex digits, as %25 for % itself)')
  }
}

function mailFrom(env: ConfigVars): MailConfig | null {
  const smtpUrl = env.SMTP_URL || null
  const key = env.PARLEY_MAIL_API_KEY || null
  if (!smtpUrl && !key) return null
  if (smtpUrl) checkSmtpUrl(smtpUrl)
  const from = env.PARLEY_MAIL_FROM
  if (!from) throw new Error('PARLEY_MAIL_FROM must be set with SMTP_URL or PARLEY_MAIL_API_KEY, e.g. "Comments <comments@example.com>"')
  // An address, bare or in angle brackets after a name: anything else would leave mail without a sender.
  if (!/^(?:[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/.test(from.trim())) {
    throw new Error(`PARLEY_MAIL_FROM must be an email address, e.g. "Comments <comments@example.com>", not "${from}"`)
  }
  const apiUrl = env.PARLEY_MAIL_API_URL || RESEND_API_URL
  try {
    new URL(apiUrl)
  } catch {
    throw new Error(`PARLEY_MAIL_API_URL must be a URL, not "${apiUrl}"`)
  }
  return {
    from,
    smtpUrl,
    api: key ? { key, url: apiUrl } : null,
    coalesceMinutes: intFrom(env.PARLEY_MAIL_COALESCE_MINUTES, 15, 'PARLEY_MAIL_COALESCE_MINUTES'),
  }
}

/** PARLEY_SSO_*: a secret long enough for HS256, or a key set's URL with the issuer and audience its tokens must name. */
function ssoFrom(env: ConfigVars): SsoConfig | null {
  const secret = env.PARLEY_SSO_SECRET || null
  const jwksUrl = env.PARLEY_SSO_JWKS_URL || null
  if (!secret && !jwksUrl) return null
  if (secret && new TextEncoder().encode(secret).length < 32)
    throw new Error('PARLEY_SSO_SECRET must be at least 32 bytes (`openssl rand -base64 48`): HS256 with a short secret can be guessed')
  const issuer = env.PARLEY_SSO_ISSUER || null
  const audience = env.PARLEY_SSO_AUDIENCE || null
  if (jwksUrl) {
    let url: URL
    try {
      url = new URL(jwksUrl)
    } catch {
      throw new Error(`PARLEY_SSO_JWKS_URL must be a URL such as https://login.example/.well-known/jwks.json, not "${jwksUrl}"`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('PARLEY_SSO_JWKS_URL must be an https URL')
    // A provider's keys sign tokens for many applications: only the ones for this site, from it, are taken.
    if (!issuer || !audience)
      throw new Error('PARLEY_SSO_JWKS_URL needs PARLEY_SSO_ISSUER and PARLEY_SSO_AUDIENCE: the iss and aud of the tokens for Parley')
  }
  return { secret, jwksUrl, issuer, audience }
}

function oidcEmailVerified(value: string | undefined): boolean {
  if (!value || value === 'require') return true
  if (value === 'assume') return false
  throw new Error(`PARLEY_OIDC_EMAIL_VERIFIED is \`require\` (the default) or \`assume\`, not "${value}"`)
}

/** PARLEY_OIDC_*: an issuer URL and a client id, or nothing. */
function oidcFrom(env: ConfigVars): OidcConfig | null {
  const issuer = env.PARLEY_OIDC_ISSUER || null
  const clientId = env.PARLEY_OIDC_CLIENT_ID || null
  if (!issuer && !clientId) return null
  if (!issuer || !clientId)
    throw new Error('PARLEY_OIDC_ISSUER and PARLEY_OIDC_CLIENT_ID go together: the provider, and Parley as its client')
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new Error(`PARLEY_OIDC_ISSUER must be a URL such as https://login.example, not "${issuer}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('PARLEY_OIDC_ISSUER must be an https URL')
  return {
    issuer,
    clientId,
    clientSecret: env.PARLEY_OIDC_CLIENT_SECRET || null,
    roleClaim: env.PARLEY_OIDC_ROLE_CLAIM || 'parley_role',
    adminValue: env.PARLEY_OIDC_ADMIN_VALUE || 'admin',
    moderatorValue: env.PARLEY_OIDC_MODERATOR_VALUE || 'moderator',
    label: env.PARLEY_OIDC_LABEL || "Sign in with your organisation's account",
    requireVerifiedEmail: oidcEmailVerified(env.PARLEY_OIDC_EMAIL_VERIFIED),
  }
}

/** The settings every runtime shares (API.md, Configuration); a value that makes no sense stops the start. */
export function readAppConfig(env: ConfigVars): AppConfig & { logLevel: LogLevel } {
  const publicUrl = env.PARLEY_PUBLIC_URL || null
  if (publicUrl) {
    try {
      new URL(publicUrl)
    } catch {
      throw new Error(`PARLEY_PUBLIC_URL must be a URL such as https://comments.example, not "${publicUrl}"`)
    }
  }
  const mail = mailFrom(env)
  if (mail && !publicUrl)
    throw new Error("PARLEY_PUBLIC_URL must be set when mail is on (SMTP_URL, PARLEY_MAIL_API_KEY): emailed links need Parley's address")
  return {
    dbTimeoutMs: intFrom(env.DB_TIMEOUT_MS, 2000, 'DB_TIMEOUT_MS') || 2000,
    cacheMaxAge: intFrom(env.PARLEY_CACHE_MAX_AGE, 10, 'PARLEY_CACHE_MAX_AGE'),
    publicUrl,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    akismet:
      env.AKISMET_KEY && env.AKISMET_BLOG
        ? { key: env.AKISMET_KEY, blog: env.AKISMET_BLOG, url: (env.AKISMET_URL || 'https://rest.akismet.com').replace(/\/+$/, '') }
        : null,
    turnstile: env.TURNSTILE_SECRET
      ? {
          secret: env.TURNSTILE_SECRET,
          url: env.TURNSTILE_URL || 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
          siteKey: env.TURNSTILE_SITE_KEY || null,
          ...(env.TURNSTILE_SCRIPT_URL ? { scriptUrl: env.TURNSTILE_SCRIPT_URL } : {}),
        }
      : null,
    allowPrivateTargets: env.PARLEY_ALLOW_PRIVATE_TARGETS === '1',
    webhookTimeoutMs: intFrom(env.WEBHOOK_TIMEOUT_MS, 10_000, 'WEBHOOK_TIMEOUT_MS') || 10_000,
    importMaxBytes: (intFrom(env.PARLEY_IMPORT_MAX_MB, 256, 'PARLEY_IMPORT_MAX_MB') || 256) * 2 ** 20,
    importIdleMs: (intFrom(env.PARLEY_IMPORT_IDLE_SECONDS, 30, 'PARLEY_IMPORT_IDLE_SECONDS') || 30) * 1000,
    sessions: {
      idleSeconds: (intFrom(env.SESSION_IDLE_MINUTES, 120, 'SESSION_IDLE_MINUTES') || 120) * 60,
      maxSeconds: (intFrom(env.SESSION_MAX_HOURS, 12, 'SESSION_MAX_HOURS') || 12) * 3600,
    },
    mail,
    sso: ssoFrom(env),
    oidc: oidcFrom(env),
    logLevel: parseLogLevel(env.LOG_LEVEL),
  }
}
