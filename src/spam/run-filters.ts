import type { CheckResult } from '../db/schema.js'
import { severity, type SpamCandidate, type SpamContext, type SpamFilter, type Verdict } from './spam-filter.js'

const DEFAULT_TIMEOUT_MS = 5000

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

function checkResult(filter: SpamFilter, result: Awaited<ReturnType<SpamFilter['check']>>): CheckResult {
  if (!result || !(result.verdict in severity)) throw new Error('answered no verdict')
  const check: CheckResult = { filter: filter.name, verdict: result.verdict, reason: String(result.reason ?? '') }
  if (result.retry) check.retry = true
  return check
}

// Fail safe: a filter that cannot answer holds the comment; nothing unchecked is published.
const failed = (filter: SpamFilter, error: unknown): CheckResult => ({
  filter: filter.name,
  verdict: 'hold',
  reason: `error: ${error instanceof Error ? error.message : String(error)}`,
})

async function runOne(filter: SpamFilter, candidate: SpamCandidate, ctx: SpamContext): Promise<CheckResult> {
  let answer: ReturnType<SpamFilter['check']>
  try {
    answer = filter.check(candidate, ctx)
    // WordPress's own rules answer at once: no timer, no race (six of them run for every submission).
    if (!isThenable(answer)) return checkResult(filter, answer)
  } catch (error) {
    return failed(filter, error)
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeoutMs = filter.timeoutMs ?? DEFAULT_TIMEOUT_MS
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    })
    return checkResult(filter, await Promise.race([answer, timeout]))
  } catch (error) {
    return failed(filter, error)
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

/** Runs every filter in order and returns each result and the most severe verdict. */
export async function runFilters(
  filters: SpamFilter[],
  candidate: SpamCandidate,
  ctx: SpamContext,
): Promise<{ verdict: Verdict; checks: CheckResult[] }> {
  const checks: CheckResult[] = []
  let verdict: Verdict = 'approve'
  for (const filter of filters) {
    const result = await runOne(filter, candidate, ctx)
    checks.push(result)
    if (severity[result.verdict] > severity[verdict]) verdict = result.verdict
  }
  return { verdict, checks }
}
