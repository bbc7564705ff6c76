import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'

export interface Received {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export type Answer = (request: Received, res: ServerResponse) => void | Promise<void>

/**
 * A real HTTP server on 127.0.0.1 that speaks whatever protocol the test gives it (Akismet,
 * siteverify, a webhook receiver), records every request, and closes after the file.
 */
export async function loopbackServer(answer: Answer) {
  const received: Received[] = []
  let current = answer
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body }
      received.push(request)
      Promise.resolve(current(request, res)).catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Changes how the server answers from now on. */
    answer(next: Answer) {
      current = next
    },
  }
}

/** A port on which nothing listens: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

export const text =
  (status: number, body: string, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers })
    res.end(body)
  }
