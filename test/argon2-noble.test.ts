import { describe, expect, it } from 'vitest'
import { nobleArgon2 } from '../src/auth/argon2-noble.js'
import { needsRehash } from '../src/auth/password-hasher.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'

// An account made on Node must sign in on Workers and the other way round: both runtimes share one table.
const password = 'correct horse battery staple ü'

describe('pure-JS argon2id (Workers) and the native binding (Node)', () => {
  it('writes a PHC string with the OWASP parameters, a 16-byte salt and a 32-byte hash', async () => {
    const phc = await nobleArgon2.hash(password)
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(needsRehash(phc)).toBe(false)
  })

  it('salts every hash afresh', async () => {
    expect(await nobleArgon2.hash(password)).not.toBe(await nobleArgon2.hash(password))
  })

  it('verifies a hash made by the native binding, and the native binding verifies its hash', async () => {
    const native = await nativeArgon2.hash(password)
    const noble = await nobleArgon2.hash(password)
    expect(await nobleArgon2.verify(native, password)).toBe(true)
    expect(await nativeArgon2.verify(noble, password)).toBe(true)
  })

  it('verifies hashes made with other parameters, as stored hashes name their own', async () => {
    const argon2 = (await import('argon2')).default
    const older = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 3, parallelism: 2 })
    expect(await nobleArgon2.verify(older, password)).toBe(true)
  })

  it('rejects a wrong password, whichever side made the hash', async () => {
    const native = await nativeArgon2.hash(password)
    const noble = await nobleArgon2.hash(password)
    expect(await nobleArgon2.verify(native, 'correct horse battery staple u')).toBe(false)
    expect(await nobleArgon2.verify(noble, '')).toBe(false)
    expect(await nativeArgon2.verify(noble, 'Correct horse battery staple ü')).toBe(false)
  })

  it('matches nothing against a malformed or outlandish stored hash, without throwing', async () => {
    const good = await nobleArgon2.hash(password)
    const parts = good.split('$')
    const malformed = [
      '',
      'not a hash',
      '$2y$10$abcdefghijklmnopqrstuuQ1P1U8bB7y8Zxv7xWb5Yb5yZx5Yb5y', // bcrypt
      good.replace('$argon2id$', '$argon2x$'),
      good.replace('v=19', 'v=7'),
      good.replace('m=19456', 'm=abc'),
      good.replace('p=1', 'p=0'),
      good.replace('m=19456', 'm=4'),
      good.replace('m=19456', 'm=4194304'), // 4 GiB: refused before any memory is taken
      good.replace('t=2', 't=1000'),
      good.slice(0, good.lastIndexOf('$')), // no hash
      [...parts.slice(0, 4), '!!!!!!!!!!!!', parts[5]].join('$'), // salt not base64
      `${good}$extra`,
    ]
    for (const phc of malformed) expect(await nobleArgon2.verify(phc, password), phc).toBe(false)
  })
})
