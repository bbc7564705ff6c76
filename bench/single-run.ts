import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planDataset } from './dataset.js'
import { preparePostgres } from './bench-databases.js'
import { BENCH_SECRET } from './engine-runs.js'
import { trackDir } from './exit-cleanup.js'
import type { LoadOptions } from './load.js'
import type { BenchOptions } from './options.js'

const log = (text: string) => process.stderr.write(`${text}\n`)

export interface SingleRun {
  load: LoadOptions
  /** The freshly seeded bench database. */
  url: string
  /** For the HTTP floor's files; removed by `done`. */
  workDir: string
  done: () => Promise<void>
}

/** What `--hot-only` and `--reads-only` start from: the load options, a freshly seeded PostgreSQL database, a work directory. */
export async function prepareSingleRun(options: BenchOptions, name: string): Promise<SingleRun> {
  const { connections, durationS, warmupS, serverWarmupS } = options
  log('PostgreSQL: recreating the bench database and seeding')
  const { url } = await preparePostgres(options.adminUrl, planDataset(), BENCH_SECRET)
  const workDir = await mkdtemp(join(tmpdir(), `parley-${name}-`))
  const untrack = trackDir(workDir)
  return {
    load: { connections, durationS, warmupS, serverWarmupS },
    url,
    workDir,
    done: async () => {
      await rm(workDir, { recursive: true, force: true })
      untrack()
    },
  }
}
