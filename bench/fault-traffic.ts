import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import postgres from 'postgres'
import { threadPath } from './workloads.js'

/**
 * Steady submissions and thread reads for the fault benches (outage, shutdown), one request at a
 * time per worker over keep-alive sockets, every answer and every socket error kept with its times:
 * the figures are about what each single request saw, not about throughput.
 */

export type Kind = 'submit' | 'read'

export interface Sample {
  kind: Kind
  /** ms since the traffic's origin (`Traffic.now()`). */
  startedAt: number
  endedAt: number
  /** 0 when no answer came (see `error`). */
  status: number
  /** The socket error's code (ECONNRESET, ECONNREFUSED, ABORT_ERR for the bench's own hard timeout, …). */
  error?: string
  /** On a socket error: whether the request went out on a kept-alive socket (a reset there may be the keep-alive race). */
  reusedSocket?: boolean
  /** The problem's `code` on a 4xx/5xx. */
  code?: string
  retryAfter?: string
  /** A 201's comment, to look up in the database afterwards. */
  id?: number
  body?: string
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export interface TrafficOptions {
  baseUrl: string
  writers: number
  readers: number
  /** Articles the traffic writes to and reads; created by their first comment. */
  keys: string[]
  /** A request still unanswered after this long is aborted and recorded as a hang. */
  hardTimeoutMs: number
  /** Pause after a failed request, so that a down server is probed, not flooded. */
  failurePauseMs: number
  /** Submissions whose body arrives in two halves this far apart (a slow client). */
  slowWriters?: number
  slowBodyMs?: number
}

/** A socket error, and whether the request was sent on a socket an earlier request had used. */
export class SendError extends Error {
  constructor(
    readonly code: string,
    readonly reusedSocket: boolean,
  ) {
    super(code)
  }
}

/** One request over `agent`; rejects with a SendError. */
export function send(
  agent: Agent,
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: string; timeoutMs: number; splitMs?: number },
): Promise<Answer> {
  const url = new URL(path, baseUrl)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {}
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(options.body)
    }
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
        res.on('error', (error) => reject(new SendError(errorCode(error), req.reusedSocket)))
      },
    )
    req.on('error', (error) => reject(new SendError(errorCode(error), req.reusedSocket)))
    const body = options.body
    if (body === undefined) req.end()
    else if (!options.splitMs) req.end(body)
    else {
      const half = Math.floor(body.length / 2)
      req.write(body.slice(0, half))
      setTimeout(() => req.end(body.slice(half)), options.splitMs)
    }
  })
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const named = error as { code?: unknown; name?: unknown }
    if (typeof named.code === 'string') return named.code
    if (named.name === 'AbortError' || named.name === 'TimeoutError') return 'ABORT_ERR'
  }
  return 'UNKNOWN'
}

export class Traffic {
  readonly samples: Sample[] = []
  readonly agent: Agent
  private readonly origin = performance.now()
  /** Every submitted body starts with it: this run's comments, found in the database by it. */
  readonly bodyPrefix: string
  // Unique per instance: two started in the same millisecond (one per server) must not post the same texts.
  private readonly run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  private stopped = false
  private workers: Promise<void>[] = []
  private n = 0
  /** Workers stop when this says so (the shutdown bench: the server is gone). */
  stopWhen: (sample: Sample) => boolean = () => false

  constructor(private readonly options: TrafficOptions) {
    this.bodyPrefix = `Fault bench ${this.run}-`
    this.agent = new Agent({ keepAlive: true, maxSockets: options.writers + options.readers + (options.slowWriters ?? 0) })
  }

  now(): number {
    return performance.now() - this.origin
  }

  /** Requests started and not yet answered at `at`. */
  inFlightAt(at: number): Sample[] {
    return this.samples.filter((sample) => sample.startedAt <= at && sample.endedAt > at)
  }

