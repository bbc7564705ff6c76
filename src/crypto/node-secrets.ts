import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { normalizeEmail, type Secrets } from './secrets.js'
import { fromBase64Url, toBase64Url, utf8 } from './encoding.js'

const SALT = 'parley/v1'
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** The same HKDF-SHA-256 key `createSecrets` derives with Web Crypto for this purpose. */
const derive = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32))

/**
 * `createSecrets` on node:crypto, value for value the same (same keys, same hashes, sealed values
 * either can open). Node's Web Crypto runs every call as an async job, about a tenth of a
 * millisecond each, and a submission makes four; these synchronous calls cost a few microseconds.
 */
export function createNodeSecrets(secret: string): Secrets {
  if (utf8.encode(secret).length < 32) throw new Error('PARLEY_SECRET must be at least 32 bytes long')
  const emailKey = derive(secret, 'email-encryption')
  const sealKey = derive(secret, 'secret-sealing')
  const lookup = derive(secret, 'email-lookup')
  const avatar = derive(secret, 'avatar')
  const rate = derive(secret, 'rate-key')
  const moderation = derive(secret, 'moderation-hash')

  const seal = (key: Buffer, text: string): string => {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, nonce)
    return toBase64Url(Buffer.concat([nonce, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]))
  }
  const unseal = (key: Buffer, sealed: string): string => {
    const bytes = fromBase64Url(sealed)
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed value too short')
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
  }
  const hmacHex = (key: Buffer, value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex')

  return {
    encryptEmail: async (email) => seal(emailKey, email),
    decryptEmail: async (sealed) => unseal(emailKey, sealed),
    seal: async (text) => seal(sealKey, text),
    unseal: async (sealed) => unseal(sealKey, sealed),
    emailHash: async (email) => hmacHex(lookup, normalizeEmail(email)),
    avatar: async (email) => hmacHex(avatar, normalizeEmail(email)).slice(0, 32),
    rateKey: async (value) => hmacHex(rate, value),
    moderationHash: async (commentId) => hmacHex(moderation, `comment:${commentId}`).slice(0, 20),
  }
}
