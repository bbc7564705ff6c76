import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { TestApp } from './test-app.js'

/**
 * Serves a test app on a real loopback port, for tests that need a browser or a socket.
 * `hostname` lets a test reach the same app under a second origin (127.0.0.1 vs localhost).
 */
export async function serveTestApp(t: TestApp): Promise<{ url: string, port: number, close: () => Promise<void> }> {
  const server = serve({
    fetch: async (request, env: { incoming?: { socket?: { remoteAddress?: string } } }) => {
      const res = await t.app.fetch(request, { deps: t.deps, remoteAddr: env.incoming?.socket?.remoteAddress })
      t.contract.record(request.method, request.url, res)
      return res
    },
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
