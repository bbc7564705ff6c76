import { parseArgs } from 'node:util'
import { moveArticle } from '../articles/move-article.js'
import { AppError } from '../errors.js'
import { openCliDatabase } from './open-cli-database.js'

// npm run move -- OLD-KEY NEW-KEY [--url https://news.example/new-path]
// When an article's key (or URL) changes: its comments follow, renamed or merged into NEW-KEY.
const { values, positionals } = parseArgs({ options: { url: { type: 'string' } }, allowPositionals: true })
const [from, to] = positionals
if (!from || !to || positionals.length !== 2) {
  console.error('usage: npm run move -- OLD-KEY NEW-KEY [--url URL]')
  process.exit(2)
}
const database = await openCliDatabase()
try {
  const result = await moveArticle(database.db, { from, to, url: values.url }, { moderatorId: null, now: new Date(), urlOrigins: null })
  const { article } = result
  console.log(
    result.merged
      ? `Merged ${from} into ${to}: ${result.moved} comments moved; ${to} now has ${article.commentCount} published.`
      : `Renamed ${from} to ${to} (${article.commentCount} published comments)${article.url ? `, at ${article.url}` : ''}.`,
  )
} catch (error) {
  const message = error instanceof AppError ? (error.errors ?? []).map((e) => e.message).join(' ') || error.detail : String(error)
  console.error(`Not moved: ${message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
