import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openTestDatabase } from './support/test-database.js'

// The real Node entry, as `npm start` runs it: a server process, signals, the embedded data directory.
const database = await openTestDatabase()
const dataDir = await mkdtemp(join(tmpdir(), 'parley-node-'))
const children: ChildProcess[] = []
let accepted: { comment: { id: number }; token: string } | undefined

const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }

// package.json's own prestart, once for the file: the restarts below and `npm start`'s test run the bundle.
beforeAll(async () => {
  await promisify(execFile)('sh', ['-c', scripts.prestart ?? ''])
})

afterAll(async () => {
  // A server still running may still write into its data directory: removing it then failed with
  // ENOTEMPTY now and then. Each one is stopped and waited for first.
  await Promise.all(children.map(stop))
  await database.close()
  await removeDir(dataDir)
})

/** Ends a server process (SIGKILL if SIGTERM has not ended it within 10 s) and waits until it has exited. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exit = exited(child)
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exit
  clearTimeout(timer)
}

/** Removes a data directory, retrying while the file system still settles. */
const removeDir = (dir: string) => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface Command {
  file: string
  args: string[]
  env?: NodeJS.ProcessEnv
}
/** The server from its sources, through tsx. */
const fromSources: Command = { file: process.execPath, args: ['--import', 'tsx', 'src/runtime/node.ts'] }
/** The bundle the file's prestart built (no transpiling at each start). */
const fromBundle: Command = { file: process.execPath, args: ['dist/node/node.js'] }

/** Starts the server and, unless told not to, waits for its startup line. */
async function startServer(
  port: number,
  command: Command,
  { waitForStartup = true } = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PARLEY_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JOBS_INTERVAL_MS: '500',
    ...command.env,
  }
  if (database.url) {
    env.DATABASE_URL = database.url
    env.PARLEY_SECRET = 'node-server-test-secret-0123456789-abcdefghij'
  } else {
    delete env.DATABASE_URL
    delete env.PARLEY_SECRET
  }
  const child = spawn(command.file, command.args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  if (waitForStartup) await startupLine(child, () => output)
  return { child, output: () => output }
}

// A first start on a loaded machine took up to 27 s (PGlite's initdb, the migrations): wait for the
// line itself, or the process's end, with a bound far past that rather than a guess at the time.
const STARTUP_BOUND_MS = 120_000
const TEST_BOUND_MS = STARTUP_BOUND_MS + 60_000

function startupLine(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearInterval(poll)
      clearTimeout(bound)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve()
    }
    const onExit = (code: number | null) => done(new Error(`the server exited (${code}) before it listened:\n${output()}`))
    const poll = setInterval(() => {
      if (output().includes('Parley is running on')) done()
    }, 50)
    const bound = setTimeout(() => done(new Error(`no startup line after ${STARTUP_BOUND_MS / 1000} s:\n${output()}`)), STARTUP_BOUND_MS)
    child.once('exit', onExit)
  })
}

/** A command (or a second server) from its sources on this file's database, as npm runs it; its exit code and output. */
function runCommand(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_PASSWORD: 'a long enough password',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  }
  if (database.url) env.DATABASE_URL = database.url
  else delete env.DATABASE_URL
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })))
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
}

/**
 * A first start on the embedded database: /healthz answers while PGlite is still being created
 * (initdb takes seconds), everything else 503 with Retry-After until it is ready.
 */
async function expectHealthyWhileCreating(port: number, output: () => string, child: ChildProcess): Promise<void> {
  let health: Response | undefined
  for (let i = 0; i < 1200 && !health; i++) {
    health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
    if (!health) await new Promise((resolve) => setTimeout(resolve, 25))
  }
  const startedBefore = output().includes('Parley is running on')
  expect(health?.status).toBe(200)
  expect(await health?.json()).toEqual({ status: 'ok' })
  expect(startedBefore).toBe(false)
  const early = await fetch(`http://127.0.0.1:${port}/api/v1/articles/x/comments`)
  if (!output().includes('Parley is running on')) {
    expect(early.status).toBe(503)
    expect(early.headers.get('retry-after')).toBe('2')
    expect(await early.json()).toMatchObject({ code: 'unavailable' })
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503)
  }
  await startupLine(child, output)
  expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200)
}

