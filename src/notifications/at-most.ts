/**
 * `work` on every item, at most `limit` at a time, started in order (the workers share one
 * iterator). Settles only once every started one has ended, so the sweep never returns (and the next
 * run or a shutdown never goes on) with a send still out; after a failure no more are started, and
 * the first failure is thrown, as the one-at-a-time loop did.
 */
export async function atMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = items.values()
  let failure: { error: unknown } | undefined
  const worker = async () => {
    for (const item of queue) {
      try {
        await work(item)
      } catch (error) {
        failure ??= { error }
      }
      if (failure) return
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
}