  start(): void {
    const { writers, readers, slowWriters = 0 } = this.options
    for (let i = 0; i < writers; i++) this.workers.push(this.loop('submit', i, false))
    for (let i = 0; i < readers; i++) this.workers.push(this.loop('read', i, false))
    for (let i = 0; i < slowWriters; i++) this.workers.push(this.loop('submit', i, true))
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all(this.workers)
    this.agent.destroy()
  }

  /** A submission's fields; the body is unique, so that it can be found in the database and is never a 409 duplicate. */
  nextComment(): { body: string; email: string } {
    const n = ++this.n
    return {
      body: `${this.bodyPrefix}${n}: the council should publish the budget line by line.`,
      email: `fault-${this.run}-${n}@mail.example`,
    }
  }

  private async loop(kind: Kind, worker: number, slow: boolean): Promise<void> {
    const { keys, baseUrl, hardTimeoutMs, failurePauseMs, slowBodyMs = 500 } = this.options
    let turn = worker
    while (!this.stopped) {
      const key = keys[turn++ % keys.length] ?? 'outage'
      const startedAt = this.now()
      let sample: Sample
      if (kind === 'submit') {
        const { body, email } = this.nextComment()
        const payload = JSON.stringify({ name: `Fault Reader ${worker}`, email, body })
        sample = await this.record(
          kind,
          startedAt,
          send(this.agent, baseUrl, 'POST', threadPath(key), {
            body: payload,
            timeoutMs: hardTimeoutMs,
            splitMs: slow ? slowBodyMs : undefined,
          }),
          body,
        )
      } else {
        sample = await this.record(
          kind,
          startedAt,
          send(this.agent, baseUrl, 'GET', threadPath(key, '?order=newest&limit=5'), { timeoutMs: hardTimeoutMs }),
        )
      }
      if (this.stopWhen(sample)) return
      if (sample.status < 200 || sample.status > 299) await sleep(failurePauseMs)
    }
  }

  private async record(kind: Kind, startedAt: number, answer: Promise<Answer>, body?: string): Promise<Sample> {
    let sample: Sample
    try {
      const { status, headers, text } = await answer
      sample = { kind, startedAt, endedAt: this.now(), status }
      const retryAfter = headers['retry-after']
      if (typeof retryAfter === 'string') sample.retryAfter = retryAfter
      if (status >= 400) sample.code = parseField(text, 'code')
      if (status === 201) {
        sample.id = (JSON.parse(text) as { comment: { id: number } }).comment.id
        sample.body = body
      }
    } catch (error) {
      sample = {
        kind,
        startedAt,
        endedAt: this.now(),
        status: 0,
        error: errorCode(error),
        reusedSocket: error instanceof SendError && error.reusedSocket,
      }
    }
    this.samples.push(sample)
    return sample
  }
}

function parseField(text: string, field: string): string | undefined {
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)[field]
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/** Counts by status (and by error code for requests that got no answer). */
export function statusCounts(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const sample of samples) {
    const label = sample.status === 0 ? `error ${sample.error}` : sample.code ? `${sample.status} ${sample.code}` : String(sample.status)
    counts[label] = (counts[label] ?? 0) + 1
  }
  return counts
}

/** How many 201s the database holds by id and body, and how many of this run's comments it holds that got no 201. */
export async function checkAccepted(
  url: string,
  samples: Sample[],
  bodyPrefix: string,
): Promise<{ accepted: number; lost: number; storedWithoutAnswer: number }> {
  const accepted = samples.filter((s) => s.status === 201 && s.id !== undefined)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<
      { id: number; body: string }[]
    >`select id, body from comments where id = any(${accepted.map((s) => s.id ?? 0)}::int[])`
    const stored = new Map(rows.map((row) => [row.id, row.body]))
    const lost = accepted.filter((s) => stored.get(s.id ?? 0) !== s.body).length
    const ours = await sql<{ n: number }[]>`select count(*)::int as n from comments where body like ${`${bodyPrefix}%`}`
    return { accepted: accepted.length, lost, storedWithoutAnswer: (ours[0]?.n ?? 0) - accepted.length }
  } finally {
    await sql.end({ timeout: 5 })
  }
}
