import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { AppError } from '../errors.js'
import { toProblem } from '../http/problem-response.js'

/** What Node found wrong before the request reached Parley, as the problem it is answered with. */
function problemFor(code: string | undefined): AppError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout', 'The request did not arrive in time.')
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('headers_too_large', "The request's headers are too large.")
  return new AppError('malformed_request', 'The request is not valid HTTP.')
}

/**
 * Node answers on its own what never reaches the app (its headersTimeout and requestTimeout, a
 * request that is not HTTP, headers too large) with a bare status line. This answers them as
 * problem details, like every other answer, and as Node does otherwise: only while no answer has
 * begun on the socket, and then closing it (what follows on it cannot be read as a request).
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own field: the answer in progress on this socket, if any.
    const answering = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage
    if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) return void socket.destroy()
    const problem = toProblem(problemFor(error.code))
    const body = JSON.stringify(problem)
    const head = `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`
    // Destroyed once written, as Node does: a client that never closes its side holds nothing.
    socket.end(head + body, () => socket.destroy())
  })
}