describe('the Node server', () => {
  // On PGlite this is the data directory's first start (initdb, migrations): /healthz is checked
  // while it runs, rather than in a second first start of its own.
  it(
    'starts with zero configuration (healthy while a first start creates its database, 503 until ready), prints its URL, and finishes in-flight requests on SIGTERM',
    async () => {
      const port = await freePort()
      const { child, output } = await startServer(port, fromSources, { waitForStartup: Boolean(database.url) })
      if (!database.url) await expectHealthyWhileCreating(port, output, child)
      expect(output()).toContain(`Parley is running on http://localhost:${port}`)
      if (!database.url) {
        expect((await readFile(join(dataDir, 'secret'), 'utf8')).trim().length).toBeGreaterThanOrEqual(32)
        expect((await stat(join(dataDir, 'secret'))).mode & 0o077).toBe(0)
        // The embedded database holds password hashes and IPs: no other user may enter its directories.
        const exposed: string[] = []
        for (const name of await readdir(dataDir, { recursive: true })) {
          const info = await stat(join(dataDir, name))
          if (info.isDirectory() && (info.mode & 0o077) !== 0) exposed.push(name)
        }
        expect(exposed).toEqual([])
        expect((await stat(dataDir)).mode & 0o777).toBe(0o700)
        // The embedded first start creates admin@localhost and prints its password once, and it works.
        const password = /password: (\S+)/.exec(output())?.[1] ?? ''
        const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'admin@localhost', password }),
        })
        expect(login.status).toBe(200)
        expect((await login.json()).moderator).toMatchObject({ email: 'admin@localhost', role: 'admin' })
      }

      // A submission whose body is still arriving when the signal comes.
      const body = JSON.stringify({ name: 'Ann', email: 'ann@example.com', body: 'Sent across a shutdown' })
      const half = Math.floor(body.length / 2)
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/articles/shutdown/comments',
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = ''
            res.on('data', (chunk: Buffer) => (text += chunk.toString()))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
          },
        )
        req.on('error', reject)
        req.write(body.slice(0, half))
        setTimeout(() => {
          child.kill('SIGTERM')
          setTimeout(() => req.end(body.slice(half)), 300)
        }, 300)
      })
      const exit = exited(child)
      const answer = await response
      expect(answer.status).toBe(201)
      accepted = JSON.parse(answer.text)
      expect(accepted?.comment).toMatchObject({ html: '<p>Sent across a shutdown</p>', status: 'pending' })
      expect(await exit).toBe(0)
    },
    TEST_BOUND_MS,
  )

  it(
    'keeps its data and secret across restarts',
    async () => {
      const port = await freePort()
      const { child } = await startServer(port, fromBundle)
      // The comment accepted across the shutdown is there, and its token still proves authorship.
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/comments/${accepted?.comment.id}`, {
        headers: { Authorization: `Bearer ${accepted?.token}` },
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ id: accepted?.comment.id, status: 'pending' })
      const exit = exited(child)
      child.kill('SIGINT')
      expect(await exit).toBe(0)
    },
    TEST_BOUND_MS,
  )

  it(
    'holds its embedded data directory: a command or a second server beside it refuses with exit 2, and runs once it stops',
    async () => {
      const port = await freePort()
      const { child } = await startServer(port, fromBundle)
      const createModerator = ['src/cli/moderator-create.ts', '--email', 'late@news.example', '--name', 'Late']
      if (database.url) {
        // PostgreSQL has its own concurrency: no lock, and a command beside the server just works.
        expect(await runCommand(createModerator)).toMatchObject({ code: 0 })
        expect(await readdir(dataDir)).not.toContain('parley.lock')
      } else {
        const refusal = `the server is running on this data directory (pid ${child.pid}): stop it first, or use DATABASE_URL\n`
        const second = String(await freePort())
        for (const command of [
          createModerator,
          ['src/cli/move.ts', 'shutdown', 'moved'],
          ['src/cli/migrate.ts'],
          ['src/cli/import.ts', 'test/fixtures/wordpress/theme-preview.xml'],
          ['src/runtime/node.ts'],
        ]) {
          expect(await runCommand(command, { PORT: second }), command[0]).toEqual({ code: 2, output: refusal })
        }
      }
      const exit = exited(child)
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
      if (database.url) return
      expect(await readdir(dataDir)).not.toContain('parley.lock')
      const created = await runCommand(createModerator)
      expect(created.output).toContain('Created moderator #')
      expect(created.code).toBe(0)
      // A lock left by a process that died (killed outright) is stale: taken over, and gone after.
      const dead = spawn(process.execPath, ['-e', ''])
      await exited(dead)
      await writeFile(join(dataDir, 'parley.lock'), `${JSON.stringify({ pid: dead.pid, holder: 'server' })}\n`)
      expect(await runCommand(['src/cli/migrate.ts'])).toEqual({
        code: 0,
        output: `Migrations applied to the embedded database in ${dataDir}.\n`,
      })
      expect(await readdir(dataDir)).not.toContain('parley.lock')
    },
    TEST_BOUND_MS,
  )

  it(
    'closes keep-alive connections that keep sending after SIGTERM, and exits 0 within its grace period',
    async () => {
      const port = await freePort()
      const { child } = await startServer(port, fromBundle)
      const exit = exited(child)
      let gone = false
      void exit.then(() => (gone = true))
      // Clients that reuse their sockets back to back: server.close() alone would serve them until the grace period ran out.
      const agent = new Agent({ keepAlive: true, maxSockets: 4 })
      const get = () =>
        new Promise<string>((resolve) => {
          const req = request({ agent, host: '127.0.0.1', port, path: '/healthz' }, (res) => {
            res.resume()
            res.on('end', () => resolve(String(res.statusCode)))
          })
          req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
          req.end()
        })
      const seen: string[] = []
      const client = async () => {
        for (let i = 0; i < 100_000 && !gone; i++) {
          const outcome = await get()
          seen.push(outcome)
          if (outcome === 'ECONNREFUSED') return
        }
      }
      const clients = Promise.all([client(), client(), client(), client()])
      while (seen.length < 20) await new Promise((r) => setTimeout(r, 20))
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
      await clients
      agent.destroy()
      expect(seen.filter((outcome) => outcome !== '200' && outcome !== 'ECONNREFUSED' && outcome !== 'ECONNRESET')).toEqual([])
    },
    TEST_BOUND_MS,
  )

  it(
    "runs as `npm start` does: the bundle built by prestart, under PARLEY_HEAP_MB, with a read cache shrunk to the heap's room",
    async () => {
      const port = await freePort()
      // A 64 MB heap leaves no room for a 64 MB cache next to Parley's working set.
      // package.json's own start (its prestart ran before the file's tests), run by the shell as npm
      // would (exec: the pid is node's, to signal it).
      const { child, output } = await startServer(port, {
        file: 'sh',
        args: ['-c', `exec ${scripts.start}`],
        env: { PARLEY_HEAP_MB: '64', READ_CACHE_MB: '64', MALLOC_ARENA_MAX: '' },
      })
      const exit = exited(child)
      expect(output()).toContain(`Parley is running on http://localhost:${port}`)
      expect(output()).toContain('the read cache is smaller than READ_CACHE_MB')
      // glibc's malloc keeps two arenas, not one per thread (README, MALLOC_ARENA_MAX): set for node itself.
      expect((await readFile(`/proc/${child.pid}/environ`, 'utf8')).split('\0')).toContain('MALLOC_ARENA_MAX=2')
      // Files read from src/static resolve from dist/node as from the sources.
      for (const path of ['/widget.js', '/admin/admin.css', '/docs'])
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200)
      // The database answers through the bundle too (this file's earlier tests already posted from this address, so a read).
      const thread = await fetch(`http://127.0.0.1:${port}/api/v1/articles/bundle/comments`)
      expect(thread.status).toBe(200)
      expect(await thread.json()).toMatchObject({ comments: [] })
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
    },
    TEST_BOUND_MS,
  )
})
