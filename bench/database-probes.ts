import postgres from 'postgres'

// What the fault benches (and the outage test) ask of a database besides Parley's own traffic:
// whether it accepts connections, and a client that takes every connection slot it can.

/** True once a fresh connection runs a query. */
export async function accepts(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {}, fetch_types: false })
  try {
    await probe`select 1`
    return true
  } catch {
    return false
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {})
  }
}

export async function waitAccepting(url: string, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await accepts(url))) {
    if (Date.now() > deadline) throw new Error(`${url.replace(/\/\/[^@]*@/, '//')} did not accept connections within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * Another client that takes every connection slot the server has free, and keeps taking each one
 * that frees up, Parley's own included (its backends are ended as they appear), until released.
 */
export class ConnectionHog {
  private readonly held: postgres.Sql[] = []
  private timer: ReturnType<typeof setInterval> | undefined
  private busy = false
  /** Parley backends ended while holding (the server kept winning slots back). */
  terminated = 0

  constructor(private readonly url: string) {}

  get size(): number {
    return this.held.length
  }

  /** Takes slots until the server refuses one, then keeps at it every `everyMs`. */
  async hold(everyMs = 100): Promise<void> {
    await this.sweep()
    this.timer = setInterval(() => {
      if (this.busy) return
      void this.sweep()
    }, everyMs)
  }

  async release(): Promise<void> {
    clearInterval(this.timer)
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 10))
    const held = this.held.splice(0)
    await Promise.all(held.map((sql) => sql.end({ timeout: 1 }).catch(() => {})))
  }

  private async sweep(): Promise<void> {
    this.busy = true
    try {
      const first = this.held[0]
      if (first) {
        const ended = await first<{ n: number }[]>`
          select count(*)::int as n from (
            select pg_terminate_backend(pid) from pg_stat_activity
            where application_name like 'parley%' and pid <> pg_backend_pid()
          ) ended`.catch(() => [{ n: 0 }])
        this.terminated += ended[0]?.n ?? 0
      }
      while (await this.takeOne());
    } finally {
      this.busy = false
    }
  }

  private async takeOne(): Promise<boolean> {
    const sql = postgres(this.url, {
      max: 1,
      connect_timeout: 2,
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => {},
      fetch_types: false,
      connection: { application_name: 'outage-hog' },
    })
    try {
      await sql`select 1`
      this.held.push(sql)
      return true
    } catch {
      await sql.end({ timeout: 1 }).catch(() => {})
      return false
    }
  }
}
