import { chmod, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Makes `dir` (the embedded database and its generated secret) readable by this user alone: the
 * directory 0700, everything already in it 0600 (directories 0700), and the process's umask 077 so
 * that new directories are born private. PGlite's WebAssembly file system sets its files' modes
 * itself (0666 whatever the umask), so the directories are what protect them. Before this they
 * were 0755: any local user could read the moderators' password hashes and the commenters' IPs.
 *
 * @example
 * await makePrivateDirectory('./.parley')
 */
export async function makePrivateDirectory(dir: string): Promise<void> {
  process.umask(0o077)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await tighten(dir)
}

async function tighten(dir: string): Promise<void> {
  await chmod(dir, 0o700)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await tighten(path)
    else if (entry.isFile()) await chmod(path, 0o600)
  }
}
