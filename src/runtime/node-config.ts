import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { AppConfig, TrustedProxyHeader } from '../deps.js'
import { parseLogLevel, type LogLevel } from '../logger.js'

export interface NodeConfig extends AppConfig {
  port: number
  databaseUrl: string | null
  dataDir: string
  poolMax: number
  logLevel: LogLevel
  /** JOBS_INTERVAL_MS: how often runJobs runs in this process. */
  jobsIntervalMs: number
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
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

/** Reads the environment (API.md, Configuration); a value that makes no sense stops the start. */
export function readNodeConfig(env: NodeJS.ProcessEnv): NodeConfig {
  const publicUrl = env.PARLEY_PUBLIC_URL || null
  if (publicUrl) new URL(publicUrl)
  return {
    port: intFrom(env.PORT, 8787, 'PORT'),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.PARLEY_DATA_DIR || './.parley',
    poolMax: intFrom(env.DB_POOL_MAX, 10, 'DB_POOL_MAX') || 10,
    dbTimeoutMs: intFrom(env.DB_TIMEOUT_MS, 2000, 'DB_TIMEOUT_MS') || 2000,
    cacheMaxAge: intFrom(env.PARLEY_CACHE_MAX_AGE, 10, 'PARLEY_CACHE_MAX_AGE'),
    publicUrl,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    akismet: env.AKISMET_KEY && env.AKISMET_BLOG
      ? { key: env.AKISMET_KEY, blog: env.AKISMET_BLOG, url: (env.AKISMET_URL || 'https://rest.akismet.com').replace(/\/+$/, '') }
      : null,
    turnstile: env.TURNSTILE_SECRET
      ? { secret: env.TURNSTILE_SECRET, url: env.TURNSTILE_URL || 'https://challenges.cloudflare.com/turnstile/v0/siteverify' }
      : null,
    allowPrivateTargets: env.PARLEY_ALLOW_PRIVATE_TARGETS === '1',
    webhookTimeoutMs: intFrom(env.WEBHOOK_TIMEOUT_MS, 10_000, 'WEBHOOK_TIMEOUT_MS') || 10_000,
    sessions: {
      idleSeconds: (intFrom(env.SESSION_IDLE_MINUTES, 120, 'SESSION_IDLE_MINUTES') || 120) * 60,
      maxSeconds: (intFrom(env.SESSION_MAX_HOURS, 12, 'SESSION_MAX_HOURS') || 12) * 3600,
    },
    logLevel: parseLogLevel(env.LOG_LEVEL),
    jobsIntervalMs: intFrom(env.JOBS_INTERVAL_MS, 60_000, 'JOBS_INTERVAL_MS') || 60_000,
  }
}

/**
 * PARLEY_SECRET from the environment; on the embedded database, one made on first start and
 * kept in the data directory (mode 0600) so that a first `npm start` just works.
 */
export async function resolveSecret(env: NodeJS.ProcessEnv, config: NodeConfig): Promise<string> {
  if (env.PARLEY_SECRET) return env.PARLEY_SECRET
  if (config.databaseUrl) throw new Error('PARLEY_SECRET is required with DATABASE_URL (at least 32 characters; e.g. `openssl rand -base64 48`)')
  const file = join(config.dataDir, 'secret')
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch {
    await mkdir(config.dataDir, { recursive: true })
    const secret = randomBytes(48).toString('base64url')
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
    return secret
  }
}
