import type { Db } from '../db/database.js'
import { lookUpSubmissions, type LookupQuestion, type SubmissionLookup } from './submission-lookup.js'
import { joinWave, type Queue } from './waves.js'

type LookupQueue = Queue<LookupQuestion, SubmissionLookup | undefined>

const queues = new WeakMap<Db, LookupQueue>()

/**
 * Look-ups running at most at once per database handle (the second only while a whole wave waits
 * or the first is held: waves.ts). While one runs, the submissions that arrive wait and go together in the next: on a
 * busy site a statement, its round trip and its transaction serve a wave of submissions, where each
 * took its own (a hot article's PostgreSQL time per post fell by a fourth, issue 16). Nothing waits
 * when none runs: a quiet site's look-up goes at once.
 */
const RUNNING = 2

/** The most submissions one look-up answers. */
const MAX_BATCH = 32

/**
 * The next wave: the first waiting and those after it with the same flood window and no flood key
 * already in the wave (two claims of one mark in a statement would meet the same row twice, and
 * one of them must see the other's), in order; the rest keep waiting.
 */
function take(queue: LookupQueue) {
  const wave: LookupQueue['waiting'] = []
  const rest: LookupQueue['waiting'] = []
  const keys = new Set<string | null>()
  const seconds = queue.waiting[0]?.item.flood.seconds
  for (const waiting of queue.waiting) {
    const { flood } = waiting.item
    const own = [flood.keys.network, flood.keys.email, flood.keys.emailFromNetwork]
    if (wave.length < MAX_BATCH && flood.seconds === seconds && !own.some((key) => key !== null && keys.has(key))) {
      wave.push(waiting)
      for (const key of own) keys.add(key)
    } else rest.push(waiting)
  }
  queue.waiting = rest
  return wave
}

/**
 * What a submission needs to know before its rules run (submission-lookup.ts), asked together with
 * the others waiting on the same handle (waves.ts). Queues are per database handle: a Worker's
 * invocation has a handle of its own, so no request there ever waits on another's connection.
 */
export function lookUpSubmission(db: Db, question: LookupQuestion): Promise<SubmissionLookup | undefined> {
  let queue = queues.get(db)
  if (!queue) queues.set(db, (queue = { running: 0, waiting: [] }))
  return joinWave(queue, question, {
    running: RUNNING,
    spillAt: MAX_BATCH,
    take,
    ask: (questions) => lookUpSubmissions(db, questions),
    idle: () => queues.delete(db),
  })
}
