import { getHeapStatistics } from 'node:v8'

/**
 * What Parley itself keeps on V8's heap under load besides the read cache: about 25 MB live when
 * measured (thread pages, submissions, a 100,000-comment import through HTTP), with room to spare.
 */
export const WORKING_SET_BYTES = 96 * 1024 * 1024

/**
 * The read cache's budget, shrunk to fit the heap this process was given (`npm start` sets
 * --max-old-space-size from PARLEY_HEAP_MB): a cache larger than the heap's room would end in an
 * out-of-memory crash instead of evictions.
 */
export function readCacheRoom(requestedBytes: number, heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  return Math.max(0, Math.min(requestedBytes, heapLimitBytes - WORKING_SET_BYTES))
}
