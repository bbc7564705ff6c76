/**
 * `npm run bench -- --mail`: issue 17's two measurements of email notifications, each against a
 * floor measured in the same run, on PostgreSQL (--pg-url's server, database BENCH_DB_NAME, dropped
 * and created afresh for every server) with a counting SMTP sink on loopback (bench/counting-sink.ts).
 *
 * 1. Posting: the hot-article workload (every post by a new commenter to one article, as the main
 *    bench's) on servers over the same freshly seeded data, with mail off and with mail on (SMTP_URL
 *    to the sink) and someone to tell: a moderator emailed about every new comment (held and every,
 *    no digest) and 100 confirmed readers following the hot article. Off and on in turn,
 *    --mail-rounds times each (default 2: off, on, on, off). Accepted/s and p99, and the ratio
 *    on/off (budget ≥ 0.90). Jobs run every 200 ms in both, so the difference is the mail's work:
 *    the notify job written in each insert, the job turning it into emails, the sends. How much of
 *    that work got done during the load, and what was left when it stopped, is shown beside it: a
 *    ratio bought by letting mail fall behind is not one to be pleased with.
 * 2. Delivery: 10,000 confirmed readers follow one article; one approved comment is posted; the
 *    time from its 201 to the sink's 10,000th email. Sent the way production sends it, by the
 *    server's own jobs timer (JOBS_INTERVAL_MS, here 200 ms so the wait for the first tick stays
 *    small beside the sending), from the bundle `npm start` runs, through its pooled transport: an
 *    in-process runJobs would share the bench's event loop with the sink and leave out the server.
 *    Floor: the same transport (nodeSmtpTransport, two pooled connections) in a process of its own
 *    sending as many rendered thread emails straight to the same sink (bench/mail-floor.ts).
 *
 * Figures go to bench/results/mail.json (bench/figures/ keeps a published run).
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { openPostgres } from '../src/db/postgres.js'
import { BENCH_DB, preparePostgres, prepareEmptyPostgres } from './bench-databases.js'
import { repoRoot, type ChildServer } from './child-server.js'
import { startCountingSink, type CountingSink } from './counting-sink.js'
import { HOT_KEY, planDataset } from './dataset.js'
import { BENCH_SECRET, startParley } from './engine-runs.js'
import { trackChild } from './exit-cleanup.js'
import { warmUp, type LoadOptions } from './load.js'
import { seedArticle, seedFollowers, seedNotifiedModerator } from './mail-seed.js'
import type { BenchOptions } from './options.js'
import { machine, recordedOptions, writeResults } from './results-file.js'
import { measurePosts, type SubmissionResult } from './scenarios.js'
import { hotArticle, newCommenters, threadPath, type NewCommenter } from './workloads.js'

/** Issue 17: posting with notifications on stays within 10% of posting without. */
export const MAIL_POSTING_BUDGET = 0.9
const HOT_FOLLOWERS = 100
const DELIVERY_KEY = 'delivery'
const JOBS_INTERVAL_MS = '200'
const MAIL_FROM = 'Bench comments <comments@news.example>'
const PUBLIC_URL = 'http://parley.bench'
/** How long after the load the mail work may take to catch up before the bench stops waiting. */
const DRAIN_LIMIT_MS = 15_000
const DELIVERY_TIMEOUT_MS = 300_000

const log = (text: string) => process.stderr.write(`${text}\n`)

export interface MailBacklog {
  /** Notify jobs not yet turned into emails. */
  notifyJobs: number
  /** Emails due now, or being sent. */
  mailDue: number
  /** Emails gathering comments until their reader's next one may go (PARLEY_MAIL_COALESCE_MINUTES). */
  mailLater: number
  sent: number
}

export interface PostingRun {
  round: number
  mail: boolean
  posts: SubmissionResult
  /** Comments the whole load stored (server warm-up, warm-up and the measured run). */
  commentsPosted: number
  loadSeconds: number
  /** Emails the sink took over the whole load. */
  emailsDuringLoad: number
  /** Notify jobs done over the whole load: with mail on, every comment queues one (the moderator wants them all). */
  notifyJobsDone: number
  /** When the load stopped. */
  backlog: MailBacklog
  /** From the load's end until no notify job and no due email was left; null: not within DRAIN_LIMIT_MS. */
  drainMs: number | null
  /** Emails the sink took by then, from the load's start. */
  emailsAfterDrain: number
}

