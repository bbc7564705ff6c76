import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

// `npm run size:worker`: the Worker bundle that `npm run build:worker` left in dist/, against
// DESIGN.md's budgets (200 KiB gzipped; startup CPU under 150 ms, the non-idle time of
// `wrangler check startup`'s profile), and which packages fill it (from esbuild's metafile).
const BUDGET_GZIP_KIB = 200
const BUDGET_STARTUP_MS = 150

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

/** `node_modules/@scope/name/...` → `@scope/name`; our own files → their folder under src/. */
function owner(path: string): string {
  const inPackage = path.split('node_modules/').pop() ?? path
  if (inPackage === path) return path.split('/').slice(0, 2).join('/')
  const parts = inPackage.split('/')
  return (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
}

const bundle = await readFile('dist/worker.js')
const gzipped = gzipSync(bundle, { level: 9 }).length
console.log(`Worker bundle: ${kib(bundle.length)} raw, ${kib(gzipped)} gzipped (budget ${BUDGET_GZIP_KIB} KiB gzipped)`)
if (gzipped > BUDGET_GZIP_KIB * 1024) {
  console.log(`  over budget by ${kib(gzipped - BUDGET_GZIP_KIB * 1024)}`)
  process.exitCode = 1
}

const meta = JSON.parse(await readFile('dist/bundle-meta.json', 'utf8')) as Metafile
const output = meta.outputs['dist/worker.js']
if (output) {
  const byOwner = new Map<string, number>()
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    byOwner.set(owner(path), (byOwner.get(owner(path)) ?? 0) + bytesInOutput)
  }
  console.log('Largest parts (minified bytes, before gzip):')
  for (const [name, bytes] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${kib(bytes).padStart(10)}  ${((100 * bytes) / bundle.length).toFixed(0).padStart(3)}%  ${name}`)
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[]
  samples: number[]
  timeDeltas: number[]
}

/** workerd's profile of loading the bundle (wrangler builds it again the same way): every sample's time but the idle ones'. */
async function startupMs(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-startup-'))
  try {
    const outfile = join(dir, 'startup.cpuprofile')
    execFileSync('npx', ['wrangler', 'check', 'startup', '--outfile', outfile], {
      stdio: 'ignore',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    })
    const profile = JSON.parse(await readFile(outfile, 'utf8')) as CpuProfile
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
    let busy = 0
    profile.samples.forEach((node, i) => {
      if (!idle.has(node)) busy += profile.timeDeltas[i] ?? 0
    })
    return busy / 1000
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const ms = await startupMs()
console.log(
  `Startup CPU (workerd here, non-idle): ${ms.toFixed(0)} ms (budget ${BUDGET_STARTUP_MS} ms)${ms > BUDGET_STARTUP_MS ? ' — over budget' : ''}`,
)
// Both budgets fail the command (CI runs it): a capability that grows the Worker past them must say so.
if (ms > BUDGET_STARTUP_MS) process.exitCode = 1
