import type { Db } from '../db/database.js'
import { isAboutValues } from './comment-batches.js'
import { lookUpSubmissions, type LookupQuestion, type SubmissionLookup } from './submission-lookup.js'

interface Waiting {
  question: LookupQuestion
  resolve: (answer: SubmissionLookup | undefined) => void
  reject: (error: unknown) => void
}

interface Queue {
  running: number
  waiting: Waiting[]
}

const queues = new WeakMap<Db, Queue>()

/**
 * Look-ups running at once per database handle. While they run, the submissions that arrive wait
 * and go together in the next: on a busy site a statement, its round trip and its transaction
 * serve a wave of submissions, where each took its own (a hot article's PostgreSQL time per post
 * fell by a fifth, issue 16). Nothing waits when fewer run: a quiet site's look-up goes at once.
 */
const RUNNING = 2

/** The most submissions one look-up answers. */
const MAX_BATCH = 32

const floodKeysOf = ({ flood: { keys } }: LookupQuestion) => [keys.network, keys.email, keys.emailFromNetwork]

/**
 * What a submission needs to know before its rules run (submission-lookup.ts), asked together with
 * the others waiting on the same handle. Queues are per database handle: a Worker's invocation has
 * a handle of its own, so no request there ever waits on another's connection.
 */
export function lookUpSubmission(db: Db, question: LookupQuestion): Promise<SubmissionLookup | undefined> {
  let queue = queues.get(db)
  if (!queue) queues.set(db, (queue = { running: 0, waiting: [] }))
  const q = queue
  return new Promise((resolve, reject) => {
    q.waiting.push({ question, resolve, reject })
    if (q.running < RUNNING) void send(db, q)
  })
}

/**
 * The next batch: the first waiting and those after it with the same flood window and no flood key
 * already in the batch (two claims of one mark in a statement would meet the same row twice, and
 * one of them must see the other's), in order; the rest keep waiting.
 */
function nextBatch(queue: Queue): Waiting[] {
  const batch: Waiting[] = []
  const keys = new Set<string>()
  const rest: Waiting[] = []
  const seconds = queue.waiting[0]?.question.flood.seconds
  for (const waiting of queue.waiting) {
    const own = floodKeysOf(waiting.question).filter((key) => key !== null)
    if (batch.length < MAX_BATCH && waiting.question.flood.seconds === seconds && !own.some((key) => keys.has(key))) {
      batch.push(waiting)
      for (const key of own) keys.add(key)
    } else rest.push(waiting)
  }
  queue.waiting = rest
  return batch
}

async function send(db: Db, queue: Queue): Promise<void> {
  queue.running++
  try {
    while (queue.waiting.length > 0) await answer(db, nextBatch(queue))
  } finally {
    queue.running--
    if (queue.running === 0 && queue.waiting.length === 0) queues.delete(db)
  }
}

async function answer(db: Db, batch: Waiting[]): Promise<void> {
  try {
    const answers = await lookUpSubmissions(
      db,
      batch.map((waiting) => waiting.question),
    )
    batch.forEach((waiting, i) => waiting.resolve(answers[i]))
  } catch (error) {
    // One submission's values must not cost the others their answer: each goes alone, and fails alone.
    if (batch.length > 1 && isAboutValues(error)) {
      for (const waiting of batch) await answer(db, [waiting])
      return
    }
    for (const waiting of batch) waiting.reject(error)
  }
}