/** One setting's runs together: the mean of their accepted/s and of their p99s. */
export interface PostingMean {
  acceptedPerS: number
  p99Ms: number
}

export interface DeliveryFloor {
  emails: number
  ms: number
  emailsPerS: number
  bytesPerEmail: number
}

export interface DeliveryRun {
  subscribers: number
  /** From the comment's 201 to the sink's last email. */
  ms: number
  emailsPerS: number
  /** From the sink's first email to its last: the sending alone. */
  sendingMs: number
  sendingEmailsPerS: number
  /** From the 201 to the first email: the next jobs tick, the notify job's 10,000 rows, the first claim. */
  firstEmailMs: number
  received: number
  distinctRecipients: number
  bytesPerEmail: number
  /** mail_messages by state once the last email arrived. */
  states: Record<string, number>
  rssAfterMb: number
  rssPeakMb: number
}

export interface MailBenchReport {
  startedAt: Date
  finishedAt: Date
  machine: ReturnType<typeof machine>
  options: ReturnType<typeof recordedOptions>
  database: string
  /** The machine's 1-minute load average at the start and the end: other work on it skews every figure. */
  loadAverage: { start: number; end: number }
  posting: {
    runs: PostingRun[]
    off: PostingMean
    on: PostingMean
    /** Mean accepted/s with mail on ÷ with mail off; and each round's own. */
    ratio: number
    roundRatios: number[]
    budget: number
    pass: boolean
  }
  delivery: { floor: DeliveryFloor; parley: DeliveryRun; ratio: number; sendingRatio: number }
}

/** The server environment with mail on: every email goes to the sink, links point at a made-up origin. */
const mailEnv = (sink: CountingSink): Record<string, string> => ({
  SMTP_URL: sink.url,
  PARLEY_MAIL_FROM: MAIL_FROM,
  PARLEY_PUBLIC_URL: PUBLIC_URL,
})

const profileDir = (options: BenchOptions, name: string) => (options.profile ? `bench/results/profiles/${name}` : undefined)

/** A connection of the bench's own for seeding, closed before the server starts. */
async function withDatabase<T>(url: string, work: (db: ReturnType<typeof openPostgres>) => Promise<T>): Promise<T> {
  const database = openPostgres({ url, poolMax: 4, timeoutMs: 30_000 })
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}

async function backlogOf(sql: postgres.Sql): Promise<MailBacklog> {
  const [row] = await sql<MailBacklog[]>`
    select (select count(*) from jobs where kind = 'notify')::int as "notifyJobs",
      (select count(*) from mail_messages where state = 'sending' or (state = 'queued' and send_after <= now()))::int as "mailDue",
      (select count(*) from mail_messages where state = 'queued' and send_after > now())::int as "mailLater",
      (select count(*) from mail_messages where state = 'sent')::int as sent`
  if (!row) throw new Error('no backlog row')
  return row
}

/** Polls until the mail work has caught up (nothing but emails gathering for later): the ms it took, or null. */
async function waitDrained(sql: postgres.Sql, limitMs: number): Promise<number | null> {
  const started = performance.now()
  while (performance.now() - started < limitMs) {
    const backlog = await backlogOf(sql)
    if (backlog.notifyJobs === 0 && backlog.mailDue === 0) return Math.round(performance.now() - started)
    await sleep(250)
  }
  return null
}

