/**
 * Lets requests start one per event-loop turn, first come first served (PGlite only).
 *
 * Why: libuv accepts one new connection per turn of the event loop, and PGlite answers every
 * query within microtasks, so one turn runs every request that is ready to completion (~30 ms
 * each for a thread page). Under 50 busy keep-alive readers a turn lasts ~1.5 s, and a reader
 * who opens a new connection waits one such turn per connection ahead of it: first answers after
 * 10–16 s, though the server was never idle. Starting one request per turn lets a turn last one
 * request, so connections are accepted as fast as requests finish; the order of requests is kept
 * and so is throughput (PGlite runs one statement at a time anyway). PostgreSQL needs none: its
 * queries leave the process, and the loop turns while they run.
 */
export function turnGate(): () => Promise<void> {
  const waiting: Array<() => void> = []
  let open = true
  // Runs in the loop's check phase; the next call is queued for the next turn's check phase, after
  // that turn's poll phase has accepted a connection and read whatever requests came in.
  const admitNext = () => {
    const next = waiting.shift()
    if (!next) {
      open = true
      return
    }
    next()
    setImmediate(admitNext)
  }
  return () => {
    if (open) {
      open = false
      setImmediate(admitNext)
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => waiting.push(resolve))
  }
}
