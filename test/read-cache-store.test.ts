import { describe, expect, it } from 'vitest'
import { ReadCache, type CachedRead } from '../src/read-cache/read-cache.js'

const page = (article: string, body = 'x'.repeat(1000)): CachedRead => ({ body, etag: '"1.1.1"', articles: [article], expiresAt: Infinity })

function listeningCache(maxBytes: number): ReadCache {
  const cache = new ReadCache(maxBytes)
  cache.setListening(true)
  return cache
}

describe('ReadCache', () => {
  it('evicts the least recently used entries once over its bytes', () => {
    // Each entry counts 672 bytes (UTF-16 strings plus bookkeeping): eight fit in 5,400, nine do not.
    const cache = listeningCache(5400)
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    for (const key of keys) cache.put(cache.begin(), key, page(key, 'x'.repeat(200)))
    expect(cache.size).toEqual({ entries: 8, bytes: 8 * 672 })
    expect(cache.get('a', 0)).toBeDefined()
    cache.put(cache.begin(), 'i', page('i', 'x'.repeat(200)))
    expect([...keys, 'i'].filter((key) => !cache.get(key, 0))).toEqual(['b'])
    // One read larger than an eighth of the cache is not kept at all.
    cache.put(cache.begin(), 'big', page('big', 'x'.repeat(400)))
    expect(cache.get('big', 0)).toBeUndefined()
  })

  it('refuses a read that an invalidation of its article overtook, and keeps one that others overtook', () => {
    const cache = listeningCache(1024 * 1024)
    const ticket = cache.begin()
    cache.received('other')
    cache.put(ticket, 'kept', page('k'))
    expect(cache.get('kept', 0)).toBeDefined()
    const late = cache.begin()
    cache.received('k')
    expect(cache.get('kept', 0)).toBeUndefined()
    cache.put(late, 'refused', page('k'))
    expect(cache.get('refused', 0)).toBeUndefined()
    cache.put(cache.begin(), 'again', page('k'))
    expect(cache.get('again', 0)).toBeDefined()
  })

  it('holds nothing while not listening, and forgets everything when it stops or starts again', () => {
    const cache = new ReadCache(1024 * 1024)
    cache.put(cache.begin(), 'a', page('a'))
    expect(cache.get('a', 0)).toBeUndefined()
    cache.setListening(true)
    const before = cache.begin()
    cache.setListening(false)
    cache.setListening(true)
    cache.put(before, 'a', page('a'))
    expect(cache.get('a', 0)).toBeUndefined()
    cache.put(cache.begin(), 'a', page('a'))
    expect(cache.get('a', 0)).toBeDefined()
    cache.received('*')
    expect(cache.get('a', 0)).toBeUndefined()
  })

  it('drops an entry at the moment it expires', () => {
    const cache = listeningCache(1024 * 1024)
    cache.put(cache.begin(), 'a', { ...page('a'), expiresAt: 1000 })
    expect(cache.get('a', 999)).toBeDefined()
    expect(cache.get('a', 1000)).toBeUndefined()
  })
})
