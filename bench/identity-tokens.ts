import { createHmac } from 'node:crypto'

/** The publisher's shared secret the bench's servers verify readers' tokens with (PARLEY_SSO_SECRET). */
export const BENCH_SSO_SECRET = 'parley-bench-publisher-secret-not-for-production-0123456789'

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

/**
 * An HS256 identity token as a news site signs one for its logged-in reader, made synchronously in
 * the load generator (each post's body is built as autocannon asks for it): node:crypto's HMAC,
 * the JWS compact form by hand. Parley verifies it with jose; this only has to be a valid JWT.
 */
export function benchIdentityToken(subject: string, name: string, email: string, nowS = Math.floor(Date.now() / 1000)): string {
  const payload = base64url(JSON.stringify({ sub: subject, name, email, iat: nowS, exp: nowS + 600 }))
  const signature = createHmac('sha256', BENCH_SSO_SECRET).update(`${HEADER}.${payload}`).digest('base64url')
  return `${HEADER}.${payload}.${signature}`
}
