import { toBase64Url, toHex, utf8 } from './encoding.js'

/** A bearer secret of 256 random bits, base64url. */
export function newToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to store them safely. */
export async function hashToken(token: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8.encode(token)))
}

/** Compares two equal-purpose strings without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = utf8.encode(a)
  const right = utf8.encode(b)
  let diff = left.length ^ right.length
  for (let i = 0; i < left.length; i++) diff |= (left[i] ?? 0) ^ (right[i % right.length] ?? 0)
  return diff === 0
}
