import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import { timeLeft } from './deadline.js'
import { unavailable } from './unavailable.js'

/**
 * Waits for the runtime's turn to start this request (`Deps.startGate`: Node on PGlite), after
 * the read cache has answered what it can and inside the request's deadline. A request whose
 * deadline passed while it waited does no work: its 503 has already been sent.
 */
export const startGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const gate = c.env.deps.startGate
  if (gate) {
    await gate()
    const left = timeLeft(c)
    if (left !== undefined && left <= 0) throw unavailable()
  }
  await next()
}
