/** The channel the database's triggers (drizzle/0003_read_cache_notify.sql) notify on. */
export const READ_CACHE_CHANNEL = 'parley_read_cache'

/** A response kept as it was sent. */
export interface CachedRead {
  /** As the route renders it; kept as its UTF-8 bytes (put), which are what a reader is sent. */
  body: string | Uint8Array
  etag: string
  /** The article keys whose change makes it stale. */
  articles: readonly string[]
  /** When it goes stale by itself (its article closes by age), in ms since the epoch. */
  expiresAt: number
  /** Its Content-Type: JSON unless said (the thread's HTML fragment). */
  type?: string
  /** More headers it is answered with (the fragment's comment count). */
  headers?: Readonly<Record<string, string>>
}

interface Entry extends CachedRead {
  key: string
  bytes: number
  /** The body in other forms (compressed), each made once while the entry is kept (`variant`). */
  variants?: Map<string, Promise<Uint8Array>>
}

/** A marker a write sends in its own transaction (`expect`): heard already, or who waits for it. */
interface Expected {
  heard: boolean
  resolve?: (heard: boolean) => void
}

const utf8 = new TextEncoder()

// Invalidations remembered for put(): enough to cover every read in flight under normal load;
// a read older than this history is simply not kept.
const HISTORY = 256
// Per-entry bookkeeping on top of the strings (Map slots, index sets), roughly.
const ENTRY_OVERHEAD = 256
// Notification payloads that cannot be article keys (see articleKeyPattern).
const FLUSH = '*'
const SYNC = '!'