const hotComments = async (sql: postgres.Sql) => {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from comments c join articles a on a.id = c.article_id where a.key = ${HOT_KEY}`
  return row?.n ?? 0
}

async function postingRun(
  round: number,
  mail: boolean,
  sink: CountingSink,
  options: BenchOptions,
  load: LoadOptions,
  commenters: () => NewCommenter,
): Promise<PostingRun> {
  log(`posting, round ${round}, mail ${mail ? 'on' : 'off'}: recreating ${BENCH_DB} and seeding`)
  const { url } = await preparePostgres(options.adminUrl, planDataset(), BENCH_SECRET)
  // The same data for both servers: with mail off, the moderator and the followers are simply not told.
  await withDatabase(url, async (database) => {
    const now = new Date()
    await seedNotifiedModerator(database.db, now)
    await seedFollowers(database.db, HOT_KEY, HOT_FOLLOWERS, BENCH_SECRET, 'hot-follower', now)
    await database.client.unsafe('analyze moderators, notification_prefs, mail_addresses, subscriptions')
  })
  const env = { DATABASE_URL: url, JOBS_INTERVAL_MS, ...(mail ? mailEnv(sink) : {}) }
  const server = await startParley(env, options.poolMax, true, profileDir(options, `mail-posting-${mail ? 'on' : 'off'}-${round}`))
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const seeded = await hotComments(sql)
    sink.reset()
    const loadStarted = performance.now()
    log(`  server warm-up ${load.serverWarmupS} s, then hot article posts`)
    await warmUp(server, hotArticle({ approved: 0, held: 0 }, commenters), load, load.serverWarmupS)
    const posts = await measurePosts(server, load, (tally) => hotArticle(tally, commenters))
    const loadSeconds = (performance.now() - loadStarted) / 1000
    const emailsDuringLoad = sink.count
    const backlog = await backlogOf(sql)
    const commentsPosted = (await hotComments(sql)) - seeded
    if (mail) log(`  waiting up to ${DRAIN_LIMIT_MS / 1000} s for the mail work to catch up`)
    const drainMs = mail ? await waitDrained(sql, DRAIN_LIMIT_MS) : 0
    return {
      round,
      mail,
      posts,
      commentsPosted,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      emailsDuringLoad,
      notifyJobsDone: mail ? commentsPosted - backlog.notifyJobs : 0,
      backlog,
      drainMs,
      emailsAfterDrain: sink.count,
    }
  } finally {
    await sql.end({ timeout: 5 })
    // With mail behind, the server's jobs run outlasts its 10 s grace period, and it exits 1: the run is over anyway.
    await server.stop()
  }
}

/**
 * Off and on in turn, the order swapped every other round (off, on, on, off …): each setting gets
 * the first and the second place equally, as a server started second on the machine has measured
 * differently from one started first (a checkpoint of the previous run's writes, say).
 */
async function postingRuns(sink: CountingSink, options: BenchOptions, load: LoadOptions): Promise<MailBenchReport['posting']> {
  const commenters = newCommenters()
  const runs: PostingRun[] = []
  for (let round = 1; round <= options.mailRounds; round++) {
    for (const mail of round % 2 === 1 ? [false, true] : [true, false])
      runs.push(await postingRun(round, mail, sink, options, load, commenters))
  }
  const mean = (mail: boolean): PostingMean => {
    const of = runs.filter((run) => run.mail === mail)
    return {
      acceptedPerS: of.reduce((sum, run) => sum + run.posts.acceptedPerS, 0) / of.length,
      p99Ms: of.reduce((sum, run) => sum + run.posts.measurement.p99Ms, 0) / of.length,
    }
  }
  const off = mean(false)
  const on = mean(true)
  const ratio = on.acceptedPerS / off.acceptedPerS
  const roundRatios = Array.from({ length: options.mailRounds }, (_, i) => {
    const ofRound = (mail: boolean) => runs.find((run) => run.round === i + 1 && run.mail === mail)?.posts.acceptedPerS ?? NaN
    return ofRound(true) / ofRound(false)
  })
  return { runs, off, on, ratio, roundRatios, budget: MAIL_POSTING_BUDGET, pass: ratio >= MAIL_POSTING_BUDGET }
}

/** bench/mail-floor.ts in its own process: the transport alone, sending `count` emails to the sink. */
async function measureFloor(sink: CountingSink, count: number): Promise<DeliveryFloor> {
  log(`delivery floor: nodeSmtpTransport sending ${count.toLocaleString('en-US')} emails straight to the sink`)
  sink.reset()
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/mail-floor.ts', sink.url, String(count)], {
    cwd: repoRoot,
    env: { ...process.env, PARLEY_SECRET: BENCH_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  trackChild(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  let result: { ms: number; sent: number; failed: number } | undefined
  for await (const line of createInterface({ input: child.stdout })) if (line.startsWith('{')) result = JSON.parse(line)
  const code = await exited
  if (!result || code !== 0) throw new Error(`the mail floor failed (exit ${code})`)
  if (result.sent !== count || sink.count !== count) {
    throw new Error(`the mail floor sent ${result.sent} (${result.failed} failed); the sink took ${sink.count} of ${count}`)
  }
  return {
    emails: count,
    ms: Math.round(result.ms),
    emailsPerS: count / (result.ms / 1000),
    bytesPerEmail: Math.round(sink.bytes / sink.count),
  }
}

async function postOne(server: ChildServer): Promise<void> {
  const response = await fetch(server.baseUrl + threadPath(DELIVERY_KEY), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.200.0.1' },
    body: JSON.stringify({
      name: 'Bench Poster',
      email: 'poster@mail.example',
      body: 'Comment delivery-1. I read the whole piece and I think the council should publish the full budget, line by line, before the vote next month.',
    }),
  })
  const text = await response.text()
  if (response.status !== 201 || !text.includes('"status":"approved"')) {
    throw new Error(`the delivery comment was answered ${response.status}, not approved: ${text.slice(0, 300)}`)
  }
}

async function deliveryRun(sink: CountingSink, options: BenchOptions, subscribers: number): Promise<DeliveryRun> {
  log(`delivery: recreating ${BENCH_DB} with ${subscribers.toLocaleString('en-US')} confirmed followers of one article`)
  const url = await prepareEmptyPostgres(options.adminUrl)
  await withDatabase(url, async (database) => {
    const now = new Date()
    await seedArticle(database.db, DELIVERY_KEY, now)
    await seedFollowers(database.db, DELIVERY_KEY, subscribers, BENCH_SECRET, 'follower', now)
    await database.client.unsafe('analyze articles, mail_addresses, subscriptions')
  })
  const server = await startParley(
    { DATABASE_URL: url, JOBS_INTERVAL_MS, ...mailEnv(sink) },
    options.poolMax,
    true,
    profileDir(options, 'mail-delivery'),
  )
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    sink.reset()
    log('  one approved comment, then waiting for every follower’s email')
    await postOne(server)
    const answeredAt = performance.now()
    await sink.waitFor(subscribers, DELIVERY_TIMEOUT_MS)
    const doneAt = sink.lastAt
    const firstAt = sink.firstAt
    // A moment for any duplicate to show, and for the sweep to record the last sends.
    await sleep(1000)
    const states: Record<string, number> = {}
    for (const row of await sql<{ state: string; n: number }[]>`select state, count(*)::int as n from mail_messages group by state`) {
      states[row.state] = row.n
    }
    const memory = await server.memory()
    const ms = doneAt - answeredAt
    const sendingMs = doneAt - firstAt
    return {
      subscribers,
      ms: Math.round(ms),
      emailsPerS: subscribers / (ms / 1000),
      sendingMs: Math.round(sendingMs),
      sendingEmailsPerS: subscribers / (sendingMs / 1000),
      firstEmailMs: Math.round(firstAt - answeredAt),
      received: sink.count,
      distinctRecipients: sink.distinct,
      bytesPerEmail: Math.round(sink.bytes / sink.count),
      states,
      rssAfterMb: Math.round(memory.rssMb),
      rssPeakMb: Math.round(memory.peakMb),
    }
  } finally {
    await sql.end({ timeout: 5 })
    await server.stop()
  }
}

export async function benchMail(options: BenchOptions): Promise<void> {
  const startedAt = new Date()
  const loadAtStart = loadavg()[0] ?? 0
  const { connections, durationS, warmupS, serverWarmupS } = options
  const load: LoadOptions = { connections, durationS, warmupS, serverWarmupS }
  const sink = await startCountingSink()
  let report: MailBenchReport
  try {
    const posting = await postingRuns(sink, options, load)
    const floor = await measureFloor(sink, options.mailSubscribers)
    const parley = await deliveryRun(sink, options, options.mailSubscribers)
    report = {
      startedAt,
      finishedAt: new Date(),
      machine: machine(),
      options: recordedOptions(options),
      database: BENCH_DB,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      posting,
      delivery: { floor, parley, ratio: parley.emailsPerS / floor.emailsPerS, sendingRatio: parley.sendingEmailsPerS / floor.emailsPerS },
    }
  } finally {
    await sink.close()
  }
  console.log(`\n${mailTable(report)}`)
  await writeResults('mail', report)
}

const round = (value: number) => Math.round(value).toLocaleString('en-US')
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`

function behindText(run: PostingRun): string {
  if (!run.mail) return '—'
  const { notifyJobs, mailDue } = run.backlog
  const drain =
    run.drainMs === null ? `not caught up ${DRAIN_LIMIT_MS / 1000} s later` : `caught up ${(run.drainMs / 1000).toFixed(1)} s later`
  return `${round(notifyJobs)} notify jobs, ${round(mailDue)} emails due; ${drain}`
}

function postingRow(run: PostingRun): string {
  const perS = (n: number) => `${round(n)} (${round(n / run.loadSeconds)}/s)`
  const mailWork = run.mail ? `${perS(run.notifyJobsDone)} | ${perS(run.emailsDuringLoad)}` : '— | —'
  return `| ${run.round} | ${run.mail ? 'on' : 'off'} | ${round(run.posts.acceptedPerS)} | ${run.posts.measurement.p99Ms} | ${perS(run.commentsPosted)} | ${mailWork} | ${behindText(run)} |`
}

export function mailTable(report: MailBenchReport): string {
  const { runs, off, on, ratio, roundRatios, budget, pass } = report.posting
  const { floor, parley } = report.delivery
  const load = report.loadAverage
  return [
    `Email notifications (PostgreSQL, database ${report.database}; counting SMTP sink on loopback; load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end)`,
    '',
    `Posting to the hot article, ${report.options.connections} connections, ${report.options.durationS} s measured after ${report.options.serverWarmupS + report.options.warmupS} s of warm-up; mail on: a moderator emailed about every comment, ${HOT_FOLLOWERS} followers`,
    '',
    '| round | mail | accepted/s | p99 ms | comments over the whole load | notify jobs done | emails sent | left when the load stopped |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(postingRow),
    '',
    `mail on/off: ${percent(ratio)} of accepted/s (${round(on.acceptedPerS)} vs ${round(off.acceptedPerS)}; rounds ${roundRatios.map(percent).join(', ')}); budget ≥ ${percent(budget)}: ${pass ? 'PASS' : 'MISS'}; mean p99 ${Math.round(on.p99Ms)} vs ${Math.round(off.p99Ms)} ms`,
    '',
    `Delivery to ${round(parley.subscribers)} confirmed followers of one article (one approved comment; jobs every ${JOBS_INTERVAL_MS} ms)`,
    '',
    '| | emails/s | time | vs floor | bytes/email |',
    '| --- | --- | --- | --- | --- |',
    `| floor: nodeSmtpTransport (2 pooled connections) straight to the sink | ${round(floor.emailsPerS)} | ${(floor.ms / 1000).toFixed(1)} s | — | ${round(floor.bytesPerEmail)} |`,
    `| Parley, 201 to last email | ${round(parley.emailsPerS)} | ${(parley.ms / 1000).toFixed(1)} s | ${percent(report.delivery.ratio)} | ${round(parley.bytesPerEmail)} |`,
    `| Parley, first email to last | ${round(parley.sendingEmailsPerS)} | ${(parley.sendingMs / 1000).toFixed(1)} s | ${percent(report.delivery.sendingRatio)} | |`,
    '',
    `first email ${parley.firstEmailMs} ms after the 201; received ${round(parley.received)}, distinct recipients ${round(parley.distinctRecipients)}; mail_messages ${Object.entries(
      parley.states,
    )
      .map(([state, n]) => `${state} ${round(n)}`)
      .join(', ')}; server RSS ${parley.rssAfterMb} MB (peak ${parley.rssPeakMb})`,
  ].join('\n')
}
