import { createReadStream } from 'node:fs'
import { createSecrets } from '../src/crypto/secrets.js'
import { importComments } from '../src/importers/import-comments.js'
import { openCliDatabase } from '../src/cli/open-cli-database.js'

// The bench's import, in a process of its own so that its RSS is the import's alone. Prints
// `ready`, a `progress <bytes>` line each ~second, then one JSON line with the summary.
const file = process.argv[2]
const secret = process.env.PARLEY_SECRET
if (!file || !secret) throw new Error('usage: PARLEY_SECRET=… node --import tsx bench/import-child.ts FILE')
const secrets = await createSecrets(secret)
const database = await openCliDatabase()
console.log('ready')
let reported = 0
const started = performance.now()
try {
  const summary = await importComments(database.db, secrets, createReadStream(file, { highWaterMark: 256 * 1024 }), {
    moderatorId: null,
    now: new Date(),
    onProgress: ({ bytes }) => {
      if (performance.now() - reported < 1000) return
      reported = performance.now()
      console.log(`progress ${bytes}`)
    },
  })
  const ms = performance.now() - started
  console.log(JSON.stringify({ ms, comments: summary.comments, articles: summary.articles, errors: summary.details.errorCount }))
} finally {
  await database.close()
}
