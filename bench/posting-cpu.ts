import type { ChildServer } from './child-server.js'
import { postgresCpuSeconds, processCpuSeconds } from './process-cpu.js'

export interface CpuPerPost {
  serverMs: number
  /** Every local PostgreSQL process; null where the database is the server's own (PGlite). */
  postgresMs: number | null
  /** The bench's own process: autocannon, which shares the two cores with both. */
  clientMs: number
}

/**
 * A posting run with the CPU the server and PostgreSQL spent on it, per accepted post (the run's
 * warm-up posts at the measured rate): what to compare between two runs on a machine whose
 * throughput moves with its neighbours.
 */
export async function withCpu<R extends { acceptedPerS: number }>(
  server: ChildServer,
  postgres: boolean,
  run: () => Promise<R>,
): Promise<R & { cpu: CpuPerPost }> {
  const postgresNow = async () => (postgres ? postgresCpuSeconds() : 0)
  const [server0, postgres0, client0, started] = [
    await processCpuSeconds(server.pid),
    await postgresNow(),
    process.cpuUsage(),
    performance.now(),
  ]
  const result = await run()
  const posts = (result.acceptedPerS * (performance.now() - started)) / 1000
  const [server1, postgres1, client] = [await processCpuSeconds(server.pid), await postgresNow(), process.cpuUsage(client0)]
  return {
    ...result,
    cpu: {
      serverMs: ((server1 - server0) * 1000) / posts,
      postgresMs: postgres ? ((postgres1 - postgres0) * 1000) / posts : null,
      clientMs: (client.user + client.system) / 1000 / posts,
    },
  }
}

/** "CPU per post: server 0.58 ms, PostgreSQL 0.40 ms, client 0.10 ms". */
export function cpuText(cpu: CpuPerPost): string {
  const postgres = cpu.postgresMs === null ? '' : `, PostgreSQL ${cpu.postgresMs.toFixed(2)} ms`
  return `CPU per post: server ${cpu.serverMs.toFixed(2)} ms${postgres}, client ${cpu.clientMs.toFixed(2)} ms`
}
