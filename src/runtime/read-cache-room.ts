import { getHeapStatistics } from 'node:v8'

const MB = 1024 * 1024

/**
 * What Parley itself keeps in V8's old generation under load besides the read cache: about 25 MB
 * live when measured (thread pages, submissions, a 100,000-comment import through HTTP), with room
 * to spare.
 */
export const WORKING_SET_BYTES = 48 * MB

/**
 * The old generation's limit this process was started with (`--max-old-space-size`, which
 * `npm start` sets from PARLEY_HEAP_MB), where the read cache's long-lived entries live. V8's
 * `heap_size_limit` adds the young generation to it: 48 MB on Node 22, 192 MB on Node 24, so on
 * Node 24 it would promise a 64 MB heap room for a 64 MB cache that the old generation cannot hold.
 */
export function oldSpaceLimitBytes(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number {
  const flags = [...nodeOptions.split(/\s+/), ...execArgv]
  let limitMb: number | undefined
  for (const flag of flags) {
    const match = /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(flag)
    if (match) limitMb = Number(match[1])
  }
  if (limitMb !== undefined) return limitMb * MB
  // V8's own default old generation, sized from the machine's memory: the whole limit less the
  // largest young generation Node reserves (Node 24's).
  return Math.max(0, getHeapStatistics().heap_size_limit - 192 * MB)
}

/**
 * The read cache's budget, shrunk to fit the heap this process was given: a cache larger than the
 * old generation's room would end in an out-of-memory crash instead of evictions. Its bodies are
 * kept as bytes outside V8's heap (ReadCache.put), but its keys, ETags and bookkeeping, and each
 * page as rendered before it is kept, are on it: the rule stays, on the safe side.
 */
export function readCacheRoom(requestedBytes: number, oldSpaceBytes = oldSpaceLimitBytes()): number {
  return Math.max(0, Math.min(requestedBytes, oldSpaceBytes - WORKING_SET_BYTES))
}
