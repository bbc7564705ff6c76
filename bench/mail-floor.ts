import { renderBody } from '../src/comments/render-body.js'
import { createSecrets } from '../src/crypto/secrets.js'
import { renderMail } from '../src/emails/render-mail.js'
import { linkUrl } from '../src/notifications/gather-content.js'
import { signLink } from '../src/notifications/mail-links.js'
import { nodeSmtpTransport } from '../src/runtime/node-mail.js'

/**
 * The delivery floor of `npm run bench -- --mail` (bench/mail-bench.ts): the same transport as
 * Parley's (nodeSmtpTransport: nodemailer, pooled, two connections) sending COUNT thread emails,
 * rendered once by Parley's own renderer with real-length signed links, straight to the sink: no
 * database, no per-recipient work. All sends are handed to the pool at once, so the two
 * connections never wait for the sender. In a process of its own, as Parley's server is, so the
 * sink in the bench process is not sharing an event loop with the sender in one case only.
 * Prints one JSON line: {ms, sent, failed}.
 */
const [url, countText] = process.argv.slice(2)
const count = Number(countText)
const secret = process.env.PARLEY_SECRET
if (!url || !Number.isInteger(count) || count <= 0 || !secret) {
  throw new Error('usage: PARLEY_SECRET=… node --import tsx bench/mail-floor.ts smtp://127.0.0.1:PORT COUNT')
}

const base = 'http://parley.bench'
const secrets = await createSecrets(secret)
const emailHash = await secrets.emailHash('follower-1@mail.example')
const body =
  'Comment delivery-1. I read the whole piece and I think the council should publish the full budget, line by line, before the vote next month.'
const unsubscribeThread = linkUrl(base, '/mail/unsubscribe', await signLink(secrets, { use: 'unsubscribe', emailHash, articleId: 1 }))
const rendered = renderMail(
  {
    kind: 'thread',
    article: { key: 'delivery', title: 'Breaking: the budget vote', url: 'https://news.example/delivery' },
    comments: [
      {
        id: 12_345,
        authorName: 'Bench Poster',
        html: renderBody(body),
        body,
        createdAt: new Date(),
        link: 'https://news.example/delivery#comment-12345',
      },
    ],
    unsubscribeThread,
    unsubscribeAll: linkUrl(base, '/mail/unsubscribe', await signLink(secrets, { use: 'unsubscribe', emailHash, articleId: null })),
  },
  { name: 'Daily Example', language: 'en' },
)

const transport = nodeSmtpTransport({ url, from: 'Bench comments <comments@news.example>' })
let sent = 0
let failed = 0
const started = performance.now()
await Promise.all(
  Array.from({ length: count }, (_, i) =>
    transport
      .send({
        to: `follower-${i + 1}@mail.example`,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'List-Unsubscribe': `<${unsubscribeThread}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      })
      .then(
        () => void sent++,
        () => void failed++,
      ),
  ),
)
const ms = performance.now() - started
transport.close()
console.log(JSON.stringify({ ms, sent, failed }))
