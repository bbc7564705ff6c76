import { describe, expect, it } from 'vitest'
import { inArray } from 'drizzle-orm'
import { floodMarks } from '../src/db/schema.js'
import { lookUpSubmission } from '../src/comments/lookup-batches.js'
import { lookUpSubmissions, type LookupQuestion } from '../src/comments/submission-lookup.js'
import { setupTestApp, TEST_START } from './support/test-app.js'
import { postComment } from './support/seed.js'

// The submissions' look-ups, batched: a wave of them in one statement (issue 16). Each must learn
// what it learned alone, and no two may claim one flood mark.
const t = await setupTestApp()
// The app's tables are emptied before each test: each seeds its article (and parent) again.
async function seed() {
  await t.setSettings({ previouslyApproved: false })
  const parent = await postComment(t, 'wave', { body: 'The parent of the wave.' }, '203.0.113.1')
  if (parent.comment.status !== 'approved') throw new Error('the parent is held')
  return parent
}

/** When the flood mark `key` was last set (ms), if it is there. */
async function markAt(key: string): Promise<number | undefined> {
  const [mark] = await t.deps.db
    .select()
    .from(floodMarks)
    .where(inArray(floodMarks.key, [key]))
  return mark?.lastAt.getTime()
}

let serial = 0
function question(
  fields: { key?: string; network?: string; parentId?: number; seconds?: number; at?: number; openedAfter?: Date } = {},
): LookupQuestion {
  serial++
  return {
    values: {
      key: fields.key ?? 'wave',
      body: `Wave comment ${serial}`,
      parentId: fields.parentId ?? null,
      emailHash: `e${serial}`,
      name: `W${serial}`,
      openedAfter: fields.openedAfter ?? null,
    },
    flood: {
      keys: { network: fields.network ?? `net-${serial}`, email: `mail-${serial}`, emailFromNetwork: `from-${serial}` },
      now: new Date(TEST_START.getTime() + (fields.at ?? 600) * 1000),
      seconds: fields.seconds ?? 15,
    },
    ruleKeys: [],
  }
}

describe('batched look-ups', () => {
  it('answer a wave in order, each as it would be answered alone, one claim per shared network', async () => {
    const parent = await seed()
    // The first goes at once; the rest wait, and go together.
    const wave = [
      question(),
      question(),
      question({ network: 'shared' }),
      question({ key: 'no-such-article' }),
      question({ network: 'shared' }),
      question({ parentId: parent.comment.id }),
      question({ parentId: 999_999 }),
      question({ network: 'shared' }),
      ...Array.from({ length: 40 }, () => question()),
    ]
    const answers = await Promise.all(wave.map((q) => lookUpSubmission(t.deps.db, q)))
    expect(answers.map((a) => a?.article.key)).toEqual(wave.map((q) => (q.values.key === 'wave' ? 'wave' : undefined)))
    // The three from one network: one claims its marks, the others find that network's mark taken.
    expect([2, 4, 7].map((i) => answers[i]?.claimed).sort()).toEqual([false, false, true])
    expect(answers[5]?.parent?.id).toBe(parent.comment.id)
    expect(answers[5]?.claimed).toBe(true)
    // A parent that is not there: no claim (the submission is refused before flood control).
    expect(answers[6]?.parent).toBeUndefined()
    expect(answers[6]?.claimed).toBe(false)
    const alone = [0, 1, ...Array.from({ length: 40 }, (_, i) => 8 + i)]
    expect(alone.every((i) => answers[i]?.claimed === true)).toBe(true)
  })

  it('refresh a mark older than the flood window, and leave a recent one as it was', async () => {
    await seed()
    const [first] = await lookUpSubmissions(t.deps.db, [question({ network: 'again', at: 1000 })])
    expect(first?.claimed).toBe(true)
    const within = question({ network: 'again', at: 1010 })
    const [second] = await lookUpSubmissions(t.deps.db, [within])
    expect(second?.claimed).toBe(false)
    expect(await markAt('again')).toBe(TEST_START.getTime() + 1000_000)
    const [third] = await lookUpSubmissions(t.deps.db, [question({ network: 'again', at: 1016 })])
    expect(third?.claimed).toBe(true)
    expect(await markAt('again')).toBe(TEST_START.getTime() + 1016_000)
  })

  it('take one flood window per statement', async () => {
    await seed()
    await expect(lookUpSubmissions(t.deps.db, [question({ seconds: 15 }), question({ seconds: 30 })])).rejects.toThrow('one flood window')
    // Queued together, they are answered in two statements.
    const answers = await Promise.all(
      [question({ seconds: 15 }), question({ seconds: 30 }), question({ seconds: 15 })].map((q) => lookUpSubmission(t.deps.db, q)),
    )
    expect(answers.map((a) => a?.claimed)).toEqual([true, true, true])
  })

  it('claim nothing for an article closed by age, and answer it still', async () => {
    await seed()
    const [old, fresh] = await lookUpSubmissions(t.deps.db, [
      question({ network: 'aged', openedAfter: new Date(TEST_START.getTime() + 1000) }),
      question({ network: 'young', openedAfter: new Date(TEST_START.getTime() - 1000) }),
    ])
    expect(old?.article.key).toBe('wave')
    expect(old?.claimed).toBe(false)
    expect(fresh?.claimed).toBe(true)
  })
})
