import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { trackChild } from './exit-cleanup.js'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

const READY_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 12_000
const KEPT_OUTPUT = 8_000

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

export interface Memory {
  rssMb: number
  peakMb: number
}

export interface ChildServer {
  name: string
  pid: number
  baseUrl: string
  memory(): Promise<Memory>
  stop(): Promise<void>
  /** Sends a signal, for the benches that watch how the server takes it. */
  kill(signal: NodeJS.Signals): void
  /** Settles when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** VmRSS and its high-water mark (VmHWM) of one process, in MB. */
async function processMemory(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
}

async function waitReady(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url} exited before it was ready (${child.exitCode ?? child.signalCode}):\n${output()}`)
    }
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`)
}

/**
 * Starts `node <script>` from the repository root, with `--import tsx` for a TypeScript one. Node
 * itself runs the script (no npx or tsx wrapper in between), so the pid is the server's and
 * /proc/<pid> is its memory.
 */
export async function startChild(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  readyPath = '/readyz',
): Promise<ChildServer> {
  const port = await freePort()
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...loader, script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  trackChild(child)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  // Kept short, to explain a failed start without holding a chatty server's whole log.
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const pid = child.pid
  if (pid === undefined) throw new Error(`${name} did not start`)
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitReady(child, `${baseUrl}${readyPath}`, () => output)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }

  return {
    name,
    pid,
    baseUrl,
    memory: () => processMemory(pid),
    kill: (signal) => void child.kill(signal),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
    },
  }
}
