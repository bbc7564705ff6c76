import { SELF, env } from 'cloudflare:test'
import { hyperdriveDb } from '../../src/runtime/hyperdrive-db.js'

export const ORIGIN = 'http://parley.test'

/** A request to the deployed Worker as Cloudflare's edge hands it over: the client's address in CF-Connecting-IP. */
export function call(path: string, init: RequestInit = {}, ip = '203.0.113.9'): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('CF-Connecting-IP', ip)
  return SELF.fetch(`${ORIGIN}${path}`, { ...init, headers })
}

export function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}, ip?: string): Promise<Response> {
  return call(path, { method, headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers }, body: JSON.stringify(body) }, ip)
}

/** The tests' own view of the database, through the same Hyperdrive binding as the Worker. */
export const db = hyperdriveDb(env.HYPERDRIVE, 5000)
