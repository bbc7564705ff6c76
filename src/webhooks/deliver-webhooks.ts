import { loggedError } from '../logged-error.js'
import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import type { Logger } from '../logger.js'
import type { AppConfig } from '../config.js'
import type { ResolveHost, TargetFetch } from '../net/target-guard.js'
import {
  claimDeliveries,
  disableEndpoint,
  markAttemptFailed,
  markDelivered,
  purgeDeliveries,
  type ClaimedDelivery,
} from './delivery-queue.js'
import { refuseTarget, type Refusal } from '../net/target-guard.js'
import { signWebhook } from '../crypto/webhook-signing.js'

export interface DeliveryReport {
  delivered: number
  retried: number
  failed: number
  disabled: number
}

const BATCH = 20
const DEFAULT_TIMEOUT_MS = 10_000

/** What delivery needs of the runtime (a part of `Deps`). */
export interface DeliveryServices {
  db: Db
  secrets: Secrets
  logger: Logger
  config: Pick<AppConfig, 'allowPrivateTargets' | 'webhookTimeoutMs'>
  resolveHost?: ResolveHost
  targetFetch?: TargetFetch
}

type Outcome = { kind: 'answered'; status: number } | { kind: 'error'; error: string }

/** The body exactly as signed and sent; the email only for endpoints that asked for it, unsealed just now. */
async function bodyFor(deps: DeliveryServices, delivery: ClaimedDelivery): Promise<string> {
  const stored = JSON.parse(delivery.payload) as { type: string; timestamp: string; data: { comment: Record<string, unknown> } }
  if (delivery.includeEmail) {
    stored.data.comment.email = delivery.emailSealed ? await deps.secrets.decryptEmail(delivery.emailSealed) : null
  }
  // The stored jsonb has lost the order of keys; the envelope is put back in API.md's order.
  return JSON.stringify({ type: stored.type, timestamp: stored.timestamp, data: stored.data })
}

/** One POST, never following a redirect (a 3xx could point anywhere, past the target guard). */
async function post(
  deps: DeliveryServices,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Outcome> {
  try {
    const res = await (deps.targetFetch ?? fetch)(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'Parley-Webhooks/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      },
      { allowPrivate: deps.config.allowPrivateTargets },
    )
    // Only the status matters; the receiver's body is not read.
    await res.body?.cancel().catch(() => undefined)
    return { kind: 'answered', status: res.status }
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
      return { kind: 'error', error: `no answer within ${timeoutMs} ms` }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
    return { kind: 'error', error: `${error instanceof Error ? error.message : String(error)}${cause}` }
  }
}

/**
 * Sends every due delivery once: 2xx is success; 410 disables the endpoint; anything else, no
 * answer within the timeout, or a target the guard refuses (a name may have been pointed at a
 * private address since the endpoint was saved) is retried on the schedule. Called by runJobs;
 * safe to run from several instances at once.
 */
export async function deliverWebhooks(deps: DeliveryServices, now: Date): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0, disabled: 0 }
  const timeoutMs = deps.config.webhookTimeoutMs ?? DEFAULT_TIMEOUT_MS
  // Longer than any batch can take, so that no delivery is claimed twice while it is being sent.
  const leaseMs = 2 * timeoutMs + 60_000
  const secrets = new Map<number, Promise<string>>()
  const refusals = new Map<string, Promise<Refusal | null>>()
  const timestamp = Math.floor(now.getTime() / 1000)

  const attempt = async (delivery: ClaimedDelivery): Promise<void> => {
    let refusal = refusals.get(delivery.url)
    if (!refusal) {
      refusal = refuseTarget(delivery.url, { allowPrivate: deps.config.allowPrivateTargets, resolveHost: deps.resolveHost })
      refusals.set(delivery.url, refusal)
    }
    let outcome: Outcome
    const refused = await refusal
    if (refused) {
      outcome = { kind: 'error', error: `target refused: ${refused.reason}` }
    } else {
      let secret = secrets.get(delivery.webhookId)
      if (!secret) {
        secret = deps.secrets.unseal(delivery.secretSealed)
        secrets.set(delivery.webhookId, secret)
      }
      try {
        const body = await bodyFor(deps, delivery)
        outcome = await post(deps, delivery.url, await signWebhook(await secret, delivery.messageId, timestamp, body), body, timeoutMs)
      } catch (error) {
        // A secret or email that no longer unseals (PARLEY_SECRET changed): counted as an attempt, so that it ends.
        outcome = { kind: 'error', error: `cannot prepare the delivery: ${error instanceof Error ? error.message : String(error)}` }
      }
    }
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      await markDelivered(deps.db, delivery, now, outcome.status)
      report.delivered++
    } else if (outcome.kind === 'answered' && outcome.status === 410) {
      await disableEndpoint(deps.db, delivery, now)
      report.disabled++
      deps.logger.warn('webhook endpoint disabled: it answered 410 Gone', { webhookId: delivery.webhookId })
    } else {
      const status = outcome.kind === 'answered' ? outcome.status : null
      const error = outcome.kind === 'answered' ? `answered ${outcome.status}` : outcome.error
      report[await markAttemptFailed(deps.db, delivery, now, status, error)]++
      deps.logger.info('webhook delivery failed', {
        webhookId: delivery.webhookId,
        deliveryId: delivery.id,
        attempt: delivery.attempts + 1,
        error,
      })
    }
  }

  for (;;) {
    const claimed = await claimDeliveries(deps.db, now, BATCH, leaseMs)
    // One failure (say, a lost connection while recording it) must not stop the others; its lease runs out and it is sent again.
    const results = await Promise.allSettled(claimed.map(attempt))
    for (const result of results) {
      if (result.status === 'rejected') {
        deps.logger.error('webhook delivery error', loggedError(result.reason))
      }
    }
    if (claimed.length < BATCH) break
  }
  await purgeDeliveries(deps.db, now)
  return report
}
