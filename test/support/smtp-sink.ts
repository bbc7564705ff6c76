import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { AddressInfo } from 'node:net'

/** A message as the loopback SMTP server received it: the envelope, and the MIME parsed by mailparser. */
export interface Received {
  from: string
  to: string[]
  mail: ParsedMail
}

export interface SmtpSink {
  url: string
  port: number
  received: Received[]
  /** Resolves once `count` messages have arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>
  /** RCPT TO answers this reply code and text for the addresses given (a mailbox that does not exist: 550); 0 takes them again. */
  refuse(address: string, code: number): void
  /** Answers no message until `release()` (a relay that takes its time): what arrives meanwhile waits after DATA. */
  hold(): { release(): void }
  close(): Promise<void>
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1, any port: Parley's transport talks
 * SMTP to it as to any relay, and each message is parsed back from its raw MIME. No auth, no TLS
 * (loopback only); `refuse` makes chosen recipients fail as a remote server would.
 */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const received: Received[] = []
  const refused = new Map<string, number>()
  const waiters: (() => void)[] = []
  let gate: Promise<void> | undefined
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = refused.get(address.address.toLowerCase())
      if (code === undefined) return callback()
      const error = Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code })
      callback(error)
    },
    onData(stream, session, callback) {
      const parsed = simpleParser(stream)
      Promise.all([parsed, gate]).then(
        ([mail]) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
          })
          for (const wake of waiters.splice(0)) wake()
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    port: address.port,
    received,
    hold() {
      let release: () => void = () => undefined
      gate = new Promise<void>((resolve) => (release = resolve))
      return {
        release: () => {
          gate = undefined
          release()
        },
      }
    },
    refuse: (mailbox, code) => (code === 0 ? refused.delete(mailbox.toLowerCase()) : refused.set(mailbox.toLowerCase(), code)),
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} messages arrived`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return received
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
