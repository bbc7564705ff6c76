/** Resolves a host name to its addresses (Node: `node:dns/promises`); runtimes without one leave it out. */
export type ResolveHost = (host: string) => Promise<string[]>

export interface TargetPolicy {
  /** PARLEY_ALLOW_PRIVATE_TARGETS: tests and private networks. */
  allowPrivate: boolean
  /** Without a resolver only literal addresses and `localhost` names can be checked. */
  resolveHost?: ResolveHost
}

/**
 * The fetch that calls webhook and filter targets. Node's (src/runtime/guarded-fetch.ts) checks
 * the addresses it connects to, at the moment it connects: a name checked by `refuseTarget` and
 * then pointed elsewhere (DNS rebinding) cannot reach a private address. Workers' fetch reaches
 * only the public internet anyway.
 */
export type TargetFetch = (url: string, init: RequestInit, policy: Pick<TargetPolicy, 'allowPrivate'>) => Promise<Response>

type Range = [base: number, bits: number]

const ip4 = (a: number, b: number, c = 0, d = 0) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0

/**
 * IPv4 blocks that are not the public internet: this network, private, CGNAT, loopback, link-local,
 * benchmarking, multicast, reserved, and the 6to4 relay anycast (192.88.99.0/24, deprecated by RFC 7526:
 * whatever answers there now relays into IPv6 space no one chose).
 */
const blockedV4: Range[] = [
  [ip4(0, 0), 8],
  [ip4(10, 0), 8],
  [ip4(100, 64), 10],
  [ip4(127, 0), 8],
  [ip4(169, 254), 16],
  [ip4(172, 16), 12],
  [ip4(192, 0, 0), 24],
  [ip4(192, 88, 99), 24],
  [ip4(192, 168), 16],
  [ip4(198, 18), 15],
  [ip4(224, 0), 4],
  [ip4(240, 0), 4],
]

function inRange(address: number, [base, bits]: Range): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
  return (address & mask) >>> 0 === base
}

function parseIPv4(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0)
}

/** Eight 16-bit groups, or null; accepts `::` and a dotted IPv4 tail, drops a zone (`%eth0`). */
function parseIPv6(text: string): number[] | null {
  let rest = text.replace(/%.*$/, '').toLowerCase()
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(rest)
  if (dotted?.[1]) {
    const v4 = parseIPv4(dotted[1])
    if (v4 === null) return null
    rest = `${rest.slice(0, dotted.index + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const halves = rest.split('::')
  if (halves.length > 2) return null
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groups(halves[0] ?? '')
  const after = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (![...head, ...after].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null
  const missing = 8 - head.length - after.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  return [...head, ...new Array<string>(missing).fill('0'), ...after].map((g) => parseInt(g, 16))
}

function isPublicV4(address: number): boolean {
  return !blockedV4.some((range) => inRange(address, range))
}

function isPublicV6(g: number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g6 = 0, g7 = 0] = g
  const embedded = ((g6 << 16) | g7) >>> 0
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    // ::, ::1, IPv4-compatible (::/96) and IPv4-mapped (::ffff:0:0/96): judged as the IPv4 address they carry.
    if (f === 0 || f === 0xffff) return f === 0 && embedded <= 1 ? false : isPublicV4(embedded)
    return true
  }
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return false // SIIT, IPv4-translated ::ffff:0:0:0/96
  if (a === 0x2001 && b === 0) return false // Teredo 2001::/32: a tunnel to an IPv4 address it hides
  if (a === 0x64 && b === 0xff9b) return c === 0 && d === 0 && e === 0 && f === 0 ? isPublicV4(embedded) : false // NAT64, well-known and local
  if (a === 0x2002) return isPublicV4(((b << 16) | c) >>> 0) // 6to4 carries an IPv4 address
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return false // discard-only 100::/64 (RFC 6666)
  if ((a & 0xfe00) === 0xfc00) return false // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return false // link-local, old site-local
  if ((a & 0xff00) === 0xff00) return false // multicast
  return true
}

/** True for an address on the public internet; false for private, loopback, link-local and the like, or not an address. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address)
  if (v4 !== null) return isPublicV4(v4)
  const v6 = parseIPv6(address)
  return v6 !== null && isPublicV6(v6)
}

function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null
}

export interface Refusal {
  code: 'invalid_url' | 'private_target'
  reason: string
}

const invalid = (reason: string): Refusal => ({ code: 'invalid_url', reason })
const privateTarget = (reason: string): Refusal => ({ code: 'private_target', reason })

/**
 * Why a webhook may not call `url`, or null when it may: http or https only, and unless the policy
 * allows private targets, no host that is (or resolves to) a private, loopback, link-local,
 * CGNAT or unspecified address. Checked when an endpoint is saved and again before each
 * delivery, since a name can be pointed elsewhere later.
 */
export async function refuseTarget(url: string, policy: TargetPolicy): Promise<Refusal | null> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return invalid('not a valid URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return invalid('only http and https URLs can receive webhooks')
  // fetch refuses URLs with credentials; receivers authenticate deliveries by their signature.
  if (parsed.username || parsed.password) return invalid('the URL must not contain a user name or password')
  if (policy.allowPrivate) return null
  // The URL parser has already turned 0x7f.1, 2130706433 and the like into dotted IPv4.
  const host = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (isIpLiteral(host)) return isPublicAddress(host) ? null : privateTarget('the host is a private, loopback or link-local address')
  if (host === 'localhost' || host.endsWith('.localhost')) return privateTarget('the host is a loopback name')
  if (!policy.resolveHost) return null
  let addresses: string[]
  try {
    addresses = await policy.resolveHost(host)
  } catch {
    return invalid('the host name cannot be resolved')
  }
  if (addresses.length === 0) return invalid('the host name cannot be resolved')
  if (!addresses.every(isPublicAddress)) return privateTarget('the host name resolves to a private, loopback or link-local address')
  return null
}
