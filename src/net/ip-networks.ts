/**
 * An address reduced to its network, as WordPress's eraser does (wp_privacy_anonymize_ip): the
 * last octet of IPv4 (/24). For IPv6 WordPress keeps a /64, which on most home connections is
 * one household's own subnet; Parley keeps a /48, the size ISPs hand a whole site, which still
 * says roughly where a comment came from without pointing at anyone. Unreadable values become null.
 */
export function anonymizeIp(ip: string): string | null {
  const address = ip.trim().split('%')[0] ?? ''
  const v4 = ipv4(address)
  if (v4) return `${v4.slice(0, 3).join('.')}.0`
  const groups = ipv6(address)
  if (!groups) return null
  // An IPv4 address carried in IPv6 (::ffff:a.b.c.d) is an IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const high = groups[6] ?? 0
    return `::ffff:${high >> 8}.${high & 0xff}.${(groups[7] ?? 0) >> 8}.0`
  }
  const network = groups.slice(0, 3)
  return network.every((g) => g === 0) ? '::' : `${network.map((g) => g.toString(16)).join(':')}::`
}

/**
 * The network one client controls, for rate limits: an IPv4 address itself, an IPv6 address's
 * /64 (one subnet hands a client 2^64 addresses: keying on the full address would let it take
 * a fresh one for every attempt). Unreadable values stay as they are.
 */
export function rateLimitNetwork(ip: string): string {
  const address = ip.trim().split('%')[0] ?? ''
  if (ipv4(address)) return address
  const groups = ipv6(address)
  if (!groups) return address
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const high = groups[6] ?? 0
    const low = groups[7] ?? 0
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/**
 * The network a commenter's connection usually stays within, to recognize them again: an IPv4
 * address's /24 (a household, an office, a mobile carrier's pool moves within less than this
 * less often than across it), an IPv6 address's /64. Unreadable values stay as they are.
 */
export function commenterNetwork(ip: string): string {
  const network = rateLimitNetwork(ip)
  const v4 = ipv4(network)
  return v4 ? `${v4.slice(0, 3).join('.')}.0/24` : network
}

/**
 * One spelling per address, for comparing addresses written differently: IPv4 dotted, IPv6 as its
 * eight groups in lower-case hex (an IPv4-mapped address as its IPv4); undefined for what is neither.
 */
export function canonicalIp(ip: string): string | undefined {
  const address = ip.trim().split('%')[0] ?? ''
  if (ipv4(address)) return address.split('.').map(Number).join('.')
  const groups = ipv6(address)
  if (!groups) return undefined
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return rateLimitNetwork(address)
  return groups.map((g) => g.toString(16)).join(':')
}

function ipv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.map(Number)
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, an IPv4 tail as two groups). */
function ipv6(text: string): number[] | undefined {
  let address = text
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  if (tail?.[1]) {
    const octets = ipv4(tail[1])
    if (!octets) return undefined
    const [a = 0, b = 0, c = 0, d = 0] = octets
    address = `${address.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = address.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map((g) => parseInt(g, 16))
}
