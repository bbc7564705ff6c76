import { fromBase64, toBase64, toHex, utf8 } from './encoding.js'
import { randomBytes } from './random-bytes.js'

const PREFIX = 'whsec_'

/** A new Standard Webhooks secret: `whsec_` and the base64 of 32 random key bytes. */
export function newWebhookSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)))
}

/** A unique message id, the same for every attempt of one event so that receivers can drop repeats. */
export function newMessageId(): string {
  return `msg_${toHex(randomBytes(16))}`
}

/**
 * The three Standard Webhooks headers for one attempt: `webhook-signature` is `v1,` and the
 * base64 HMAC-SHA256, keyed with the secret's bytes, of `id.timestamp.body`. Web Crypto only,
 * so that it runs on Workers as on Node.
 *
 * @example
 * const headers = await signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
 * // headers['webhook-signature'] === 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const keyBytes = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret)
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, utf8.encode(`${id}.${timestampSeconds}.${body}`))
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(new Uint8Array(mac))}`,
  }
}
