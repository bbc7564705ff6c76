/**
 * `npm run check` (the start of `npm test`): the type-check, the layer check, ESLint and Prettier,
 * run side by side (each is one process on one core; in turn they took a minute on the 2-core CI
 * machine). Every one runs to the end, and their output is shown one after the other; the check
 * fails if any failed.
 */
import { spawn } from 'node:child_process'

const checks: [name: string, script: string][] = [
  ['type-check', 'typecheck'],
  ['layers', 'check:layers'],
  ['lint', 'lint'],
  ['format', 'format:check'],
]

function run(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

const results = await Promise.all(checks.map(async ([name, script]) => ({ name, ...(await run(script)) })))
for (const { name, code, output } of results) {
  if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`)
  if (code !== 0) console.error(`check failed: ${name}`)
}
process.exitCode = results.some(({ code }) => code !== 0) ? 1 : 0
