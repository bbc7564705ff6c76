import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'

/**
 * What the bench leaves on the machine while it runs: child servers and temporary directories.
 * Normal paths clean up in their own `finally`; this catches an error that escapes them, and
 * Ctrl-C, which exits without running any `finally`.
 */
const children = new Set<ChildProcess>()
const dirs = new Set<string>()

export function trackChild(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
}

export function trackDir(dir: string): () => void {
  dirs.add(dir)
  return () => dirs.delete(dir)
}

function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}

/** A dying PGlite server still writes its data directory, so the directories go once the children are gone. */
async function interrupted(): Promise<never> {
  const gone = [...children].map((child) => once(child, 'exit'))
  for (const child of children) child.kill('SIGKILL')
  await Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, 3000))])
  process.exit(130)
}

process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void interrupted())
