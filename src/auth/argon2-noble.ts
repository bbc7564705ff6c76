import { argon2dAsync, argon2iAsync, argon2idAsync } from '@noble/hashes/argon2.js'
import { argon2Params, type PasswordHasher } from './password-hasher.js'
import { utf8 } from '../crypto/encoding.js'

const SALT_BYTES = 16
const HASH_BYTES = 32

// A stored hash names its own cost. One beyond these would exhaust a Worker's 128 MB or its CPU
// budget before answering, so it matches nothing instead (ours are m=19456, t=2, p=1).
const MAX_MEMORY_KIB = 65_536
const MAX_PASSES = 10
const MAX_LANES = 8

const variants = { argon2id: argon2idAsync, argon2i: argon2iAsync, argon2d: argon2dAsync } as const
type Variant = keyof typeof variants

interface ParsedPhc {
  variant: Variant
  version: number
  memoryKiB: number
  passes: number
  lanes: number
  salt: Uint8Array
  hash: Uint8Array
}

/** PHC strings use standard base64 without padding (unlike our base64url elsewhere). */
function toB64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/=+$/, '')
}

function fromB64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return null
  try {
    const binary = atob(text.padEnd(Math.ceil(text.length / 4) * 4, '='))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0))
  } catch {
    return null
  }
}

// `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`; hashes from before version 1.3 leave out `v=`.
const phcPattern = /^\$(argon2id|argon2i|argon2d)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/

function parsePhc(phc: string): ParsedPhc | null {
  const match = phcPattern.exec(phc)
  if (!match) return null
  const [, variant, version, memory, passes, lanes, salt, hash] = match
  if (!variant || !memory || !passes || !lanes || !salt || !hash) return null
  const parsed = {
    variant: variant as Variant,
    version: version === undefined ? 0x10 : Number(version),
    memoryKiB: Number(memory),
    passes: Number(passes),
    lanes: Number(lanes),
    salt: fromB64(salt),
    hash: fromB64(hash),
  }
  if (parsed.version !== 0x10 && parsed.version !== 0x13) return null
  if (parsed.lanes < 1 || parsed.lanes > MAX_LANES || parsed.passes < 1 || parsed.passes > MAX_PASSES) return null
  if (parsed.memoryKiB < 8 * parsed.lanes || parsed.memoryKiB > MAX_MEMORY_KIB) return null
  if (!parsed.salt || parsed.salt.length < 8 || !parsed.hash || parsed.hash.length < 4) return null
  return { ...parsed, salt: parsed.salt, hash: parsed.hash }
}

/** Compares in time that depends only on the length, which the stored hash already tells. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}

/**
 * argon2id in pure JavaScript (@noble/hashes), for runtimes where the native binding cannot load
 * (Workers). It writes and reads the same PHC strings as the native hasher, so accounts move
 * between runtimes freely. It costs about 200 ms of CPU a hash.
 */
export const nobleArgon2: PasswordHasher = {
  async hash(password) {
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
    const { memoryKiB: m, passes: t, lanes: p } = argon2Params
    const hash = await argon2idAsync(utf8.encode(password), salt, { m, t, p, dkLen: HASH_BYTES })
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${toB64(salt)}$${toB64(hash)}`
  },
  async verify(phc, password) {
    const parsed = parsePhc(phc)
    // A malformed stored hash matches nothing.
    if (!parsed) return false
    try {
      const derive = variants[parsed.variant]
      const candidate = await derive(utf8.encode(password), parsed.salt, {
        m: parsed.memoryKiB,
        t: parsed.passes,
        p: parsed.lanes,
        version: parsed.version,
        dkLen: parsed.hash.length,
      })
      return equalBytes(candidate, parsed.hash)
    } catch {
      return false
    }
  },
}
