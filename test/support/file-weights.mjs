// Refreshes one engine's figures in file-weights.json from a vitest JSON report:
// node test/support/file-weights.mjs /tmp/run.json pglite   (or postgres, for a run with DATABASE_URL)
import { readFileSync, writeFileSync } from 'node:fs'

const [report, engine] = process.argv.slice(2)
if (!report || (engine !== 'pglite' && engine !== 'postgres'))
  throw new Error('usage: node test/support/file-weights.mjs REPORT.json pglite|postgres')
const file = new URL('./file-weights.json', import.meta.url)
const weights = JSON.parse(readFileSync(file, 'utf8'))
const { testResults } = JSON.parse(readFileSync(report, 'utf8'))
weights[engine] = Object.fromEntries(
  testResults
    .map((result) => [result.name.replace(/.*\/test\//, ''), Math.round((result.endTime - result.startTime) / 100) / 10])
    .sort((a, b) => b[1] - a[1]),
)
writeFileSync(file, `${JSON.stringify(weights, null, 1)}\n`)
