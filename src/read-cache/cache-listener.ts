import { loggedError } from '../logged-error.js'
import postgres from 'postgres'
import type { PGlite } from '@electric-sql/pglite'
import type { Logger } from '../logger.js'
import { READ_CACHE_CHANNEL, ReadCache } from './read-cache.js'
import { reconnectDelay } from '../db/postgres.js'

export interface CacheListener {
  cache: ReadCache
  /** Settles when the cache first listens (until then it keeps nothing). */
  ready: Promise<void>
  close(): Promise<void>
}

const RETRY_MS = 250
const RETRY_MAX_MS = 2000
const HEARTBEAT_MS = 5000

/**
 * A read cache fed by PostgreSQL's notifications over one connection of its own, not postgres.js's
 * `sql.listen`, which gives up on a channel whose re-listen fails once (the database still down).
 * While that connection is down the cache holds and serves nothing; it reconnects with backoff.
 * `sync()` markers go through the app's pool (`pool`), as the writes they follow did.
 *
 * A connection can also die without a word (a network partition, a stalled backend): no close
 * arrives and TCP keepalive takes minutes to notice. So every `heartbeatMs` the instance sends
 * itself a marker; one that does not come back in time stops the cache (it serves and keeps
 * nothing) until LISTEN answers again on a live connection.
 */
export function listenPostgres(
  url: string,
  pool: postgres.Sql,
  maxBytes: number,
  logger: Logger,
  onFlush?: () => void,
  { heartbeatMs = HEARTBEAT_MS } = {},
): CacheListener {
  const cache = new ReadCache(maxBytes, { notify: (payload) => pool`select pg_notify(${READ_CACHE_CHANNEL}, ${payload})`, onFlush })
  let closed = false
  let retry: ReturnType<typeof setTimeout> | undefined
  let delay = RETRY_MS
  let markReady = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  // onnotify is a postgres.js option its types leave out (sql.listen is built on it).
  const options: postgres.Options<Record<string, never>> & { onnotify: (channel: string, payload: string) => void } = {
    max: 1,
    max_lifetime: null,
    // Its own retries (RETRY_MS…) pace it; postgres.js's would add up to 20 s after an outage.
    backoff: reconnectDelay,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'parley-read-cache' },
    onnotify: (channel, payload) => {
      if (channel === READ_CACHE_CHANNEL) cache.received(payload)
    },
    onclose: () => {
      cache.setListening(false)
      reconnect()
    },
  }
  const listener = postgres(url, options)

  function reconnect(): void {
    if (closed || retry) return
    retry = setTimeout(() => {
      retry = undefined
      void listen()
    }, delay)
    delay = Math.min(delay * 2, RETRY_MAX_MS)
  }

  async function listen(): Promise<void> {
    try {
      await listener.unsafe(`listen ${READ_CACHE_CHANNEL}`)
      delay = RETRY_MS
      cache.setListening(true)
      markReady()
    } catch (error) {
      logger.warn('read cache: cannot listen; reads go to the database', loggedError(error))
      reconnect()
    }
  }

  let relistening = false
  async function heartbeat(): Promise<void> {
    if (closed || relistening || !cache.isListening || (await cache.sync())) return
    logger.warn('read cache: its LISTEN connection stopped answering; reads go to the database')
    cache.setListening(false)
    relistening = true
    // On a stalled connection this waits until the connection answers or postgres.js drops it
    // (onclose then reconnects); either way the cache stays off until LISTEN succeeds.
    await listen()
    relistening = false
  }
  const beat = setInterval(() => void heartbeat(), heartbeatMs)
  beat.unref()

  void listen()
  return {
    cache,
    ready,
    async close() {
      closed = true
      clearInterval(beat)
      clearTimeout(retry)
      cache.setListening(false)
      await listener.end({ timeout: 5 })
    },
  }
}

/** The same on the embedded engine, whose notifications arrive before the statement that sent them returns. */
export async function listenPglite(client: PGlite, maxBytes: number, onFlush?: () => void): Promise<CacheListener> {
  const cache = new ReadCache(maxBytes, { onFlush })
  const unlisten = await client.listen(READ_CACHE_CHANNEL, (payload) => cache.received(payload))
  cache.setListening(true)
  return {
    cache,
    ready: Promise.resolve(),
    async close() {
      cache.setListening(false)
      await unlisten()
    },
  }
}
