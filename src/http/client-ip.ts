import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
// An IPv4 tail (2001:db8::1.2.3.4) is IPv6 too: 45 characters at most.
const ipv6 = /^[0-9a-f:]{2,39}(\.[0-9.]{1,15})?(%[0-9a-z]+)?$/i

/** An IP address as stored: v4-mapped v6 addresses become plain v4; anything else is dropped. */
function normalizeIp(value: string | undefined | null): string | null {
  if (!value) return null
  const ip = value.trim().replace(/^::ffff:(?=\d+\.)/i, '')
  if (ipv4.test(ip)) return ip
  if (ip.includes(':') && ipv6.test(ip)) return ip.toLowerCase()
  return null
}

/**
 * The client's IP: the socket's address, unless TRUST_PROXY names the header that the site's one
 * proxy sets (DESIGN.md, Client IP). A header the deployment does not trust is ignored. When the
 * trusted header is missing or unreadable (a request that reached Parley around the proxy, or a
 * proxy misconfigured), the socket's address answers: with no address at all, every per-address
 * limit would let the request through.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const { trustProxy } = c.env.deps.config
  const socket = normalizeIp(c.env.remoteAddr)
  if (trustProxy === 'cf-connecting-ip') return normalizeIp(c.req.header('cf-connecting-ip')) ?? socket
  if (trustProxy === 'x-forwarded-for') {
    // The right-most address is the one our proxy appended; the rest is the client's to forge.
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',')
    return normalizeIp(hops[hops.length - 1]) ?? socket
  }
  return socket
}
