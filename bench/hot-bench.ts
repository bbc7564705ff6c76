import { BIG_KEY } from './dataset.js'
import { startParley } from './engine-runs.js'
import { prepareSingleRun } from './single-run.js'
import { warmUp } from './load.js'
import type { BenchOptions } from './options.js'
import { measureHotCold, measureHttpFloor, measurePosts, type SubmissionResult } from './scenarios.js'
import { hotArticle, newCommenters, threadPath } from './workloads.js'
import { cpuText, withCpu } from './posting-cpu.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

const row = (label: string, result: SubmissionResult, floorRps: number) =>
  `  ${label.padEnd(6)} ${Math.round(result.acceptedPerS).toLocaleString('en')} accepted/s (${((result.acceptedPerS / floorRps) * 100).toFixed(1)}% of the floor), ` +
  `p50 ${result.measurement.p50Ms} ms, p99 ${result.measurement.p99Ms} ms, ${result.measurement.non2xx} non-2xx, RSS max ${Math.round(result.measurement.rssMaxMb)} MB` +
  (result.cpu ? `; ${cpuText(result.cpu)}` : '')

/**
 * `npm run bench -- --hot-only`: the hot article alone on PostgreSQL (cold, then warm after the
 * server's warm-up), beside the HTTP floor of the same run: the loop to iterate on the write path
 * (with --profile, the server's CPU profile) without the full run's ten minutes.
 */
export async function benchHotOnly(options: BenchOptions): Promise<void> {
  const { connections, durationS, serverWarmupS } = options
  const { load, url, workDir, done } = await prepareSingleRun(options, 'hot')
  const commenters = newCommenters()
  const profileDir = options.profile ? 'bench/results/profiles/postgres-hot' : undefined
  const server = await startParley({ DATABASE_URL: url }, options.poolMax, true, profileDir)
  let cold: SubmissionResult
  let warm: SubmissionResult
  let firstPage: string
  try {
    firstPage = await (await fetch(server.baseUrl + threadPath(BIG_KEY))).text()
    cold = await measureHotCold(server, load, commenters, true)
    log(`parley: server warm-up ${serverWarmupS} s, then hot article, warm`)
    await warmUp(server, hotArticle({ approved: 0, held: 0 }, commenters), load, serverWarmupS)
    warm = await withCpu(server, true, () => measurePosts(server, load, (tally) => hotArticle(tally, commenters)))
  } finally {
    await server.stop()
  }
  try {
    const floor = await measureHttpFloor(firstPage, workDir, load)
    const floorRps = floor.measurement.rps
    console.log(`HTTP floor ${Math.round(floorRps).toLocaleString('en')} req/s (${floor.bodyBytes} B body)`)
    console.log(`Hot article on PostgreSQL, ${connections} connections, ${durationS} s:`)
    console.log(row('cold', cold, floorRps))
    console.log(row('warm', warm, floorRps))
    if (profileDir) console.log(`CPU profile in ${profileDir}`)
  } finally {
    await done()
  }
}
