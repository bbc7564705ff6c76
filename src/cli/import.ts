import { createReadStream } from 'node:fs'
import { access, constants, stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createSecrets } from '../crypto/secrets.js'
import { importComments } from '../importers/import-comments.js'
import { gunzipIfCompressed } from '../importers/gzip.js'
import { ImportRefused } from '../importers/import-records.js'
import { keyPrefixPattern } from '../articles/articles.js'
import { siteNameMessage, siteNamePattern } from '../importers/source-site.js'
import type { ImportSummary } from '../importers/import-summary.js'
import { readNodeConfig, resolveSecret } from '../runtime/node-config.js'
import { openCliDatabase } from './open-cli-database.js'
import { progressBar } from './progress-bar.js'

// npm run import -- FILE [--pings] [--key-prefix PREFIX] [--site SITE] [--json]
// A WordPress (WXR), Disqus or Parley export, into the database the server uses (DATABASE_URL,
// or the embedded one in PARLEY_DATA_DIR: stop the server first, PGlite has one user at a time).
const USAGE = 'usage: npm run import -- FILE [--pings] [--key-prefix PREFIX] [--site SITE] [--json]'
const { values, positionals } = parseArgs({
  options: {
    pings: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'key-prefix': { type: 'string', default: '' },
    site: { type: 'string', default: '' },
  },
  allowPositionals: true,
})
const file = positionals[0]
const keyPrefix = values['key-prefix']
const badPrefix = keyPrefix !== '' && !keyPrefixPattern.test(keyPrefix)
const badSite = values.site !== '' && !siteNamePattern.test(values.site)
if (!file || positionals.length > 1 || badPrefix || badSite) {
  console.error(USAGE)
  if (badPrefix) console.error('--key-prefix must be 1-100 characters of A-Z a-z 0-9 . _ ~ : @ -.')
  if (badSite) console.error(`--site ${siteNameMessage}.`)
  process.exit(2)
}

function report(summary: ImportSummary): string {
  const { details: d } = summary
  const lines = [
    `Imported ${summary.comments} comments (${d.statuses.approved} approved, ${d.statuses.pending} pending, ${d.statuses.spam} spam, ${d.statuses.trash} trash; ` +
      `${d.replies} replies, longest chain ${d.longestChain}) into ${summary.articles} new and ${d.existingArticles} existing articles, from a ${summary.format} file.`,
    `Skipped ${summary.skipped}: ${d.pings} pingbacks/trackbacks, ${d.otherTypes} of other types, ${d.alreadyImported} imported before, ${d.removedBefore} deleted here before.`,
  ]
  for (const [label, list, count] of [
    ['Error', summary.errors, d.errorCount],
    ['Warning', summary.warnings, d.warningCount],
  ] as const) {
    for (const problem of list.slice(0, 20)) lines.push(`${label}: ${problem.record} ${problem.id}: ${problem.reason}`)
    if (count > 20) lines.push(`… ${count - 20} more ${label.toLowerCase()}s (--json lists up to 1,000)`)
  }
  return lines.join('\n')
}

/** Why the file cannot be read, in a few words: never a stack trace for a mistyped name. */
function unreadable(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a directory'
  return error instanceof Error ? error.message : String(error)
}

let size: number
try {
  const info = await stat(file)
  if (info.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' })
  await access(file, constants.R_OK)
  size = info.size
} catch (error) {
  console.error(`Not imported (nothing was): cannot read ${file}: ${unreadable(error)}.`)
  process.exit(2)
}

/** The file's bytes as they are read, counted for the progress bar (before any decompression). */
async function* counted(source: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onBytes(chunk.byteLength)
    yield chunk
  }
}

const config = readNodeConfig(process.env)
const secrets = await createSecrets(await resolveSecret(process.env, config))
const database = await openCliDatabase()
const bar = process.stdout.isTTY && !values.json ? progressBar(size) : undefined
let read = 0
try {
  // A .gz export (Disqus mails them so) is read as it is: decompressed as it streams.
  const bytes = gunzipIfCompressed(counted(createReadStream(file, { highWaterMark: 256 * 1024 }), (n) => (read += n)))
  const summary = await importComments(database.db, secrets, bytes, {
    moderatorId: null,
    now: new Date(),
    includePings: values.pings,
    keyPrefix,
    site: values.site,
    onProgress: bar ? ({ comments }) => bar.update({ bytes: read, comments }) : undefined,
  })
  bar?.done()
  console.log(values.json ? JSON.stringify(summary, null, 2) : report(summary))
} catch (error) {
  bar?.done()
  if (!(error instanceof ImportRefused)) throw error
  console.error(`Not imported (nothing was): ${error.message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
