import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8 } from '../crypto/encoding.js'
import type { Db } from '../db/database.js'

/** What makes two comments duplicates, as WordPress counts them: article, parent and text, by the same name or email. */
export interface SubmissionSignature {
  articleKey: string
  parentId: number | null
  body: string
  name: string
  emailHash: string | null
}

interface Seen {
  /** The sender's network (rateLimitNetwork), null when it had no address. */
  network: string | null
  until: number
}

/** A safety net only: a submission releases its note once stored or refused, long before this. */
const KEEP_MS = 60_000
const MAX_KEPT = 10_000

const recent = new WeakMap<Db, Map<string, Seen>>()

function keysOf(s: SubmissionSignature): string[] {
  const text = `${s.articleKey}\n${s.parentId ?? ''}\n${toHex(sha256(utf8.encode(s.body)))}`
  return [`${text}\nn:${s.name}`, ...(s.emailHash ? [`${text}\ne:${s.emailHash}`] : [])]
}

/**
 * The duplicate check the database cannot make: comments this instance is still storing. Two copies
 * posted at the same moment each look the other up before either is stored (and, on a hot article,
 * go to the database in one statement), so both would be published. A submission notes itself
 * before its look-up and is released once stored or refused: a copy that was released has
 * committed, and the look-up that follows the note finds it in the database. Checked and noted in
 * one step, with no wait in between: of two copies, the second always sees the first. Returns the
 * networks of the copies in flight, and the release.
 *
 * Per database handle, so per process on Node; a Worker's invocation has a handle of its own, and
 * copies sent at the same moment to different instances still race, as they did before.
 */
export function noteSubmission(
  db: Db,
  signature: SubmissionSignature,
  network: string | null,
  nowMs: number,
): { copies: (string | null)[]; release: () => void } {
  let seen = recent.get(db)
  if (!seen) recent.set(db, (seen = new Map<string, Seen>()))
  const kept = seen
  const copies: (string | null)[] = []
  const mine: Seen = { network, until: nowMs + KEEP_MS }
  const noted: string[] = []
  if (kept.size >= MAX_KEPT) {
    for (const [key, entry] of kept) if (entry.until <= nowMs || kept.size >= MAX_KEPT) kept.delete(key)
  }
  for (const key of keysOf(signature)) {
    const earlier = kept.get(key)
    if (earlier && earlier.until > nowMs) copies.push(earlier.network)
    else {
      kept.set(key, mine)
      noted.push(key)
    }
  }
  return {
    copies,
    release: () => {
      for (const key of noted) if (kept.get(key) === mine) kept.delete(key)
    },
  }
}
