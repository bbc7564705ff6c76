import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto'
import { HASHING_KEYS, SALT, SEALING_KEYS, checkSecretLength, secretsFrom, type Secrets } from './secrets.js'
import { fromBase64Url, toBase64Url } from './encoding.js'
import { randomBytes } from './random-bytes.js'

const NONCE_BYTES = 12
const TAG_BYTES = 16

function derivedKeys<K extends string>(secret: string, names: readonly K[]): Record<K, Buffer> {
  return Object.fromEntries(names.map((name) => [name, Buffer.from(hkdfSync('sha256', secret, SALT, name, 32))])) as Record<K, Buffer>
}

/**
 * `createSecrets` on node:crypto, value for value the same (same keys, same hashes, sealed values
 * either can open). Node's Web Crypto runs every call as an async job, about a tenth of a
 * millisecond each, and a submission makes four; these synchronous calls cost a few microseconds.
 */
export function createNodeSecrets(secret: string): Secrets {
  checkSecretLength(secret)
  const sealing = derivedKeys(secret, SEALING_KEYS)
  const hashing = derivedKeys(secret, HASHING_KEYS)
  return secretsFrom({
    seal(key, text) {
      const nonce = randomBytes(NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', sealing[key], nonce)
      return toBase64Url(Buffer.concat([nonce, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]))
    },
    unseal(key, sealed) {
      const bytes = fromBase64Url(sealed)
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed value too short')
      const decipher = createDecipheriv('aes-256-gcm', sealing[key], bytes.subarray(0, NONCE_BYTES))
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
    },
    hmacHex: (key, value) => createHmac('sha256', hashing[key]).update(value, 'utf8').digest('hex'),
  })
}
