import { fromBase64Url, toBase64Url, toHex, utf8, utf8Decoder } from './encoding.js'

/**
 * Everything keyed by PARLEY_SECRET. Each purpose gets its own key, derived with HKDF, so a value
 * made for one purpose (say, a public avatar) can never be matched against another (the look-up hash).
 */
export interface Secrets {
  /** AES-256-GCM with a fresh 96-bit nonce: base64url(nonce || ciphertext || tag). */
  encryptEmail(email: string): Promise<string>
  decryptEmail(sealed: string): Promise<string>
  /** The same sealing, under its own key, for stored credentials (webhook secrets). */
  seal(text: string): Promise<string>
  unseal(sealed: string): Promise<string>
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

function deriveAesKey(master: CryptoKey, purpose: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: utf8.encode(purpose) },
    master,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

/** AES-256-GCM with a fresh 96-bit nonce: base64url(nonce || ciphertext || tag). */
async function sealWith(key: CryptoKey, text: string): Promise<string> {
  const nonce = crypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key, utf8.encode(text)))
  const out = new Uint8Array(nonce.length + sealed.length)
  out.set(nonce)
  out.set(sealed, nonce.length)
  return toBase64Url(out)
}

async function unsealWith(key: CryptoKey, sealed: string): Promise<string> {
  const bytes = fromBase64Url(sealed)
  return utf8Decoder.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, key, bytes.slice(12)))
}

async function hmacHex(key: CryptoKey, value: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', key, utf8.encode(value)))
}

export async function createSecrets(secret: string): Promise<Secrets> {
  if (utf8.encode(secret).length < 32) throw new Error('PARLEY_SECRET must be at least 32 bytes long')
  const master = await crypto.subtle.importKey('raw', utf8.encode(secret), 'HKDF', false, ['deriveKey'])
  const [emailKey, sealKey] = await Promise.all(['email-encryption', 'secret-sealing'].map((purpose) => deriveAesKey(master, purpose)))
  if (!emailKey || !sealKey) throw new Error('key derivation failed')
  const [lookup, avatar, rate, moderation] = await Promise.all(
    ['email-lookup', 'avatar', 'rate-key', 'moderation-hash'].map((purpose) => deriveHmacKey(master, purpose)),
  )
  if (!lookup || !avatar || !rate || !moderation) throw new Error('key derivation failed')

  return {
    encryptEmail: (email) => sealWith(emailKey, email),
    decryptEmail: (sealed) => unsealWith(emailKey, sealed),
    seal: (text) => sealWith(sealKey, text),
    unseal: (sealed) => unsealWith(sealKey, sealed),
    emailHash: (email) => hmacHex(lookup, normalizeEmail(email)),
    avatar: async (email) => (await hmacHex(avatar, normalizeEmail(email))).slice(0, 32),
    rateKey: (value) => hmacHex(rate, value),
    moderationHash: async (commentId) => (await hmacHex(moderation, `comment:${commentId}`)).slice(0, 20),
  }
}
