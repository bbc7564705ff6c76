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
    // Each entry counts 472 bytes (its body's UTF-8 bytes, key and ETag as UTF-16, bookkeeping): eight fit in 3,800, nine do not.
    const cache = listeningCache(3800)
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    for (const key of keys) cache.put(cache.begin(), key, page(key, 'x'.repeat(200)))
    expect(cache.size).toEqual({ entries: 8, bytes: 8 * 472 })
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

  describe("a write's own marker (expect / heard)", () => {
    /** A cache whose markers go nowhere by themselves: the test delivers them, as the listener would. */
    function markedCache(syncTimeoutMs = 1000) {
      const sent: string[] = []
      const cache = new ReadCache(1024 * 1024, {
        notify: (payload) => {
          sent.push(payload)
          return Promise.resolve()
        },
        syncTimeoutMs,
      })
      cache.setListening(true)
      return { cache, sent }
    }

    it('is needed only where notifications come back through a listener, and only while it listens', () => {
      expect(listeningCache(1024).expect()).toBeUndefined()
      const { cache } = markedCache()
      cache.setListening(false)
      expect(cache.expect()).toBeUndefined()
    })

    it('resolves once its own marker comes back, whether before or after the writer waits', async () => {
      const { cache } = markedCache()
      const early = cache.expect() ?? ''
      const late = cache.expect() ?? ''
      expect(early).not.toBe(late)
      cache.received(early)
      expect(await cache.heard(early)).toBe(true)
      const waiting = cache.heard(late)
      cache.received(late)
      expect(await waiting).toBe(true)
    })

    it('is not resolved by a later marker, which says nothing of a write that had not committed', async () => {
      const { cache, sent } = markedCache(50)
      const mine = cache.expect() ?? ''
      const other = cache.expect() ?? ''
      const synced = cache.sync()
      cache.received(sent[0] ?? '')
      expect(await synced).toBe(true)
      cache.received(other)
      cache.put(cache.begin(), 'page', page('k'))
      // Never heard: the wait gives up and drops everything, as a sync that times out does.
      expect(await cache.heard(mine)).toBe(false)
      expect(cache.get('page', 0)).toBeUndefined()
    })

    it('releases its writer when the listener stops (nothing is served until it is back), and forgets a marker never sent', async () => {
      const { cache } = markedCache(60_000)
      const mine = cache.expect() ?? ''
      const waiting = cache.heard(mine)
      cache.setListening(false)
      expect(await waiting).toBe(true)
      cache.setListening(true)
      const unsent = cache.expect() ?? ''
      cache.forget(unsent)
      expect(await cache.heard(unsent)).toBe(true)
    })
  })

  describe('reading once for everyone who asks meanwhile (readOnce)', () => {
    /** A read that waits until `finish` is called, counting how often it ran. */
    function slowReads(body = 'x') {
      const finishers: ((read: CachedRead) => void)[] = []
      const read = () => new Promise<CachedRead>((resolve) => finishers.push(resolve))
      return { read, finishers, finish: (i: number, article = 'k') => finishers[i]?.(page(article, `${body}${i}`)) }
    }
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
    const text = ({ body }: CachedRead) => (typeof body === 'string' ? body : new TextDecoder().decode(body))

    it('gives every reader who asked during a read its kept answer: one query for fifty', async () => {
      const cache = listeningCache(1024 * 1024)
      const reads = slowReads()
      const answers = Array.from({ length: 50 }, () => cache.readOnce('page', cache.begin(), () => 0, reads.read))
      await tick()
      expect(reads.finishers).toHaveLength(1)
      reads.finish(0)
      const got = await Promise.all(answers)
      expect(new Set(got).size).toBe(1)
      expect(got[0]?.body).toEqual(new TextEncoder().encode('x0'))
      expect(cache.get('page', 0)).toBe(got[0])
    })

    it('makes a reader who joined a read overtaken by a change read for itself, and so one whose read failed', async () => {
      const cache = listeningCache(1024 * 1024)
      const reads = slowReads()
      const first = cache.readOnce('page', cache.begin(), () => 0, reads.read)
      const joiner = cache.readOnce('page', cache.begin(), () => 0, reads.read)
      await tick()
      // A change to the article heard while the first read ran: its answer may predate it.
      cache.received('k')
      reads.finish(0)
      expect(text(await first)).toBe('x0')
      await tick()
      expect(reads.finishers).toHaveLength(2)
      reads.finish(1)
      const own = await joiner
      expect(text(own)).toBe('x1')
      // Its own read is not kept either: it arrived before the change, and what it loaded before
      // its read (the settings it renders with) may predate it. A reader who arrives now keeps its read.
      expect(cache.get('page', 0)).toBeUndefined()
      const later = await cache.readOnce(
        'page',
        cache.begin(),
        () => 0,
        () => Promise.resolve(page('k', 'x2')),
      )
      expect(cache.get('page', 0)).toBe(later)

      const failing = cache.readOnce(
        'other',
        cache.begin(),
        () => 0,
        () => Promise.reject(new Error('database down')),
      )
      const after = cache.readOnce(
        'other',
        cache.begin(),
        () => 0,
        () => Promise.resolve(page('o', 'fresh')),
      )
      await expect(failing).rejects.toThrow('database down')
      expect(text(await after)).toBe('fresh')
    })

    it('does not hand a joiner an answer that expired by the time it came back: it reads for itself', async () => {
      const cache = listeningCache(1024 * 1024)
      let now = 0
      let finish: (read: CachedRead) => void = () => {}
      const first = cache.readOnce(
        'page',
        cache.begin(),
        () => now,
        () => new Promise<CachedRead>((resolve) => (finish = resolve)),
      )
      const joiner = cache.readOnce(
        'page',
        cache.begin(),
        () => now,
        () => Promise.resolve({ ...page('k', 'fresh'), expiresAt: 5000 }),
      )
      await tick()
      now = 1000
      finish({ ...page('k', 'closing'), expiresAt: 1000 })
      expect(text(await first)).toBe('closing')
      expect(text(await joiner)).toBe('fresh')
    })

    it('keeps nothing and shares nothing while it is not listening', async () => {
      const cache = new ReadCache(1024 * 1024)
      const reads = slowReads()
      const answers = [
        cache.readOnce('page', cache.begin(), () => 0, reads.read),
        cache.readOnce('page', cache.begin(), () => 0, reads.read),
      ]
      await tick()
      reads.finish(0)
      await tick()
      expect(reads.finishers).toHaveLength(2)
      reads.finish(1)
      const [a, b] = await Promise.all(answers)
      expect(a?.body).toBe('x0')
      expect(b?.body).toBe('x1')
      expect(cache.size.entries).toBe(0)
    })
  })

  describe('variants of a kept read (compressed codings)', () => {
    it('makes each once while the entry is kept, counts its bytes, and makes it anew for a read not kept', async () => {
      const cache = listeningCache(1024 * 1024)
      const kept = cache.put(cache.begin(), 'page', page('k')) ?? page('k')
      const before = cache.size.bytes
      let made = 0
      const make = () => {
        made++
        return Promise.resolve(new Uint8Array(100))
      }
      await cache.variant(kept, 'br', make)
      await cache.variant(cache.get('page', 0) ?? kept, 'br', make)
      await cache.variant(kept, 'gzip', make)
      expect(made).toBe(2)
      expect(cache.size.bytes).toBeGreaterThan(before + 200)
      cache.received('k')
      await cache.variant(kept, 'br', make)
      await cache.variant(page('k'), 'br', make)
      expect(made).toBe(4)
    })

    it('evicts older entries when a variant takes the cache past its bytes', async () => {
      // Each entry counts 472 bytes; b's variant 7,256 more: a must go.
      const cache = listeningCache(8000)
      expect(cache.put(cache.begin(), 'a', page('a', 'x'.repeat(200)))).toBeDefined()
      const b = cache.put(cache.begin(), 'b', page('b', 'x'.repeat(200)))
      expect(b).toBeDefined()
      await cache.variant(b ?? page('b'), 'br', () => Promise.resolve(new Uint8Array(7000)))
      expect(cache.get('a', 0)).toBeUndefined()
      expect(cache.get('b', 0)).toBeDefined()
      expect(cache.size).toEqual({ entries: 1, bytes: 472 + 7000 + 256 })
    })
  })
})
