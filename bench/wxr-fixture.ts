import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

/**
 * Writes a WordPress export (WXR 1.2) of `comments` comments over `articles` posts, streamed to
 * disk so that the bench never holds it: about 1 KB a comment, like a real export's comments
 * with their markup (100,000 comments make a file of about 100 MB). Deterministic: every run
 * imports the same file. A third of the comments are replies (some chains run deep), a few are
 * held, spam or trash, the commenters come from a pool of 5,000.
 */
export interface WxrFixture {
  path: string
  bytes: number
  comments: number
  articles: number
}

const WORDS = (
  'the council budget roads schools bridge numbers report thanks follow up story neighbour ' +
  'reading twice still think people live here good point missed question answer agree disagree'
).split(' ')

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const pad = (n: number) => String(n).padStart(2, '0')
const wpDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`

export async function writeWxrFixture(path: string, comments = 100_000, articles = 1_000): Promise<WxrFixture> {
  const next = random(42)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  const paragraph = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ')
  const out = createWriteStream(path)
  let bytes = 0
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  await write(
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" ' +
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n' +
      '\t<title>Bench News</title>\n\t<link>https://news.example</link>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n',
  )
  let id = 1
  const start = Date.UTC(2015, 0, 1)
  for (let a = 0; a < articles; a++) {
    const postId = 100_000 + a
    const posted = new Date(start + a * 3_600_000 * 24)
    await write(
      `\t<item>\n\t\t<title><![CDATA[Story number ${a}]]></title>\n\t\t<link>https://news.example/${a}/story-${a}/</link>\n` +
        `\t\t<dc:creator><![CDATA[editor]]></dc:creator>\n\t\t<content:encoded><![CDATA[${paragraph(100)}]]></content:encoded>\n` +
        `\t\t<wp:post_id>${postId}</wp:post_id>\n\t\t<wp:post_date_gmt><![CDATA[${wpDate(posted)}]]></wp:post_date_gmt>\n` +
        `\t\t<wp:comment_status><![CDATA[${a % 10 === 0 ? 'closed' : 'open'}]]></wp:comment_status>\n` +
        `\t\t<wp:status><![CDATA[publish]]></wp:status>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n`,
    )
    const count = Math.floor(comments / articles) + (a < comments % articles ? 1 : 0)
    const first = id
    for (let c = 0; c < count; c++, id++) {
      const parent = c > 0 && next() < 0.35 ? first + Math.floor(next() * c) : 0
      const who = Math.floor(next() * 5_000)
      const roll = next()
      const approved = roll < 0.9 ? '1' : roll < 0.96 ? '0' : roll < 0.99 ? 'spam' : 'trash'
      const date = wpDate(new Date(posted.getTime() + c * 60_000))
      await write(
        `\t\t<wp:comment>\n\t\t\t<wp:comment_id>${id}</wp:comment_id>\n` +
          `\t\t\t<wp:comment_author><![CDATA[Reader ${who}]]></wp:comment_author>\n` +
          `\t\t\t<wp:comment_author_email><![CDATA[reader${who}@mail.example]]></wp:comment_author_email>\n` +
          `\t\t\t<wp:comment_author_url>${who % 3 === 0 ? `https://blog${who}.example/` : ''}</wp:comment_author_url>\n` +
          `\t\t\t<wp:comment_author_IP><![CDATA[198.51.${who % 250}.${(who * 7) % 250}]]></wp:comment_author_IP>\n` +
          `\t\t\t<wp:comment_date><![CDATA[${date}]]></wp:comment_date>\n\t\t\t<wp:comment_date_gmt><![CDATA[${date}]]></wp:comment_date_gmt>\n` +
          `\t\t\t<wp:comment_content><![CDATA[${paragraph(20 + Math.floor(next() * 40))}\n\n${paragraph(5 + Math.floor(next() * 25))}]]></wp:comment_content>\n` +
          `\t\t\t<wp:comment_approved><![CDATA[${approved}]]></wp:comment_approved>\n\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n` +
          `\t\t\t<wp:comment_parent>${parent}</wp:comment_parent>\n\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n`,
      )
    }
    await write('\t</item>\n')
  }
  await write('</channel>\n</rss>\n')
  out.end()
  await once(out, 'finish')
  return { path, bytes, comments, articles }
}
