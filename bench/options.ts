import { parseArgs } from 'node:util'

export interface BenchOptions {
  postgres: boolean
  pglite: boolean
  durationS: number
  warmupS: number
  serverWarmupS: number
  connections: number
  /** DB_POOL_MAX of each Parley server (and of the SQL floor), --pool. */
  poolMax: number
  /** Each Parley server writes a V8 CPU profile to bench/results/profiles/<engine>-cache-<on|off> (engine-runs.ts). */
  profile: boolean
  /** A database on the PostgreSQL server the bench may connect to, to drop and create its own. */
  adminUrl: string
  /** Only the import figures (bench/import-bench.ts), and of how many comments. */
  importOnly: boolean
  importComments: number
  /** Only the soak (bench/soak.ts): mixed load on PostgreSQL for this many minutes. */
  soak: boolean
  soakMinutes: number
  /** Only redraw bench/results/chart.svg from the results already written (bench/chart.ts). */
  chartOnly: boolean
  /** Only the database-outage figures (bench/outage-bench.ts), on a throwaway cluster of its own. */
  outage: boolean
  /** Only the graceful-shutdown figures (bench/shutdown-bench.ts). */
  shutdown: boolean
  /** Only the scale figures (bench/scale-bench.ts): the same reads at 10,000 comments and at this many. */
  scale: boolean
  scaleComments: number
  /** Only the email notification figures (bench/mail-bench.ts): posting with mail on and off, delivery to this many followers. */
  mail: boolean
  mailSubscribers: number
  /** Posting with mail off and on, this many times each (bench/mail-bench.ts alternates the order). */
  mailRounds: number
  /** Only the hot article on PostgreSQL, cold and warm, beside the HTTP floor (bench/hot-bench.ts). */
  hotOnly: boolean
  /** Only the cached reads on PostgreSQL (JSON and fragment, br and not), beside the HTTP floor (bench/reads-bench.ts). */
  readsOnly: boolean
}

const USAGE = `npm run bench -- [--postgres-only | --pglite-only] [--duration 10] [--warmup 2] [--server-warmup 8]
                     [--connections 50] [--pool 10] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
                     [--profile]   (CPU profiles of each Parley server in bench/results/profiles/)
                     [--import-only] [--import-comments 100000] [--soak] [--soak-minutes 5] [--chart-only]
                     [--outage]
                     [--shutdown]
                     [--scale] [--scale-comments 1000000]   (PostgreSQL only)
                     [--mail] [--mail-subscribers 10000] [--mail-rounds 2]   (PostgreSQL only)
                     [--hot-only]   (the hot article alone, PostgreSQL)
                     [--reads-only]   (the cached reads alone, PostgreSQL)`

function positive(name: string, text: string, allowZero = false): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`--${name} must be a positive number\n${USAGE}`)
  return value
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'postgres-only': { type: 'boolean', default: false },
      'pglite-only': { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      // Measured: a fresh Parley server gains about 40% over its first 8 s of load, then holds.
      warmup: { type: 'string', default: '2' },
      'server-warmup': { type: 'string', default: '8' },
      connections: { type: 'string', default: '50' },
      pool: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      'import-only': { type: 'boolean', default: false },
      'import-comments': { type: 'string', default: '100000' },
      soak: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string', default: '5' },
      'chart-only': { type: 'boolean', default: false },
      outage: { type: 'boolean', default: false },
      shutdown: { type: 'boolean', default: false },
      scale: { type: 'boolean', default: false },
      'scale-comments': { type: 'string', default: '1000000' },
      mail: { type: 'boolean', default: false },
      'mail-subscribers': { type: 'string', default: '10000' },
      'mail-rounds': { type: 'string', default: '2' },
      'hot-only': { type: 'boolean', default: false },
      'reads-only': { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values['postgres-only'] && values['pglite-only']) throw new Error(`choose one of --postgres-only and --pglite-only\n${USAGE}`)
  return {
    postgres: !values['pglite-only'],
    pglite: !values['postgres-only'],
    durationS: positive('duration', values.duration),
    warmupS: positive('warmup', values.warmup, true),
    serverWarmupS: positive('server-warmup', values['server-warmup'], true),
    connections: Math.round(positive('connections', values.connections)),
    poolMax: Math.round(positive('pool', values.pool)),
    profile: values.profile,
    adminUrl: values['pg-url'],
    importOnly: values['import-only'],
    importComments: Math.round(positive('import-comments', values['import-comments'])),
    soak: values.soak,
    soakMinutes: positive('soak-minutes', values['soak-minutes']),
    chartOnly: values['chart-only'],
    outage: values.outage,
    shutdown: values.shutdown,
    scale: values.scale,
    scaleComments: Math.round(positive('scale-comments', values['scale-comments'])),
    mail: values.mail,
    mailSubscribers: Math.round(positive('mail-subscribers', values['mail-subscribers'])),
    mailRounds: Math.round(positive('mail-rounds', values['mail-rounds'])),
    hotOnly: values['hot-only'],
    readsOnly: values['reads-only'],
  }
}
