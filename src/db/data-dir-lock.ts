import { readFileSync, unlinkSync } from 'node:fs'
import { link, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Who holds the embedded data directory: the server for its whole life, a command while it runs. */
export type LockHolder = 'server' | 'command'

/** Another live process holds the data directory: opening PGlite there too would lose one side's writes. */
export class DataDirLocked extends Error {
  constructor(
    readonly pid: number,
    readonly holder: LockHolder,
  ) {
    super(
      holder === 'server'
        ? `the server is running on this data directory (pid ${pid}): stop it first, or use DATABASE_URL`
        : `another Parley command is using this data directory (pid ${pid}): wait for it to finish, or use DATABASE_URL`,
    )
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still this process's; safe to call twice. */
  release(): void
}

const LOCK_FILE = 'parley.lock'

/**
 * Takes `dir/parley.lock` for this process, or throws DataDirLocked. PGlite is a whole PostgreSQL
 * in one process with no shared memory: two processes on one data directory each keep their own
 * view and the last to write its files wins, so a command run beside the server reported success
 * and its change was gone. The file holds the pid and appears whole (written aside, then linked:
 * `link` fails with EEXIST as O_EXCL does, and no reader sees it half-written). A lock whose pid is
 * dead, or is this very process (a container restarted with the same pid), is stale and taken over.
 * The lock goes when the process exits; one killed outright leaves a stale file, taken over likewise.
 *
 * @example
 * const lock = await lockDataDir('./.parley', 'command')
 * try { ... } finally { lock.release() }
 */
export async function lockDataDir(dir: string, holder: LockHolder): Promise<DataDirLock> {
  const file = join(dir, LOCK_FILE)
  const content = `${JSON.stringify({ pid: process.pid, holder })}\n`
  const aside = join(dir, `${LOCK_FILE}.${process.pid}`)
  await writeFile(aside, content, { mode: 0o600 })
  try {
    // Twice at most: a stale lock removed, then ours; a third EEXIST means someone else just took it.
    for (let attempt = 0; ; attempt++) {
      try {
        await link(aside, file)
        break
      } catch (error) {
        if (!isCode(error, 'EEXIST') || attempt >= 2) throw error
      }
      const other = await readHolder(file)
      if (other && other.pid !== process.pid && isAlive(other.pid)) throw new DataDirLocked(other.pid, other.holder)
      await unlink(file).catch((error: unknown) => {
        if (!isCode(error, 'ENOENT')) throw error
      })
    }
  } finally {
    await unlink(aside).catch(() => {})
  }
  let held = true
  const release = () => {
    if (!held) return
    held = false
    process.off('exit', release)
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file)
    } catch {
      // Already gone: nothing to release.
    }
  }
  process.on('exit', release)
  return { release }
}

async function readHolder(file: string): Promise<{ pid: number; holder: LockHolder } | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null
    throw error
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null) return null
    const { pid, holder } = parsed as { pid?: unknown; holder?: unknown }
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null
    return { pid, holder: holder === 'command' ? 'command' : 'server' }
  } catch {
    return null // not a lock this code wrote: stale
  }
}

/** Signal 0 checks that the process exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return isCode(error, 'EPERM')
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code
}
