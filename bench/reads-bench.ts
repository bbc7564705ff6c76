import { BIG_KEY } from './dataset.js'
import { startParley } from './engine-runs.js'
import { prepareSingleRun } from './single-run.js'
import { measure, warmUp, type Measurement } from './load.js'
import type { BenchOptions } from './options.js'
import { processCpuSeconds } from './process-cpu.js'
import { measureHttpFloor, readScenarios, readWorkload, type ReadScenario } from './scenarios.js'
import { bigFirstPage, threadPath, wholeThreadPaths } from './workloads.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

/** Each JSON read beside its fragment, so that the two of a pair run one after the other. */
const PAIRS: [ReadScenario, ReadScenario][] = [
  ['first-page-br', 'first-page-html-br'],
  ['whole-thread-br', 'whole-thread-html-br'],
  ['first-page', 'first-page-html'],
  ['whole-thread', 'whole-thread-html'],
]

interface Figure {
  measurement: Measurement
  /** Server CPU (user + system) per response, in µs, the run's warm-up at the measured rate. */
  cpuUs: number
}

/**
 * `npm run bench -- --reads-only`: the cache-on server's reads of the big article on PostgreSQL, the
 * JSON thread beside its HTML fragment (issue 18: the fragment ≥ 80% of the JSON), each pair run
 * JSON, fragment, fragment, JSON and averaged, with the server's CPU per response, a figure that
 * holds still where throughput on a shared machine does not; the HTTP floor of the same run beside.
 */
export async function benchReadsOnly(options: BenchOptions): Promise<void> {
  const { connections, durationS, serverWarmupS } = options
  const { load, url, workDir, done } = await prepareSingleRun(options, 'reads')
  const profileDir = options.profile ? 'bench/results/profiles/postgres-reads' : undefined
  const server = await startParley({ DATABASE_URL: url }, options.poolMax, true, profileDir)
  const figures = new Map<ReadScenario, Figure[]>()
  let firstPage: string
  try {
    firstPage = await (await fetch(server.baseUrl + threadPath(BIG_KEY))).text()
    const wholeThread = await wholeThreadPaths(server.baseUrl, BIG_KEY)
    log(`parley: server warm-up ${serverWarmupS} s`)
    await warmUp(server, bigFirstPage(), load, serverWarmupS)
    for (const pair of PAIRS) {
      for (const id of [...pair, ...[...pair].reverse()]) {
        const spec = readScenarios.find((s) => s.id === id)
        if (!spec) throw new Error(`no read scenario ${id}`)
        log(`  ${spec.label}`)
        const [cpu0, started] = [await processCpuSeconds(server.pid), performance.now()]
        const measurement = await measure(server, readWorkload(spec, wholeThread), load)
        const responses = (measurement.rps * (performance.now() - started)) / 1000
        const cpuUs = (((await processCpuSeconds(server.pid)) - cpu0) * 1e6) / responses
        figures.set(id, [...(figures.get(id) ?? []), { measurement, cpuUs }])
      }
    }
  } finally {
    await server.stop()
  }
  try {
    const floor = await measureHttpFloor(firstPage, workDir, load)
    const floorRps = floor.measurement.rps
    const mean = (id: ReadScenario, of: (f: Figure) => number) => {
      const list = figures.get(id) ?? []
      return list.reduce((sum, f) => sum + of(f), 0) / list.length
    }
    console.log(`HTTP floor ${Math.round(floorRps).toLocaleString('en')} req/s (${floor.bodyBytes} B body)`)
    console.log(`Cached reads of the big article on PostgreSQL, ${connections} connections, ${durationS} s, two runs each (mean):`)
    for (const pair of PAIRS) {
      for (const id of pair) {
        const rps = mean(id, (f) => f.measurement.rps)
        console.log(
          `  ${id.padEnd(22)} ${Math.round(rps).toLocaleString('en').padStart(7)} req/s (${((rps / floorRps) * 100).toFixed(1)}% of the floor), ` +
            `${Math.round(mean(id, (f) => f.measurement.bytesPerResponse)).toLocaleString('en')} B/resp, ` +
            `p99 ${Math.round(mean(id, (f) => f.measurement.p99Ms))} ms, CPU ${Math.round(mean(id, (f) => f.cpuUs))} µs/resp, ` +
            `RSS max ${Math.round(Math.max(...(figures.get(id) ?? []).map((f) => f.measurement.rssMaxMb)))} MB`,
        )
      }
      const [json, html] = pair
      const ratio = (of: (f: Figure) => number) => ((mean(html, of) / mean(json, of)) * 100).toFixed(0)
      console.log(
        `  ${''.padEnd(22)} fragment ÷ JSON: throughput ${ratio((f) => f.measurement.rps)}%, CPU per response ${ratio((f) => f.cpuUs)}%`,
      )
    }
    if (profileDir) console.log(`CPU profile in ${profileDir}`)
  } finally {
    await done()
  }
}
