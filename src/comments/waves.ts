/** One item waiting for its wave, and how to answer it. */
export interface Waiting<T, R> {
  item: T
  resolve: (answer: R) => void
  reject: (error: unknown) => void
}

/** The waves running for one queue, and the items waiting for the next. */
export interface Queue<T, R> {
  running: number
  waiting: Waiting<T, R>[]
  /** Set while a timer watches whether the first waiting item is held (watchHeld). */
  watch?: ReturnType<typeof setTimeout> | undefined
}

export interface WavePlan<T, R> {
  /**
   * Waves running at most at once; items that arrive meanwhile wait and go together in the next.
   * Beyond the first, a wave starts only when `spillAt` items wait or the first is held (joinWave).
   */
  running: number
  /** The most items one wave takes: with this many waiting, one more wave may start. */
  spillAt: number
  /** Takes the next wave out of `queue.waiting` (the rest stay); may reject items that must not go. */
  take: (queue: Queue<T, R>) => Waiting<T, R>[]
  /** Answers a wave's items in one statement, in order. */
  ask: (items: T[]) => Promise<R[]>
  /** The queue is empty and idle: its owner may forget it. */
  idle: () => void
}

/**
 * A wave still running when an item has waited this long is held (a lock another connection
 * keeps, a stalled connection), not merely busy (a wave takes ~10 ms under load): another starts
 * beside it, so that one held statement does not hold every submitter behind it.
 */
export const HELD_MS = 50

/** How often a wave PostgreSQL gave up for another's sake is sent again. */
const RETRIES = 2

/** The SQLSTATE of a PostgreSQL error, as the driver raised it or as drizzle wraps it (its `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 3; at = at.cause, depth++) {
    const code = 'code' in at ? at.code : undefined
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

/** A PostgreSQL error about the values (SQLSTATE class 22, data exception; 23, integrity constraint). */
export function isAboutValues(error: unknown): boolean {
  return /^2[23]/.test(sqlState(error) ?? '')
}

/**
 * PostgreSQL gave the statement up for another's sake (40P01, deadlock; 40001, serialization
 * failure): nothing of it was done (each wave is one statement that commits by itself), and sent
 * again it may well go through.
 */
function isGivenUp(error: unknown): boolean {
  const state = sqlState(error)
  return state === '40P01' || state === '40001'
}

/**
 * Group commit, as PostgreSQL does for WAL flushes: an item goes at once when no wave runs;
 * otherwise it waits, and the next wave takes it with everything that arrived meanwhile, one
 * statement for all (comment-batches.ts, lookup-batches.ts).
 *
 * One wave at a time gathers the most items per statement. Two at a time, as these queues ran
 * before, took 10% fewer posts a second on a hot article, with 25% more PostgreSQL CPU per post
 * (issue 16: more, smaller statements, and each round trip's socket write lets a woken backend
 * take the server's core). Another wave starts when a whole wave's worth waits (`spillAt`), so
 * that one wave's size never caps the throughput, or when the first waiting item has waited
 * HELD_MS (watchHeld); it stops once less than a whole wave waits.
 */
export function joinWave<T, R>(queue: Queue<T, R>, item: T, plan: WavePlan<T, R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    queue.waiting.push({ item, resolve, reject })
    if (queue.running === 0 || (queue.running < plan.running && queue.waiting.length >= plan.spillAt)) void send(queue, plan)
    else if (queue.running < plan.running) watchHeld(queue, plan)
  })
}

/** Starts another wave if the first item waiting now still waits HELD_MS later. */
function watchHeld<T, R>(queue: Queue<T, R>, plan: WavePlan<T, R>): void {
  if (queue.watch !== undefined) return
  const first = queue.waiting[0]
  queue.watch = setTimeout(() => {
    queue.watch = undefined
    if (queue.waiting.length === 0 || queue.running >= plan.running) return
    if (queue.waiting[0] === first) void send(queue, plan)
    else watchHeld(queue, plan)
  }, HELD_MS)
}

async function send<T, R>(queue: Queue<T, R>, plan: WavePlan<T, R>): Promise<void> {
  queue.running++
  try {
    while (queue.waiting.length > 0) {
      await answer(plan.take(queue), plan.ask)
      // Leaving in the same turn as this check (finally, below): of two waves ending together, the
      // second sees itself alone and takes what waits.
      if (queue.running > 1 && queue.waiting.length < plan.spillAt) break
    }
  } finally {
    queue.running--
    if (queue.running === 0 && queue.waiting.length === 0) plan.idle()
  }
}

async function answer<T, R>(wave: Waiting<T, R>[], ask: (items: T[]) => Promise<R[]>, retries = RETRIES): Promise<void> {
  if (wave.length === 0) return
  try {
    const answers = await ask(wave.map((waiting) => waiting.item))
    if (answers.length !== wave.length) throw new Error('an answer per item')
    // One per item (checked), R itself may be undefined.
    wave.forEach((waiting, i) => waiting.resolve(answers[i] as R))
  } catch (error) {
    if (retries > 0 && isGivenUp(error)) return answer(wave, ask, retries - 1)
    // One item's values must not cost the others their answer: each goes alone, and fails alone.
    if (wave.length > 1 && isAboutValues(error)) {
      for (const waiting of wave) await answer([waiting], ask)
      return
    }
    for (const waiting of wave) waiting.reject(error)
  }
}
