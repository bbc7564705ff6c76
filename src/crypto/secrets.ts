import { fromBase64Url, toBase64Url, toHex, utf8, utf8Decoder } from './encoding.js'

/**
 * Everything keyed by PARLEY_SECRET. Each purpose gets its own key, derived with HKDF, so a value
 * made for one purpose (say, a public avatar) can never be matched against another (the look-up hash).
 */
export interface Secrets {
  /** AES-256-GCM with a fresh 96-bit nonce: base64url(nonce || ciphertext || tag). */
  encryptEmail(email: string): Promise<string>
  decryptEmail(sealed: string): Promise<string>
  /** Look-up hash of the normalized address (previously approved, duplicates, privacy requests). */
  emailHash(email: string): Promise<string>
  /** Public, stable per commenter, useless for recovering or confirming the address. */
  avatar(email: string): Promise<string>
  /** Keyed hash for rate-limit keys, so that no IP is stored there. */
  rateKey(value: string): Promise<string>
  /** The `moderation-hash` of a held comment, as WordPress adds to its redirect. */
  moderationHash(commentId: number): Promise<string>
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

const SALT = utf8.encode('parley/v1')

type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

async function deriveHmacKey(master: CryptoKey, purpose: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: utf8.encode(purpose) },
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  )
}

async function hmacHex(key: CryptoKey, value: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', key, utf8.encode(value)))
}

export async function createSecrets(secret: string): Promise<Secrets> {
  if (utf8.encode(secret).length < 32) throw new Error('PARLEY_SECRET must be at least 32 bytes long')
  const master = await crypto.subtle.importKey('raw', utf8.encode(secret), 'HKDF', false, ['deriveKey'])
  const aes = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: utf8.encode('email-encryption') },
    master,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
  const [lookup, avatar, rate, moderation] = await Promise.all(
    ['email-lookup', 'avatar', 'rate-key', 'moderation-hash'].map((purpose) => deriveHmacKey(master, purpose)),
  )
  if (!lookup || !avatar || !rate || !moderation) throw new Error('key derivation failed')

  return {
    async encryptEmail(email) {
      const nonce = crypto.getRandomValues(new Uint8Array(12))
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aes, utf8.encode(email)))
      const out = new Uint8Array(nonce.length + sealed.length)
      out.set(nonce)
      out.set(sealed, nonce.length)
      return toBase64Url(out)
    },
    async decryptEmail(sealed) {
      const bytes = fromBase64Url(sealed)
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, aes, bytes.slice(12))
      return utf8Decoder.decode(plain)
    },
    emailHash: (email) => hmacHex(lookup, normalizeEmail(email)),
    avatar: async (email) => (await hmacHex(avatar, normalizeEmail(email))).slice(0, 32),
    rateKey: (value) => hmacHex(rate, value),
    moderationHash: async (commentId) => (await hmacHex(moderation, `comment:${commentId}`)).slice(0, 20),
  }
}
