import { SettingProblem } from './startup-failure.js'
import { readFile, writeFile } from 'node:fs/promises'
import { makePrivateDirectory } from '../db/private-directory.js'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { AppConfig } from '../config.js'
import type { LogLevel } from '../logger.js'
import { intFrom, readAppConfig } from './app-config.js'

export interface NodeConfig extends AppConfig {
  port: number
  databaseUrl: string | null
  dataDir: string
  poolMax: number
  logLevel: LogLevel
  /** JOBS_INTERVAL_MS: how often runJobs runs in this process. */
  jobsIntervalMs: number
  /** READ_CACHE_MB: memory for rendered thread pages and counts (src/read-cache), in bytes; 0 turns it off. */
  readCacheBytes: number
}

/** Reads the environment (API.md, Configuration); a value that makes no sense stops the start. */
export function readNodeConfig(env: NodeJS.ProcessEnv): NodeConfig {
  return {
    ...readAppConfig(env),
    port: intFrom(env.PORT, 8787, 'PORT'),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.PARLEY_DATA_DIR || './.parley',
    poolMax: intFrom(env.DB_POOL_MAX, 10, 'DB_POOL_MAX') || 10,
    jobsIntervalMs: intFrom(env.JOBS_INTERVAL_MS, 60_000, 'JOBS_INTERVAL_MS') || 60_000,
    readCacheBytes: intFrom(env.READ_CACHE_MB, 64, 'READ_CACHE_MB') * 1024 * 1024,
  }
}

/**
 * PARLEY_SECRET from the environment; on the embedded database, one made on first start and
 * kept in the data directory (mode 0600) so that a first `npm start` just works. Checked here, before
 * anything is opened: a short secret would seal emails with a key anyone could guess.
 */
export async function resolveSecret(env: NodeJS.ProcessEnv, config: NodeConfig): Promise<string> {
  if (env.PARLEY_SECRET)
    return longEnough(env.PARLEY_SECRET, 'PARLEY_SECRET', 'set it to at least 32 random characters, e.g. `openssl rand -base64 48`')
  if (config.databaseUrl)
    throw new SettingProblem('PARLEY_SECRET is required with DATABASE_URL (at least 32 characters; e.g. `openssl rand -base64 48`)')
  const file = join(config.dataDir, 'secret')
  let kept: string
  try {
    kept = (await readFile(file, 'utf8')).trim()
  } catch {
    await makePrivateDirectory(config.dataDir)
    const secret = randomBytes(48).toString('base64url')
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
    return secret
  }
  return longEnough(kept, `the secret kept in ${file}`, 'put the secret this data was sealed with back in that file, or set PARLEY_SECRET')
}

function longEnough(secret: string, what: string, advice: string): string {
  const bytes = Buffer.byteLength(secret, 'utf8')
  if (bytes < 32) throw new SettingProblem(`${what} must be at least 32 bytes long, not ${bytes}: ${advice}.`)
  return secret
}
