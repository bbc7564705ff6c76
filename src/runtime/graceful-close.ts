import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/**
 * Closing an HTTP server under keep-alive traffic. `server.close()` only stops new connections: a
 * client that keeps sending on its open socket is served forever, so close() never finishes and the
 * grace period kills whatever is in flight. Once closing, every response not yet started says
 * `Connection: close` (Node then ends its socket after it), and a socket left idle is closed.
 * Call once, right after the server is created, so its listener runs before the app's.
 */
export function closableServer(server: Server): { close(): Promise<void> } {
  const unsent = new Set<ServerResponse>()
  let closing = false

  const closeIdle = () => server.closeIdleConnections()
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      res.setHeader('Connection', 'close')
    } else {
      unsent.add(res)
      const forget = () => unsent.delete(res)
      res.once('finish', forget)
      res.once('close', forget)
    }
    // An answer that began before the close and so could not say Connection: close leaves its socket idle.
    res.once('close', () => {
      if (closing) setImmediate(closeIdle)
    })
  })

  return {
    close() {
      closing = true
      for (const res of unsent) if (!res.headersSent) res.setHeader('Connection', 'close')
      unsent.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      closeIdle()
      return closed
    },
  }
}
