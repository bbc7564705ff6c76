import { sha256 } from '@noble/hashes/sha2.js'
import { toBase64Url, toHex, utf8 } from './encoding.js'
import { randomBytes } from './random-bytes.js'

/** A bearer secret of 256 random bits, base64url. */
export function newToken(): string {
  return toBase64Url(randomBytes(32))
}

/**
 * Tokens are high-entropy, so a plain SHA-256 is enough to store them safely. Computed in place
 * (a few microseconds): Web Crypto's digest is an async job, ten times that on Node.
 */
export async function hashToken(token: string): Promise<string> {
  return toHex(sha256(utf8.encode(token)))
}

/**
 * Compares two hashes without leaking where they differ. Their length is no secret (both are
 * SHA-256 hex), so only equal lengths are compared byte by byte.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
