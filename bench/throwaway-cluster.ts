import { execFile, execFileSync } from 'node:child_process'
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises'
import { existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * A PostgreSQL server of its own, made with initdb in a temporary directory on a free loopback port,
 * for the benches and tests that stop, restart or starve their database: the machine's main cluster
 * (5432), which other tests and benches share, is never touched. Trust auth, superuser `postgres`,
 * fsync off (nothing in it outlives the run). Root runs the server as the `postgres` user, as
 * PostgreSQL refuses root. Removed by `remove()`, or at the latest when the process exits.
 */
export interface ThrowawayCluster {
  port: number
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string
  /** `pg_ctl start`, returning once it accepts connections. */
  start(): Promise<void>
  /** `pg_ctl stop -m fast`: every backend ended, the port closed, returning once it is down. */
  stop(): Promise<void>
  /** Stops it if running and deletes its directory. */
  remove(): Promise<void>
}

/** The newest PostgreSQL's binaries on this machine (Debian keeps them off PATH), or PG_BIN. */
async function binaries(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = (await readdir(root).catch(() => [])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  const found = versions.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')))
  if (!found) throw new Error(`no initdb under ${root}: install PostgreSQL's server package or set PG_BIN`)
  return found
}

/** The user the server runs as: `postgres` when we are root, else ourselves. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim())
  return { uid: await id('-u'), gid: await id('-g') }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

const live = new Set<() => void>()
process.on('exit', () => {
  for (const stopNow of live) stopNow()
})

export async function createThrowawayCluster(options: { maxConnections?: number } = {}): Promise<ThrowawayCluster> {
  const bin = await binaries()
  const user = await serverUser()
  const dir = await mkdtemp(join(tmpdir(), 'parley-pg-'))
  if (user) await chown(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const port = await freePort()
  const as = user ? { uid: user.uid, gid: user.gid } : {}
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, ...args], { ...as, cwd: dir })
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${options.maxConnections ?? 20}`,
    '-c superuser_reserved_connections=0',
    '-c fsync=off',
  ].join(' ')

  const stopNow = () => {
    try {
      execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { ...as, stdio: 'ignore' })
    } catch {
      // Not running.
    }
    rmSync(dir, { recursive: true, force: true })
  }
  live.add(stopNow)
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...as, cwd: dir })
  } catch (error) {
    live.delete(stopNow)
    await rm(dir, { recursive: true, force: true })
    throw error
  }

  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pgCtl('-o', settings, '-l', join(dir, 'server.log'), '-w', 'start')
    },
    async stop() {
      await pgCtl('-m', 'fast', '-w', 'stop')
    },
    async remove() {
      live.delete(stopNow)
      stopNow()
    },
  }
}
