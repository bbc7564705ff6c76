/**
 * A standalone loopback SMTP sink for probing the real server (npx tsx test/outside/smtp-sink-server.ts PORT OUTFILE):
 * every message received is appended to OUTFILE as one JSON line (envelope, headers, text, html).
 * REFUSE=addr:code[,addr:code] makes RCPT TO fail for those addresses.
 */
import { appendFileSync } from 'node:fs'
import { startSmtpSink } from '../support/smtp-sink.js'

const port = Number(process.argv[2] ?? 2525)
const out = process.argv[3] ?? '/tmp/sink.jsonl'
const sink = await startSmtpSink(port)
for (const pair of (process.env.REFUSE ?? '').split(',').filter(Boolean)) {
  const [address, code] = pair.split(':')
  sink.refuse(address ?? '', Number(code))
}
let seen = 0
setInterval(() => {
  for (const r of sink.received.slice(seen)) {
    appendFileSync(
      out,
      JSON.stringify({
        from: r.from,
        to: r.to,
        headers: r.mail.headerLines.map((h) => h.line),
        subject: r.mail.subject,
        text: r.mail.text,
        html: r.mail.html,
      }) + '\n',
    )
  }
  seen = sink.received.length
}, 200)
console.log(`sink on ${sink.url}, writing ${out}`)
