import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import * as schema from '../db/schema.js'
import type { Db } from '../db/database.js'

/** The Hyperdrive binding, as much of it as Parley uses. */
export interface HyperdriveBinding {
  connectionString: string
}

/**
 * A postgres.js client for one Worker invocation, over Hyperdrive (Cloudflare's Hyperdrive
 * templates): Hyperdrive keeps the pool to PostgreSQL, so a client per invocation is cheap, and a
 * socket opened in one invocation cannot be used by the next anyway.
 *
 * It is never ended. The runtime closes an invocation's sockets when the invocation finishes,
 * and postgres.js's `end()` inside workerd leaves an unhandled "Stream was cancelled" rejection
 * every time (porsager/postgres#1202; Cloudflare dropped `sql.end()` from its Hyperdrive
 * examples for this reason, cloudflare/cloudflare-docs#24429).
 */
export function hyperdriveDb(binding: HyperdriveBinding, timeoutMs: number): Db {
  const client = postgres(binding.connectionString, {
    // Workers allow six simultaneous outgoing connections per invocation; keep one spare for fetch().
    max: 5,
    connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    onnotice: () => {},
    // Prepared statements stay on (the default): Hyperdrive supports them and caches by them.
    // Array types are still fetched once per client: webhooks.events is text[].
  })
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed where the Workers' types check this file (test-workers)
  return drizzle(client, { schema }) as unknown as Db
}
