import { afterAll, describe, expect, it } from 'vitest'
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makePrivateDirectory } from '../src/db/private-directory.js'
import { openPglite } from '../src/db/pglite.js'

const root = await mkdtemp(join(tmpdir(), 'parley-private-'))
afterAll(() => rm(root, { recursive: true, force: true }))

const modes = async (dir: string) => {
  const out: Record<string, string> = {}
  for (const name of await readdir(dir, { recursive: true })) out[name] = ((await stat(join(dir, name))).mode & 0o777).toString(8)
  return out
}

describe('the embedded data directory', () => {
  it('tightens a directory left open by an earlier version: 0700, its files 0600', async () => {
    const dir = join(root, 'old')
    await mkdir(join(dir, 'pgdata', 'base'), { recursive: true, mode: 0o755 })
    await chmod(dir, 0o755)
    await writeFile(join(dir, 'secret'), 'x', { mode: 0o644 })
    await writeFile(join(dir, 'pgdata', 'base', '1234'), 'rows', { mode: 0o666 })
    await makePrivateDirectory(dir)
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700')
    expect(await modes(dir)).toEqual({ secret: '600', pgdata: '700', 'pgdata/base': '700', 'pgdata/base/1234': '600' })
  })

  it("keeps what PGlite writes there out of other users' reach: every directory on the way is 0700", async () => {
    const dir = join(root, 'fresh')
    await makePrivateDirectory(dir)
    const database = await openPglite(join(dir, 'pgdata'))
    await database.db.execute('create table t (x int)')
    await database.close()
    // PGlite's WebAssembly file system sets its files' modes itself (0666, whatever the umask): what
    // keeps them private is that no other user may enter the directories that hold them.
    const dirs: string[] = []
    for (const name of await readdir(dir, { recursive: true })) if ((await stat(join(dir, name))).isDirectory()) dirs.push(name)
    expect(dirs.length).toBeGreaterThan(10)
    const all = await modes(dir)
    expect(dirs.filter((name) => all[name] !== '700')).toEqual([])
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700')
  })
})
