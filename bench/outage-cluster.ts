import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import postgres from 'postgres'

const run = promisify(execFile)

/**
 * The throwaway PostgreSQL cluster the outage bench restarts and starves, never the main one that
 * tests and other benches use. Debian's postgresql-common tools manage it (root is needed to
 * create it; pg_ctlcluster runs the server as its owner).
 */
export interface OutageCluster {
  version: string
  name: string
  port: number
  /** postgres://postgres@127.0.0.1:<port>/postgres: trust auth, superuser. */
  adminUrl: string
}

/** Small, so that exhausting it costs a handful of connections. */
export const OUTAGE_MAX_CONNECTIONS = 20

interface ListedCluster {
  version: string
  name: string
  port: number
  status: string
}

async function listClusters(): Promise<ListedCluster[]> {
  const { stdout } = await run('pg_lsclusters', ['--no-header'])
  return stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [version = '', name = '', port = '', status = ''] = line.trim().split(/\s+/)
    return { version, name, port: Number(port), status }
  })
}

/** `15/parley_outage` → version and name; the main cluster and port 5432 are refused outright. */
export function parseClusterName(spec: string): { version: string; name: string } {
  const match = /^(\d+)\/([\w-]+)$/.exec(spec)
  if (!match?.[1] || !match[2]) throw new Error(`--outage-cluster must look like 15/parley_outage, not "${spec}"`)
  if (match[2] === 'main') throw new Error('the outage bench never restarts the main cluster: name a throwaway one')
  return { version: match[1], name: match[2] }
}

/** Creates the cluster if missing (trust auth on loopback, few connections), starts it if stopped. */
export async function ensureCluster(spec: string, port: number, log: (text: string) => void): Promise<OutageCluster> {
  const { version, name } = parseClusterName(spec)
  let found = (await listClusters()).find((cluster) => cluster.version === version && cluster.name === name)
  if (!found) {
    if (port === 5432) throw new Error('the outage cluster must not take port 5432')
    log(`creating PostgreSQL cluster ${version}/${name} on port ${port}`)
    await run('pg_createcluster', [
      version, name, '--port', String(port), '--start-conf', 'manual',
      '-o', `max_connections=${OUTAGE_MAX_CONNECTIONS}`, '-o', 'superuser_reserved_connections=0',
      '--', '--auth=trust',
    ])
    found = (await listClusters()).find((cluster) => cluster.version === version && cluster.name === name)
    if (!found) throw new Error(`pg_createcluster did not leave ${version}/${name}`)
  }
  if (found.port === 5432) throw new Error(`${version}/${name} listens on 5432: the outage bench will not restart it`)
  const cluster = { version, name, port: found.port, adminUrl: `postgres://postgres@127.0.0.1:${found.port}/postgres` }
  if (found.status !== 'online') await clusterCtl(cluster, 'start')
  await waitAccepting(cluster.adminUrl, 30_000)
  return cluster
}

export async function clusterCtl(cluster: OutageCluster, action: 'start' | 'stop' | 'restart'): Promise<void> {
  await run('pg_ctlcluster', [cluster.version, cluster.name, action])
}

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
    const sql = postgres(this.url, { max: 1, connect_timeout: 2, idle_timeout: 0, max_lifetime: null, onnotice: () => {}, fetch_types: false, connection: { application_name: 'outage-hog' } })
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
