import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './child-server.js'
import type { BenchOptions } from './options.js'

/** Where every bench script writes its JSON (git-ignored; bench/figures keeps a published run). */
export const RESULTS_DIR = join(repoRoot, 'bench', 'results')

/** The machine a run was measured on, recorded beside its figures. */
export function machine(): { cpus: number; cpuModel: string; memoryMb: number; node: string } {
  const cpu = cpus()
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryMb: Math.round(totalmem() / 2 ** 20), node: process.version }
}

/** The options as recorded: the admin URL stays out of the file, as it may carry a password. */
export function recordedOptions(options: BenchOptions): Omit<BenchOptions, 'adminUrl'> {
  const { adminUrl: _adminUrl, ...recorded } = options
  return recorded
}

/** Writes `report` to bench/results/<name>.json and says so. */
export async function writeResults(name: string, report: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${name}.json`)
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\nFigures written to ${file}`)
  return file
}
