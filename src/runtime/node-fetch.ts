import type { Http2Bindings, HttpBindings } from '@hono/node-server'
import { ServerResponse } from 'node:http'
import type { App } from '../app.js'
import type { Deps } from '../deps.js'

const hasBody = (incoming: (HttpBindings | Http2Bindings)['incoming']) => {
  const length = incoming.headers['content-length']
  return (length !== undefined && length !== '0') || incoming.headers['transfer-encoding'] !== undefined
}

const decoder = new TextDecoder()

/** The whole body as text, as Request.text() decodes it; rejects when the client goes before it ends. */
async function bodyText(incoming: (HttpBindings | Http2Bindings)['incoming']): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  return decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
}

/**
 * The app as @hono/node-server calls it on Node: the socket's address for the client IP, whether a
 * `Host` header came (origins.ts), the body read without a web stream (AppEnv's bodyText), and
 * `Connection: close` on an answer given before the request's body was read (413, 415, 401, 403 …).
 * The rest of such a body is still on the connection: draining it means reading up to the whole
 * upload a client sent, and @hono/node-server gives up after 500 ms and destroys the socket, which
 * fails whatever request the client sent next on it. Saying close lets the client open a new one.
 * Connection headers are the runtime's business, so this lives here rather than in the app (Workers).
 */
export function nodeFetch(app: App, deps: Deps) {
  return async (request: Request, env: HttpBindings | Http2Bindings): Promise<Response> => {
    const noHostHeader = env.incoming.headers.host === undefined && env.incoming.headers[':authority'] === undefined
    const response = await app.fetch(request, {
      deps,
      remoteAddr: env.incoming.socket.remoteAddress,
      noHostHeader,
      bodyText: () => bodyText(env.incoming),
    })
    // HTTP/2 has no Connection header (and streams, not connections, end with a request).
    const { incoming, outgoing } = env
    if (outgoing instanceof ServerResponse && hasBody(incoming) && !incoming.readableEnded && !outgoing.headersSent) {
      outgoing.setHeader('Connection', 'close')
    }
    return response
  }
}
