import autocannon from 'autocannon'
import type { ChildServer } from './child-server.js'

export interface LoadOptions {
  connections: number
  durationS: number
  /** Load before each measurement, so that it starts from a server already working on that workload. */
  warmupS: number
  /** Extra load on a freshly started server: V8 takes several seconds of it to reach a steady state. */
  serverWarmupS: number
}

/** What the load generator sends: one request shape, rebuilt per request when it varies. */
export interface Workload {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  /** The path of the next request (and its body, for POST; headers of its own, added to the workload's). */
  next(): { path: string; body?: string; headers?: Record<string, string> }
  /** Sees each response's status and body; only asked for where bodies matter. */
  onResponse?(status: number, body: string): void
}

export interface Measurement {
  requests: number
  durationS: number
  /** Completed responses per second, whatever their status. */
  rps: number
  p50Ms: number
  p99Ms: number
  meanMs: number
  maxMs: number
  errors: number
  timeouts: number
  non2xx: number
  statusCounts: Record<string, number>
  bytesPerResponse: number
  /** The server's resident memory: the highest sampled during the run, and after it. */
  rssMaxMb: number
  rssAfterMb: number
  /** The process's high-water mark so far (VmHWM), including its start. */
  rssPeakMb: number
}

const RSS_SAMPLE_MS = 250

/**
 * autocannon keeps every response's body as a string (`req.body += chunk`), decoding each byte as
 * UTF-8 for whoever reads it; a compressed body, not text, takes the decoder's slow path, and with it
 * the client spent more per br response than the server did (measured 2026-12-07: 7,000 responses of
 * 39 KB br in 5 s against 12,000 of 252 KB plain). A workload that does not read its answers
 * (no onResponse) has its bodies counted, not kept.
 */
function keepNoBodies(client: object): void {
  const queue = (client as { pipelinedRequests?: { addBody?: (data: string) => void } }).pipelinedRequests
  if (queue?.addBody) queue.addBody = () => {}
}

function fire(baseUrl: string, workload: Workload, options: LoadOptions, durationS: number): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    ...(workload.onResponse ? {} : { setupClient: keepNoBodies }),
    connections: options.connections,
    duration: durationS,
    method: workload.method,
    headers: workload.headers ?? {},
    requests: [
      {
        setupRequest: (request) => {
          const { path, body, headers } = workload.next()
          const sent = headers ? { ...request, path, headers: { ...request.headers, ...headers } } : { ...request, path }
          return body === undefined ? sent : { ...sent, body }
        },
        ...(workload.onResponse ? { onResponse: workload.onResponse } : {}),
      },
    ],
  })
}

/** Load whose results nobody reads: it brings the server's JIT, pools and caches up to speed. */
export async function warmUp(server: ChildServer, workload: Workload, options: LoadOptions, seconds: number): Promise<void> {
  if (seconds > 0) await fire(server.baseUrl, { ...workload, onResponse: undefined }, options, seconds)
}

/** Warms the server up on this workload, then measures it while sampling its memory. */
export async function measure(server: ChildServer, workload: Workload, options: LoadOptions): Promise<Measurement> {
  await warmUp(server, workload, options, options.warmupS)
  let rssMaxMb = 0
  const sampler = setInterval(() => {
    void server.memory().then(
      (memory) => {
        rssMaxMb = Math.max(rssMaxMb, memory.rssMb)
      },
      () => undefined,
    )
  }, RSS_SAMPLE_MS)
  let result: autocannon.Result
  try {
    result = await fire(server.baseUrl, workload, options, options.durationS)
  } finally {
    clearInterval(sampler)
  }
  const after = await server.memory()
  const statusCounts: Record<string, number> = {}
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = stats.count ?? 0
  const requests = result.requests.total
  return {
    requests,
    durationS: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
    bytesPerResponse: requests > 0 ? Math.round(result.throughput.total / requests) : 0,
    rssMaxMb: Math.max(rssMaxMb, after.rssMb),
    rssAfterMb: after.rssMb,
    rssPeakMb: after.peakMb,
  }
}

/**
 * Runs of one workload taken as one (JSON, fragment, fragment, JSON: scenarios.ts): counts add up,
 * rates and latencies are their means, memory the highest.
 */
export function mergeMeasurements(runs: Measurement[]): Measurement {
  const [first, ...rest] = runs
  if (!first) throw new Error('no runs to merge')
  if (rest.length === 0) return first
  const sum = (of: (m: Measurement) => number) => runs.reduce((total, m) => total + of(m), 0)
  const mean = (of: (m: Measurement) => number) => sum(of) / runs.length
  const max = (of: (m: Measurement) => number) => Math.max(...runs.map(of))
  const statusCounts: Record<string, number> = {}
  for (const run of runs)
    for (const [status, count] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count
  const requests = sum((m) => m.requests)
  const durationS = sum((m) => m.durationS)
  return {
    requests,
    durationS,
    rps: requests / durationS,
    p50Ms: mean((m) => m.p50Ms),
    p99Ms: mean((m) => m.p99Ms),
    meanMs: mean((m) => m.meanMs),
    maxMs: max((m) => m.maxMs),
    errors: sum((m) => m.errors),
    timeouts: sum((m) => m.timeouts),
    non2xx: sum((m) => m.non2xx),
    statusCounts,
    bytesPerResponse: requests > 0 ? Math.round(sum((m) => m.bytesPerResponse * m.requests) / requests) : 0,
    rssMaxMb: max((m) => m.rssMaxMb),
    rssAfterMb: runs[runs.length - 1]?.rssAfterMb ?? first.rssAfterMb,
    rssPeakMb: max((m) => m.rssPeakMb),
  }
}
