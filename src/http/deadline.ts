import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { AppError } from '../errors.js'
import { unavailable } from './unavailable.js'
import { problemHeaders } from './problem-response.js'

/**
 * Answers 503 rather than letting a request wait on a database that does not answer: after
 * twice DB_TIMEOUT_MS, and never sooner than 5 s. Whatever runs after the route for this request
 * (the read cache's sync after a write) spends only what is left of it (`timeLeft`).
 * `respond` shapes the 503 where the error handler's JSON is not the answer (the HTML form).
 *
 * A 503 must mean that nothing was stored, and a write that was stored must not be answered 503:
 * the client would post it again, or believe it lost. So a write asks `beforeCommit` (set for the
 * route, handed to the rules as CommentContext.beforeCommit) inside its transaction, just before
 * COMMIT: once the deadline has answered, it throws and the transaction rolls back; once it has
 * passed, the deadline no longer answers for the request, which waits for its commit and answers
 * its outcome, however late.
 */
export function deadline(respond?: (error: AppError, c: Context<AppEnv>) => Response): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ms = Math.max(5000, c.env.deps.config.dbTimeoutMs * 2)
    c.set('deadlineAt', performance.now() + ms)
    let phase: 'working' | 'committing' | 'answered' = 'working'
    c.set('beforeCommit', () => {
      if (phase === 'answered') {
        c.env.deps.logger.warn('request deadline passed before its commit: rolled back', { path: c.req.path })
        throw unavailable()
      }
      phase = 'committing'
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        if (phase === 'committing') return
        phase = 'answered'
        resolve('late')
      }, ms)
    })
    try {
      const outcome = await Promise.race([next().then(() => 'done' as const), late])
      if (outcome === 'done') return
      const error = unavailable()
      if (!respond) throw error
      const response = respond(error, c)
      for (const [name, value] of Object.entries(problemHeaders(error))) response.headers.set(name, value)
      return response
    } finally {
      if (timer !== undefined) clearTimeout(timer)
    }
  }
}

/** What is left of this request's deadline, in ms (undefined where none applies). */
export function timeLeft(c: Context<AppEnv>): number | undefined {
  const at = c.get('deadlineAt')
  return at === undefined ? undefined : at - performance.now()
}
