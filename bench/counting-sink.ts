import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'

/**
 * A loopback SMTP server that takes every message and only counts it. test/support/smtp-sink.ts
 * parses each message with mailparser, which costs more CPU per message than Parley's own send on
 * this 2-core machine, and the sink shares the bench process with the load generator: here a
 * message is the bytes between DATA and the lone dot, counted, never parsed. Enough SMTP for
 * nodemailer (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no AUTH, no STARTTLS, no extensions but
 * 8BITMIME and PIPELINING, which this reader handles as it reads line by line).
 */
export interface CountingSink {
  url: string
  /** Messages taken (their DATA ended and was answered 250) since the start or the last `reset`. */
  readonly count: number
  /** Their RCPT TO addresses, lower-cased: one each, so `distinct === count` means no address got two. */
  readonly distinct: number
  /** Message bytes (DATA's content) over all counted messages. */
  readonly bytes: number
  /** performance.now() of the first and the last message counted since the reset; 0 before any. */
  readonly firstAt: number
  readonly lastAt: number
  reset(): void
  /** Resolves once `count` messages have been counted since the reset; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>
  close(): Promise<void>
}

const END_OF_DATA = '\r\n.\r\n'

export async function startCountingSink(): Promise<CountingSink> {
  let count = 0
  let bytes = 0
  let firstAt = 0
  let lastAt = 0
  let recipients = new Set<string>()
  let waiters: { count: number; wake: () => void }[] = []
  const sockets = new Set<Socket>()

  const counted = (size: number, to: string[]) => {
    count++
    bytes += size
    lastAt = performance.now()
    if (firstAt === 0) firstAt = lastAt
    for (const address of to) recipients.add(address)
    if (waiters.length === 0) return
    const due = waiters.filter((w) => count >= w.count)
    waiters = waiters.filter((w) => count < w.count)
    for (const waiter of due) waiter.wake()
  }

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    // latin1: one char per byte, so lengths are byte counts and no multi-byte sequence splits across chunks.
    socket.setEncoding('latin1')
    let buffer = ''
    let inData = false
    let to: string[] = []
    socket.write('220 counting-sink ESMTP\r\n')

    const command = (line: string): string | null => {
      const verb = line.slice(0, 4).toUpperCase()
      if (verb === 'EHLO') return '250-counting-sink\r\n250-8BITMIME\r\n250 PIPELINING\r\n'
      if (verb === 'HELO' || verb === 'NOOP' || verb === 'MAIL') return '250 OK\r\n'
      if (verb === 'RSET') {
        to = []
        return '250 OK\r\n'
      }
      if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1]
        if (address) to.push(address.toLowerCase())
        return '250 OK\r\n'
      }
      if (verb === 'DATA') {
        inData = true
        return '354 End data with <CR><LF>.<CR><LF>\r\n'
      }
      if (verb === 'QUIT') {
        socket.end('221 Bye\r\n')
        return null
      }
      return '502 Command not implemented\r\n'
    }

    socket.on('data', (chunk: string) => {
      buffer += chunk
      let replies = ''
      for (;;) {
        if (inData) {
          // The terminator follows the CRLF that ends the last line; DATA's own line ended in CRLF too.
          const end = `\r\n${buffer}`.indexOf(END_OF_DATA)
          if (end < 0) break
          counted(end, to)
          buffer = buffer.slice(end + END_OF_DATA.length - 2)
          inData = false
          to = []
          replies += '250 OK: queued\r\n'
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol < 0) break
        const line = buffer.slice(0, eol)
        buffer = buffer.slice(eol + 2)
        const reply = command(line)
        if (reply === null) return
        replies += reply
      }
      if (replies) socket.write(replies)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the SMTP sink has no port')

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    get count() {
      return count
    },
    get distinct() {
      return recipients.size
    },
    get bytes() {
      return bytes
    },
    get firstAt() {
      return firstAt
    },
    get lastAt() {
      return lastAt
    },
    reset() {
      count = 0
      bytes = 0
      firstAt = 0
      lastAt = 0
      recipients = new Set()
    },
    waitFor(target, timeoutMs) {
      if (count >= target) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.wake !== wake)
          reject(new Error(`${count} of ${target} emails arrived within ${timeoutMs / 1000} s`))
        }, timeoutMs)
        const wake = () => {
          clearTimeout(timer)
          resolve()
        }
        waiters.push({ count: target, wake })
      })
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}
