import { checkBudgets } from './budgets.js'
import { planDataset } from './dataset.js'
import { runEngines } from './engine-runs.js'
import type { LoadOptions } from './load.js'
import { parseOptions } from './options.js'
import { budgetsTable, engineTable, floorsTable } from './report.js'
import { benchImportOnly, importTable, runImportBench } from './import-bench.js'
import { benchSoak } from './soak.js'
import { writeChart } from './chart.js'
import { benchOutage } from './outage-bench.js'
import { benchShutdown } from './shutdown-bench.js'
import { benchScale } from './scale-bench.js'
import { benchMail } from './mail-bench.js'
import { benchReadsOnly } from './reads-bench.js'
import { benchHotOnly } from './hot-bench.js'
import { machine, recordedOptions, writeResults } from './results-file.js'

// `npm run bench`: DESIGN.md's budgets, measured on this machine with server and load generator
// side by side, so every figure is also given as a ratio to floors measured in the same run.
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  if (options.importOnly) return benchImportOnly(options)
  if (options.soak) return benchSoak(options)
  if (options.chartOnly) {
    console.log(`Chart written to ${await writeChart()} and bench/chart.svg`)
    return
  }
  if (options.outage) return benchOutage()
  if (options.shutdown) return benchShutdown(options)
  if (options.scale) return benchScale(options)
  if (options.mail) return benchMail(options)
  if (options.hotOnly) return benchHotOnly(options)
  if (options.readsOnly) return benchReadsOnly(options)
  const { connections, durationS, warmupS, serverWarmupS } = options
  const load: LoadOptions = { connections, durationS, warmupS, serverWarmupS }
  const startedAt = new Date()

  const { engines, floors, profiles } = await runEngines(planDataset(), options, load)
  const budgets = checkBudgets(engines, floors)
  const imports = await runImportBench(options)

  console.log('')
  console.log(floorsTable(floors))
  for (const engine of engines) console.log(`\n${engineTable(engine, floors, load, options.poolMax)}`)
  console.log(`\n${budgetsTable(budgets)}`)
  console.log(`\n${importTable(imports)}`)

  await writeResults('latest', {
    startedAt,
    finishedAt: new Date(),
    machine: machine(),
    options: recordedOptions(options),
    floors,
    engines,
    budgets,
    imports,
  })
  console.log(`Chart written to ${await writeChart()} and bench/chart.svg`)
  // Profiled servers run slower: their figures above are not comparable with an ordinary run's.
  if (profiles.length > 0) console.log(`CPU profiles (.cpuprofile, one per server; open in Chrome DevTools):\n  ${profiles.join('\n  ')}`)
}

try {
  await main()
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
