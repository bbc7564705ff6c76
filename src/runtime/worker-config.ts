import type { AppConfig } from '../config.js'
import type { LogLevel } from '../logger.js'
import { readAppConfig, type ConfigVars } from './app-config.js'
import type { HyperdriveBinding } from './hyperdrive-db.js'

/**
 * The Worker's bindings: Hyperdrive, the secrets set with `wrangler secret put` (PARLEY_SECRET,
 * AKISMET_KEY, TURNSTILE_SECRET) and the `[vars]` of wrangler.toml; the names are Node's.
 */
export interface WorkerEnv {
  HYPERDRIVE: HyperdriveBinding
  /** src/static, served by Cloudflare before the Worker runs (wrangler.toml `[assets]`). */
  ASSETS: { fetch(url: string): Promise<{ ok: boolean; status: number; json<T>(): Promise<T>; text(): Promise<string> }> }
  PARLEY_SECRET?: string
  [name: string]: unknown
}

/** Vars may be written as numbers or booleans in wrangler.toml; configuration reads text. */
function textVars(env: WorkerEnv): ConfigVars {
  const vars: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value)
  }
  return vars
}

/** Node's configuration, read from the Worker's bindings; the client's IP is always CF-Connecting-IP here. */
export function readWorkerConfig(env: WorkerEnv): AppConfig & { logLevel: LogLevel } {
  return { ...readAppConfig(textVars(env)), trustProxy: 'cf-connecting-ip' }
}
