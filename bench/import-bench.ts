import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { recreateDatabase } from './bench-databases.js'
import { repoRoot } from './child-server.js'
import { trackChild, trackDir } from './exit-cleanup.js'
import { BENCH_SECRET } from './engine-runs.js'
import type { BenchOptions } from './options.js'
import { writeResults } from './results-file.js'
import { writeWxrFixture, type WxrFixture } from './wxr-fixture.js'

export interface ImportFigures {
  engine: 'postgres' | 'pglite'
  fileMb: number
  comments: number
  seconds: number
  commentsPerSecond: number
  /** The child's RSS once its database was open, before reading the file. */
  rssReadyMb: number
  /** The highest RSS sampled while importing, and the kernel's high-water mark (VmHWM). */
  rssPeakMb: number
  hwmMb: number
  /** RSS when a quarter, half and three quarters of the file had been read: flat, or growing with the file. */
  rssAtQuarters: number[]
}

const IMPORT_DB = 'parley_bench_import'
const log = (text: string) => process.stderr.write(`${text}\n`)

async function rssOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** Runs bench/import-child.ts on the file, sampling its RSS every 100 ms from /proc. */
async function importInChild(engine: ImportFigures['engine'], fixture: WxrFixture, env: Record<string, string>): Promise<ImportFigures> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/import-child.ts', fixture.path], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PARLEY_SECRET: BENCH_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  trackChild(child)
  const pid = child.pid ?? 0
  let ready = 0
  let peak = 0
  let hwm = 0
  const atBytes: { bytes: number; rss: number }[] = []
  let result: { ms: number; comments: number } | undefined
  const sampler = setInterval(() => {
    void rssOf(pid).then((m) => {
      if (ready > 0) peak = Math.max(peak, m.rss)
      hwm = Math.max(hwm, m.hwm)
    })
  }, 100)
  const lines = createInterface({ input: child.stdout })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  for await (const line of lines) {
    if (line === 'ready') ready = (await rssOf(pid)).rss
    else if (line.startsWith('progress ')) atBytes.push({ bytes: Number(line.slice(9)), rss: (await rssOf(pid)).rss })
    else if (line.startsWith('{')) {
      result = JSON.parse(line)
      hwm = Math.max(hwm, (await rssOf(pid)).hwm)
    }
  }
  clearInterval(sampler)
  const code = await exited
  if (!result || code !== 0) throw new Error(`the ${engine} import failed (exit ${code})`)
  const at = (fraction: number) => Math.round(atBytes.find((s) => s.bytes >= fixture.bytes * fraction)?.rss ?? 0)
  return {
    engine,
    fileMb: Math.round(fixture.bytes / 2 ** 20),
    comments: result.comments,
    seconds: Math.round(result.ms / 100) / 10,
    commentsPerSecond: Math.round(result.comments / (result.ms / 1000)),
    rssReadyMb: Math.round(ready),
    rssPeakMb: Math.round(peak),
    hwmMb: Math.round(hwm),
    rssAtQuarters: [at(0.25), at(0.5), at(0.75)],
  }
}

const freshPostgres = (adminUrl: string) => recreateDatabase(adminUrl, IMPORT_DB)

/**
 * Import speed (DESIGN.md: memory flat on a 100 MB export): a generated WXR file of
 * `--import-comments` comments (100,000 by default) imported into a fresh database on each
 * engine, by the same code as `npm run import`, in a child process whose RSS is sampled.
 */
export async function runImportBench(options: BenchOptions): Promise<ImportFigures[]> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-import-'))
  const untrack = trackDir(dir)
  try {
    log(`Import: writing a WXR file of ${options.importComments.toLocaleString('en-US')} comments`)
    const fixture = await writeWxrFixture(
      join(dir, 'export.xml'),
      options.importComments,
      Math.max(1, Math.round(options.importComments / 100)),
    )
    const figures: ImportFigures[] = []
    if (options.postgres) {
      log('Import: PostgreSQL')
      figures.push(await importInChild('postgres', fixture, { DATABASE_URL: await freshPostgres(options.adminUrl) }))
    }
    if (options.pglite) {
      log('Import: PGlite')
      figures.push(await importInChild('pglite', fixture, { DATABASE_URL: '', PARLEY_DATA_DIR: join(dir, 'pglite') }))
    }
    return figures
  } finally {
    await rm(dir, { recursive: true, force: true })
    untrack()
  }
}

export function importTable(figures: ImportFigures[]): string {
  const rows = figures.map(
    (f) =>
      `${f.engine.padEnd(8)}  ${String(f.fileMb).padStart(4)} MB  ${f.comments.toLocaleString('en-US').padStart(8)} comments  ` +
      `${String(f.seconds).padStart(6)} s  ${f.commentsPerSecond.toLocaleString('en-US').padStart(6)} comments/s  ` +
      `RSS ready ${f.rssReadyMb} MB, at 25/50/75% ${f.rssAtQuarters.join('/')} MB, peak ${f.rssPeakMb} MB (VmHWM ${f.hwmMb} MB)`,
  )
  return `Import (npm run import's code, WXR, one child process each)\n${rows.join('\n')}`
}

/** `npm run bench -- --import-only`: the import figures alone, written to bench/results/import-latest.json. */
export async function benchImportOnly(options: BenchOptions): Promise<void> {
  const figures = await runImportBench(options)
  console.log(`\n${importTable(figures)}`)
  await writeResults('import-latest', { at: new Date(), imports: figures })
}
