import { serve } from '@hono/node-server'
import type { Server, ServerOptions } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestApp } from './test-app.js'
import { nodeFetch } from '../../src/runtime/node-fetch.js'
import { answerClientErrors } from '../../src/runtime/client-errors.js'

/**
 * Serves a test app on a real loopback port as the Node entry does (`nodeFetch`), for tests that
 * need a browser or a socket.
 * `serverOptions` sets Node's own limits (headersTimeout, requestTimeout…) for the tests of them;
 * `observe` sees every request with its answer (a test that counts what another server asks).
 */
export async function serveTestApp(
  t: Pick<TestApp, 'app' | 'deps' | 'contract'>,
  serverOptions: ServerOptions = {},
  observe?: (request: Request, res: Response) => void,
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const handle = nodeFetch(t.app, t.deps)
  const server = serve({
    fetch: async (request, env) => {
      const res = await handle(request, env)
      t.contract.record(request.method, request.url, res)
      observe?.(request, res)
      return res
    },
    port: 0,
    hostname: '127.0.0.1',
    serverOptions,
  })
  answerClientErrors(server as Server)
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
