import { parseArgs } from 'node:util'
import { createModerator } from '../auth/moderator-store.js'
import { AppError } from '../errors.js'
import { nativeArgon2 } from '../runtime/argon2-native.js'
import { openCliDatabase } from './open-cli-database.js'
import { readPassword } from './read-password.js'

// npm run moderator:create -- --email ann@news.example --name Ann --role admin
// The password comes from PARLEY_PASSWORD (for scripts) or a prompt; it never appears in argv.
const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'moderator' } },
})
const role = values.role
if (!values.email || !values.name || (role !== 'admin' && role !== 'moderator')) {
  console.error('usage: npm run moderator:create -- --email EMAIL --name NAME [--role admin|moderator]')
  process.exit(2)
}
const password = process.env.PARLEY_PASSWORD ?? (await readPassword('Password (8-128 characters): '))
const database = await openCliDatabase()
try {
  const row = await createModerator(database.db, nativeArgon2, { email: values.email, name: values.name, role, password }, new Date())
  console.log(`Created ${row.role} #${row.id} ${row.email}.`)
} catch (error) {
  const message = error instanceof AppError ? (error.errors ?? []).map((e) => e.message).join(' ') || error.detail : String(error)
  console.error(`Not created: ${message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
