import type { Db } from '../db/database.js'
import type { Secrets } from '../crypto/secrets.js'
import { articlePages, commentPages, toExportedArticle } from './export-rows.js'
import { PARLEY_EXPORT_FORMAT, PARLEY_EXPORT_VERSION } from './parley-json-format.js'
import { instanceId } from '../sources/instance-id.js'

const PAGE = 500

/**
 * Parley's JSON export, as text chunks: a header, every article, every comment (emails
 * decrypted, statuses, parents, dates, source identities), one element a line. Read page by page, so
 * memory holds one page whatever the site's size; `POST /api/v1/admin/import` reads it back.
 */
export async function* jsonExport(db: Db, secrets: Secrets, now: Date): AsyncGenerator<string> {
  const header = { format: PARLEY_EXPORT_FORMAT, version: PARLEY_EXPORT_VERSION, exportedAt: now.toISOString() }
  yield `{"parley":${JSON.stringify(header)},\n"articles":[`
  let first = true
  for await (const page of articlePages(db, PAGE)) {
    yield page.map((article) => `${first ? ((first = false), '\n') : ',\n'}${JSON.stringify(toExportedArticle(article))}`).join('')
  }
  yield '\n],\n"comments":['
  first = true
  const siteId = await instanceId(db)
  for await (const page of commentPages(db, secrets, siteId, PAGE)) {
    yield page
      .map(({ articleId: _articleId, ...comment }) => `${first ? ((first = false), '\n') : ',\n'}${JSON.stringify(comment)}`)
      .join('')
  }
  yield '\n]}\n'
}
