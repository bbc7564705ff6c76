// PARLEY_MAIL_FROM values the config accepts, sent to a sink on 127.0.0.1:27517 (test/outside/smtp-sink-server.ts):
// `npx tsx test/outside/from-probe.mts`. "not-an-address" goes out with an empty MAIL FROM and no From header.
import { nodeSmtpTransport } from '../../src/runtime/node-mail.js'
for (const from of ['not-an-address', 'Comments', '', 'a@b.example, c@d.example', 'Name <a@b.example>\r\nBcc: x@y.example']) {
  const t = nodeSmtpTransport({ url: 'smtp://127.0.0.1:27517', from, timeoutMs: 3000 })
  try {
    await t.send({ to: 'r@reader.example', subject: 's', text: 't', html: '<p>h</p>' })
    console.log(JSON.stringify(from), 'sent')
  } catch (e) {
    console.log(JSON.stringify(from), 'error', (e as Error).message, (e as { permanent?: boolean }).permanent)
  }
  t.close()
}