/**
 * Rendered public reads (thread pages, counts) kept in this process's memory, an LRU bounded by
 * bytes. Entries are only kept and served while the instance is listening to the database's
 * change notifications: a notification for an article drops everything that shows it, and a
 * lost connection drops everything (and again once it is back, for what it may have missed).
 *
 * A read takes a ticket with `begin()` before it queries; `put()` refuses its answer if an
 * invalidation that concerns it arrived in between, since the answer may predate that change.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>()
  private readonly byArticle = new Map<string, Set<string>>()
  private readonly history: string[] = []
  /** Reads from the database under way, by key: what each kept, for the readers who asked meanwhile (readOnce). */
  private readonly flights = new Map<string, Promise<CachedRead | undefined>>()
  private readonly waiting = new Map<number, (heard: boolean) => void>()
  private readonly expected = new Map<string, Expected>()
  private readonly id = crypto.randomUUID().slice(0, 8)
  private bytes = 0
  private seq = 0
  private sent = 0
  private listening = false

  /**
   * @param maxBytes the memory it may hold (bodies as their bytes, keys and ETags counted as UTF-16).
   * @param options.notify sends a notification on the channel (through the pool), for `sync()`;
   *   absent where notifications arrive before the statement that sent them returns (PGlite).
   * @param options.onFlush called when everything is dropped (settings may have changed).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly options: { notify?: (payload: string) => Promise<unknown>; onFlush?: () => void; syncTimeoutMs?: number } = {},
  ) {}

  get isListening(): boolean {
    return this.listening
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  /** A ticket for `put()`, taken before reading the database. */
  begin(): number {
    return this.listening ? this.seq : -1
  }

  get(key: string, nowMs: number): CachedRead | undefined {
    const entry = this.entries.get(key)
    if (!entry || !this.listening) return undefined
    if (nowMs >= entry.expiresAt) {
      this.remove(key)
      return undefined
    }
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry
  }

  /** Keeps a read under `key`, unless a change heard since `ticket` may postdate it; what it kept. */
  put(ticket: number, key: string, read: CachedRead): CachedRead | undefined {
    if (ticket < 0 || !this.listening || this.changedSince(ticket, read.articles)) return undefined
    // Kept as bytes, encoded once: off the heap, and written to every reader without a copy.
    const body = typeof read.body === 'string' ? utf8.encode(read.body) : read.body
    const bytes = 2 * (key.length + read.etag.length) + body.byteLength + ENTRY_OVERHEAD
    if (bytes > this.maxBytes / 8) return undefined
    this.remove(key)
    const entry: Entry = { ...read, body, key, bytes }
    this.entries.set(key, entry)
    this.bytes += bytes
    for (const article of read.articles) {
      let keys = this.byArticle.get(article)
      if (!keys) this.byArticle.set(article, (keys = new Set()))
      keys.add(key)
    }
    this.evict()
    return entry
  }

  /**
   * Reads `key` from the database once for every reader who asks while it is read (single flight):
   * when a page goes stale (an article's change, votes every few seconds), fifty readers arriving
   * together would otherwise each query, render and compress it. A reader who joins a read gets
   * its answer only if it was kept (no change to its articles heard since that read began, so none
   * hidden from a reader who arrived later) and has not expired by the time it comes back;
   * otherwise it reads for itself. `ticket` is the reader's own, taken as its request arrived
   * (before its route loaded what it renders with, such as the settings): a reader who waited on
   * a flight and then reads for itself keeps its answer only if nothing changed since it arrived.
   */
  async readOnce(key: string, ticket: number, nowMs: () => number, read: () => Promise<CachedRead>): Promise<CachedRead> {
    const flight = this.flights.get(key)
    const joined = flight && (await flight)
    if (joined && nowMs() < joined.expiresAt) return joined
    let land: (kept: CachedRead | undefined) => void = () => {}
    const mine = new Promise<CachedRead | undefined>((resolve) => (land = resolve))
    this.flights.set(key, mine)
    try {
      const answer = await read()
      const kept = this.put(ticket, key, answer)
      land(kept)
      return kept ?? answer
    } finally {
      land(undefined)
      if (this.flights.get(key) === mine) this.flights.delete(key)
    }
  }

  /**
   * The kept read's body in another form (`name`: a compressed coding), made by `make` the first
   * time it is asked for and kept with the entry, its bytes counted, until the entry goes. A read
   * that is not (or no longer) kept is made each time it is asked.
   */
  variant(read: CachedRead, name: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const entry = read as Partial<Entry>
    if (entry.key === undefined || this.entries.get(entry.key) !== entry) return make()
    const kept = entry.variants?.get(name)
    if (kept) return kept
    const made = make()
    ;(entry.variants ??= new Map()).set(name, made)
    made.then(
      (bytes) => {
        if (this.entries.get(entry.key ?? '') !== entry) return
        const size = bytes.byteLength + ENTRY_OVERHEAD
        entry.bytes = (entry.bytes ?? 0) + size
        this.bytes += size
        this.evict()
      },
      () => entry.variants?.delete(name),
    )
    return made
  }

  /** How long a writer waits for its marker: what its request has left, never past the sync timeout. */
  private waitBound(withinMs: number | undefined): number {
    const { syncTimeoutMs = 2000 } = this.options
    return Math.max(0, Math.min(withinMs ?? syncTimeoutMs, syncTimeoutMs))
  }

  private evict(): void {
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.remove(oldest)
    }
  }

  /** One notification from the channel. */
  received(payload: string): void {
    if (payload.startsWith(SYNC)) return this.synced(payload)
    if (payload === FLUSH) return this.flush()
    this.record(payload)
    for (const key of [...(this.byArticle.get(payload) ?? [])]) this.remove(key)
  }

  /** The LISTEN connection is up (after it was down: everything it missed is dropped) or down. */
  setListening(listening: boolean): void {
    this.listening = listening
    this.flush()
    if (listening) return
    // Nothing is served until the listener is back (and then nothing older): no one need wait.
    this.releaseWaiting(this.sent)
    for (const entry of this.expected.values()) {
      entry.heard = true
      entry.resolve?.(true)
    }
  }

  /**
   * Resolves once this instance has heard every notification committed before the call, so that
   * a writer's next read here cannot be served what its write replaced. Notifications arrive in
   * commit order, so hearing our own marker, sent after the write committed, is enough.
   * False when the marker did not come back within `withinMs` (default: the sync timeout), and
   * everything cached is dropped then: the listener may have stopped hearing anything, or the pool
   * could not send the marker (the database is down, its connections are gone). The bound covers
   * sending too: a caller never waits on the pool past it.
   */
  async sync(withinMs?: number): Promise<boolean> {
    const { notify } = this.options
    if (!notify || !this.listening) return true
    const n = ++this.sent
    const heard = new Promise<boolean>((resolve) => this.waiting.set(n, resolve))
    const timer = setTimeout(() => this.releaseWaiting(n, true), this.waitBound(withinMs))
    // Not awaited: a marker the pool sends late is harmless once this sync has given up.
    notify(`${SYNC}${this.id}.${n}`).catch(() => this.releaseWaiting(n, true))
    try {
      return await heard
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * A marker for a write to notify in its own transaction, so that `heard()` needs no round trip of
   * its own after the commit (a submission's one statement carries it). Undefined where no marker
   * is needed (PGlite, or nothing is kept while the listener is down). Unlike `sync()`'s markers,
   * each is resolved only by itself: it is taken before its write commits, so a later marker heard
   * first says nothing about it.
   */
  expect(): string | undefined {
    if (!this.options.notify || !this.listening) return undefined
    const payload = `${SYNC}${this.id}:${++this.sent}`
    this.expected.set(payload, { heard: false })
    return payload
  }

  /**
   * Resolves once the marker from `expect()`, committed with the write, has come back: as `sync()`
   * does, false after `withinMs` and everything cached dropped then.
   */
  async heard(payload: string, withinMs?: number): Promise<boolean> {
    const entry = this.expected.get(payload)
    if (!entry || entry.heard) {
      this.expected.delete(payload)
      return true
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await new Promise<boolean>((resolve) => {
        entry.resolve = resolve
        timer = setTimeout(() => {
          this.flush()
          resolve(false)
        }, this.waitBound(withinMs))
      })
    } finally {
      if (timer !== undefined) clearTimeout(timer)
      this.expected.delete(payload)
    }
  }

  /** A marker whose write did not commit: nobody will wait for it. */
  forget(payload: string): void {
    this.expected.delete(payload)
  }

  flush(): void {
    this.record(FLUSH)
    this.entries.clear()
    this.byArticle.clear()
    this.bytes = 0
    this.options.onFlush?.()
  }

  private synced(payload: string): void {
    const expected = this.expected.get(payload)
    if (expected) {
      expected.heard = true
      expected.resolve?.(true)
      return
    }
    const [id, n] = payload.slice(SYNC.length).split('.')
    if (id === this.id) this.releaseWaiting(Number(n))
  }

  private releaseWaiting(upTo: number, timedOut = false): void {
    if (timedOut && this.waiting.has(upTo)) this.flush()
    for (const [n, resolve] of this.waiting) {
      if (n > upTo) continue
      this.waiting.delete(n)
      resolve(!timedOut)
    }
  }

  private record(article: string): void {
    this.seq++
    this.history.push(article)
    if (this.history.length > HISTORY) this.history.shift()
  }

  private changedSince(ticket: number, articles: readonly string[]): boolean {
    const missed = this.seq - ticket
    if (missed === 0) return false
    if (missed > this.history.length) return true
    return this.history.slice(-missed).some((article) => article === FLUSH || articles.includes(article))
  }

  private remove(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    this.bytes -= entry.bytes
    for (const article of entry.articles) {
      const keys = this.byArticle.get(article)
      keys?.delete(key)
      if (keys?.size === 0) this.byArticle.delete(article)
    }
  }
}
