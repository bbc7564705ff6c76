import { toBase64Url, toHex, utf8 } from './encoding.js'

/** A bearer secret of 256 random bits, base64url. */
export function newToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to store them safely. */
export async function hashToken(token: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8.encode(token)))
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
