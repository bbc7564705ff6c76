import { fromBase64Url, toBase64Url, toHex, utf8, utf8Decoder } from './encoding.js'
import { randomBytes } from './random-bytes.js'

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
  /**
   * Public: the commenter's avatar colour, 0 to AVATAR_COLORS - 1, stable per address. Three bits
   * keyed by the secret: one in eight addresses shares it, so it confirms no guess.
   */
  avatar(email: string): Promise<number>
  /** Look-up hash of a signed-in reader's account id at the site (`sub`): their comments, privacy requests. */
  subjectHash(subject: string): Promise<string>
  /** Keyed hash for rate-limit keys, so that no IP is stored there. */
  rateKey(value: string): Promise<string>
  /**
   * The `moderation-hash` of a held comment, as WordPress adds to its redirect: of its id and its
   * creation time (WordPress hashes comment_date_gmt), so that a pair never opens another comment
   * that later takes a freed id.
   */
  moderationHash(comment: { id: number; createdAt: Date }): Promise<string>
  /** The signature of an emailed link (src/notifications/mail-links.ts), hex: only Parley makes them. */
  mailLinkMac(value: string): Promise<string>
}

/** How many avatar colours there are (the widget's palette). */
export const AVATAR_COLORS = 8

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * The keys derived from PARLEY_SECRET: HKDF-SHA-256 with this salt and the key's name as info.
 * Each purpose has its own, so a value made for one (say, a public avatar) never matches another.
 */
export const SALT = 'parley/v1'
export const SEALING_KEYS = ['email-encryption', 'secret-sealing'] as const
export const HASHING_KEYS = ['email-lookup', 'avatar', 'rate-key', 'moderation-hash', 'mail-link', 'subject-lookup'] as const
export type SealingKey = (typeof SEALING_KEYS)[number]
export type HashingKey = (typeof HASHING_KEYS)[number]

/**
 * What a crypto engine provides under those keys: AES-256-GCM sealing with a fresh 96-bit nonce
 * (base64url(nonce || ciphertext || tag)) and HMAC-SHA-256 in hex. Web Crypto (below; Workers) and
 * node:crypto (node-secrets.ts) each supply them; which key serves what, and the formats, are here.
 */
export interface SecretPrimitives {
  seal(key: SealingKey, text: string): string | Promise<string>
  unseal(key: SealingKey, sealed: string): string | Promise<string>
  hmacHex(key: HashingKey, value: string): string | Promise<string>
}

export function secretsFrom(p: SecretPrimitives): Secrets {
  return {
    encryptEmail: async (email) => p.seal('email-encryption', email),
    decryptEmail: async (sealed) => p.unseal('email-encryption', sealed),
    seal: async (text) => p.seal('secret-sealing', text),
    unseal: async (sealed) => p.unseal('secret-sealing', sealed),
    emailHash: async (email) => p.hmacHex('email-lookup', normalizeEmail(email)),
    avatar: async (email) => parseInt((await p.hmacHex('avatar', normalizeEmail(email))).slice(0, 2), 16) % AVATAR_COLORS,
    subjectHash: async (subject) => p.hmacHex('subject-lookup', subject),
    rateKey: async (value) => p.hmacHex('rate-key', value),
    moderationHash: async ({ id, createdAt }) => (await p.hmacHex('moderation-hash', `comment:${id}:${createdAt.getTime()}`)).slice(0, 20),
    mailLinkMac: async (value) => p.hmacHex('mail-link', value),
  }
}

export function checkSecretLength(secret: string): void {
  if (utf8.encode(secret).length < 32) throw new Error('PARLEY_SECRET must be at least 32 bytes long')
}

type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

function deriveKey(master: CryptoKey, purpose: string, use: 'seal' | 'hmac'): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8.encode(SALT), info: utf8.encode(purpose) },
    master,
    use === 'seal' ? { name: 'AES-GCM', length: 256 } : { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    use === 'seal' ? ['encrypt', 'decrypt'] : ['sign'],
  )
}

async function derivedKeys<K extends string>(master: CryptoKey, names: readonly K[], use: 'seal' | 'hmac'): Promise<Record<K, CryptoKey>> {
  const keys = await Promise.all(names.map((name) => deriveKey(master, name, use)))
  return Object.fromEntries(names.map((name, i) => [name, keys[i]])) as Record<K, CryptoKey>
}

/** Secrets on Web Crypto: what Workers use (Node uses node-secrets.ts, value for value the same). */
export async function createSecrets(secret: string): Promise<Secrets> {
  checkSecretLength(secret)
  const master = await crypto.subtle.importKey('raw', utf8.encode(secret), 'HKDF', false, ['deriveKey'])
  const sealing = await derivedKeys(master, SEALING_KEYS, 'seal')
  const hashing = await derivedKeys(master, HASHING_KEYS, 'hmac')
  return secretsFrom({
    async seal(key, text) {
      const nonce = randomBytes(12)
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, sealing[key], utf8.encode(text)))
      const out = new Uint8Array(nonce.length + sealed.length)
      out.set(nonce)
      out.set(sealed, nonce.length)
      return toBase64Url(out)
    },
    async unseal(key, sealed) {
      const bytes = fromBase64Url(sealed)
      return utf8Decoder.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, sealing[key], bytes.slice(12)))
    },
    hmacHex: async (key, value) => toHex(await crypto.subtle.sign('HMAC', hashing[key], utf8.encode(value))),
  })
}
