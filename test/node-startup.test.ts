import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { REQUIRED_NODE } from '../src/runtime/node-version.js'

// `npm start`'s bundle, built by package.json's own build:node into a directory of this file's own
// (two levels below the repository, as dist/node is): node-server.test.ts builds dist/node meanwhile.
let bundle = ''
beforeAll(async () => {
  await mkdir('.cache', { recursive: true })
  bundle = await mkdtemp(join('.cache', 'node-startup-'))
  const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
  await promisify(execFile)('sh', ['-c', (scripts['build:node'] ?? '').replace('--outdir=dist/node', `--outdir=${bundle}`)])
})
afterAll(() => rm(bundle, { recursive: true, force: true }))

/** Runs the bundle's entry to its end (bounded): its exit code and what it wrote to stderr. */
function start(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<{ code: number | null; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env }
  for (const name of ['DATABASE_URL', 'PARLEY_SECRET'] as const) if (!(name in env)) delete childEnv[name]
  const child = spawn(process.execPath, [...nodeArgs, join(bundle, 'node-start.js')], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const bound = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(bound)
      resolve({ code, stderr })
    }),
  )
}

/** Asserts one line and exit code 1: no stack, nothing else. */
function oneLine(result: { code: number | null; stderr: string }): string {
  expect(result.code).toBe(1)
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  return lines[0] ?? ''
}

async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  // No host: the same wildcard address Parley listens on.
  await new Promise<void>((resolve) => server.listen(0, resolve))
  return { port: (server.address() as { port: number }).port, server }
}

describe('a failed start of the Node server', () => {
  it('on a Node older than engines says, in one line, which version it needs', async () => {
    const { engines } = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } }
    expect(engines.node).toBe(`>=${REQUIRED_NODE}`)
    // Node 20 as far as the entry can tell: the check runs before any other module loads.
    const result = await start({ PORT: '0', PARLEY_DATA_DIR: join(bundle, 'data') }, [
      '--import',
      'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.18.0"})',
    ])
    expect(oneLine(result)).toBe(`Parley needs Node.js ${REQUIRED_NODE} or later (22 or 24 LTS); this is Node.js 20.18.0.`)
  })

  it('on a secret shorter than 32 bytes says so in one line, before it opens or makes anything', async () => {
    const short = oneLine(await start({ PORT: '0', PARLEY_SECRET: 'hi', PARLEY_DATA_DIR: join(bundle, 'short-env') }))
    expect(short).toBe(
      'Parley could not start: PARLEY_SECRET must be at least 32 bytes long, not 2: set it to at least 32 random characters, e.g. `openssl rand -base64 48`.',
    )
    const dir = join(bundle, 'short-file')
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFile(join(dir, 'secret'), 'hi\n', { mode: 0o600 })
    const kept = oneLine(await start({ PORT: '0', PARLEY_DATA_DIR: dir }))
    expect(kept).toBe(
      `Parley could not start: the secret kept in ${join(dir, 'secret')} must be at least 32 bytes long, not 2: put the secret this data was sealed with back in that file, or set PARLEY_SECRET.`,
    )
    await expect(readFile(join(dir, 'pgdata', 'PG_VERSION'))).rejects.toThrow()
  })

  it('on a port already in use says so in one line', async () => {
    const { port, server } = await takenPort()
    try {
      const line = oneLine(await start({ PORT: String(port), PARLEY_DATA_DIR: join(bundle, 'data') }))
      expect(line).toBe(
        `Parley could not start: port ${port} is already in use (EADDRINUSE). Stop the process using it, or set PORT to a free port.`,
      )
    } finally {
      server.close()
    }
  })

  it("on a database out of reach says so in one line, without DATABASE_URL's password", async () => {
    const { port, server } = await takenPort()
    await new Promise((resolve) => server.close(resolve))
    const line = oneLine(
      await start({
        PORT: '0',
        DATABASE_URL: `postgres://parley:hunter2-pw@127.0.0.1:${port}/parley`,
        PARLEY_SECRET: 'startup-test-secret-0123456789-abcdefghijkl',
      }),
    )
    expect(line).toBe(
      `Parley could not start: the database at postgres://parley:***@127.0.0.1:${port}/parley (DATABASE_URL) cannot be reached (ECONNREFUSED). Check that PostgreSQL is running there and accepts connections, or fix DATABASE_URL.`,
    )
  })

  it('on a data directory it cannot write says so in one line', async () => {
    // A file where a directory must be: refused even to root, which any mode bits would not stop.
    const file = join(bundle, 'not-a-directory')
    await writeFile(file, '')
    const line = oneLine(await start({ PORT: '0', PARLEY_DATA_DIR: join(file, 'data') }))
    expect(line).toBe(
      `Parley could not start: it cannot write its data directory ${join(file, 'data')} (PARLEY_DATA_DIR): ENOTDIR. Make it writable by this user, or set PARLEY_DATA_DIR to a directory that is.`,
    )
  })
})
