import { connect, createServer, type Socket } from 'node:net'

/**
 * A TCP relay to PostgreSQL that can go silent: while stalled it forwards nothing either way and
 * closes nothing, as a network partition looks to both ends (no FIN, no RST, just no bytes).
 */
export async function stallableProxy(
  target: URL,
): Promise<{ url(database: string): string; stall(): void; resume(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  let stalled = false
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname)
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from)
      from.on('data', (chunk) => to.write(chunk))
      from.on('error', () => to.destroy())
      from.on('close', () => {
        sockets.delete(from)
        to.destroy()
      })
      if (stalled) from.pause()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url(database) {
      const url = new URL(target.href)
      url.hostname = '127.0.0.1'
      url.port = String(port)
      url.pathname = `/${database}`
      return url.href
    },
    // Paused sockets read nothing, so their peers' bytes wait in the kernel's buffers.
    stall() {
      stalled = true
      for (const socket of sockets) socket.pause()
    },
    resume() {
      stalled = false
      for (const socket of sockets) socket.resume()
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
