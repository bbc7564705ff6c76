import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { moderators } from '../src/db/schema.js'
import { openPglite } from '../src/db/pglite.js'
import { nativeArgon2 } from '../src/runtime/argon2-native.js'
import { migratedDataDir, openTestDatabase, postgresUrl } from './support/test-database.js'

// On PostgreSQL the CLI uses a database of this file's own; on PGlite, its data directory, which
// starts from the migrated dump (the CLI's first run would otherwise create and migrate it).
const database = postgresUrl ? await openTestDatabase() : null
const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'))
if (!database) await migratedDataDir(dataDir)
afterAll(async () => {
  await database?.close()
  await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
})

function run(args: string[], password: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_PASSWORD: password, PARLEY_DATA_DIR: dataDir }
  if (database?.url) env.DATABASE_URL = database.url
  else delete env.DATABASE_URL
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/moderator-create.ts', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })))
}

describe('npm run moderator:create', () => {
  it('creates an account whose argon2id hash verifies, and refuses a short password', async () => {
    const created = await run(['--email', 'Editor@News.example', '--name', 'Editor', '--role', 'admin'], 'a long enough password')
    expect(created.output).toContain('Created admin #1 editor@news.example.')
    expect(created.code).toBe(0)
    const refused = await run(['--email', 'short@news.example', '--name', 'Short'], 'short')
    expect(refused.code).toBe(1)
    expect(refused.output).toContain('A password has 8 to 128 characters.')

    const reader = database ?? (await openPglite(`${dataDir}/pgdata`))
    try {
      const [row] = await reader.db.select().from(moderators).where(eq(moderators.email, 'editor@news.example'))
      expect(row?.role).toBe('admin')
      expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
      expect(await nativeArgon2.verify(row?.passwordHash ?? '', 'a long enough password')).toBe(true)
      expect(await reader.db.select().from(moderators).where(eq(moderators.email, 'short@news.example'))).toEqual([])
    } finally {
      if (reader !== database) await reader.close()
    }
  }, 60_000)
})
