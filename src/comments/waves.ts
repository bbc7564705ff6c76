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
}

export interface WavePlan<T, R> {
  /**
   * Waves running at most at once; items that arrive meanwhile wait and go together in the next.
   * Beyond the first, a wave starts only when `spillAt` items wait (see joinWave).
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
 * A PostgreSQL error about the values (SQLSTATE class 22, data exception; 23, integrity
 * constraint), as the driver raised it or as drizzle wraps it (its `cause`).
 */
export function isAboutValues(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 3; at = at.cause, depth++) {
    const code = 'code' in at ? at.code : undefined
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true
  }
  return false
}

/**
 * Group commit, as PostgreSQL does for WAL flushes: an item goes at once when no wave runs;
 * otherwise it waits, and the next wave takes it with everything that arrived meanwhile, one
 * statement for all (comment-batches.ts, lookup-batches.ts).
 *
 * One wave at a time gathers the most items per statement. Two at a time, as these queues ran
 * before, took 10% fewer posts a second on a hot article, with 25% more PostgreSQL CPU per post
 * (issue 16: more, smaller statements, and each round trip's socket write lets a woken backend
 * take the server's core). Another wave starts only when a whole wave's worth waits (`spillAt`),
 * so that one wave's size never caps the throughput; it stops once less than that waits.
 */
export function joinWave<T, R>(queue: Queue<T, R>, item: T, plan: WavePlan<T, R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    queue.waiting.push({ item, resolve, reject })
    if (queue.running === 0 || (queue.running < plan.running && queue.waiting.length >= plan.spillAt)) void send(queue, plan)
  })
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

async function answer<T, R>(wave: Waiting<T, R>[], ask: (items: T[]) => Promise<R[]>): Promise<void> {
  if (wave.length === 0) return
  try {
    const answers = await ask(wave.map((waiting) => waiting.item))
    if (answers.length !== wave.length) throw new Error('an answer per item')
    // One per item (checked), R itself may be undefined.
    wave.forEach((waiting, i) => waiting.resolve(answers[i] as R))
  } catch (error) {
    // One item's values must not cost the others their answer: each goes alone, and fails alone.
    if (wave.length > 1 && isAboutValues(error)) {
      for (const waiting of wave) await answer([waiting], ask)
      return
    }
    for (const waiting of wave) waiting.reject(error)
  }
}
