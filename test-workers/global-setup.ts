import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { migratePostgres } from '../src/db/migrate-postgres.js'
import { writeStaticFiles } from '../src/cli/build-static.js'
import type { ReceivedMail } from './support/mail-api.js'

/** The stand-in for Resend's API (test-workers/support/mail-api.ts says how it answers). */
async function startMailApi(): Promise<{ url: string; close(): Promise<void> }> {
  const received: ReceivedMail[] = []
  const answer = (req: IncomingMessage, res: ServerResponse, body: string) => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(received))
      return
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value
    received.push({ path: req.url ?? '', headers, body })
    if (req.url === '/silent') return
    const status = /^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1]
    if (status) {
      const to = (JSON.parse(body) as { to?: string[] }).to?.[0] ?? ''
      const name = status === '422' ? 'validation_error' : 'internal_server_error'
      res.writeHead(Number(status), { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ statusCode: Number(status), name, message: `Invalid \`to\` field: ${to}` }))
      return
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}')
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * In Node, before workerd starts: the static assets as wrangler.toml's [build] makes them (the pool
 * does not run it), the suite's own database, made from the committed migrations, and a stand-in
 * for the email API on loopback; dropped and closed after.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await writeStaticFiles({ openApi: true })
  const url = process.env.PARLEY_WORKERS_DATABASE_URL
  if (!url) throw new Error('vitest.workers.config.ts names the database')
  const name = new URL(url).pathname.slice(1)
  const server = new URL(url)
  server.pathname = '/postgres'
  const admin = postgres(server.href, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists "${name}" with (force)`)
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  await migratePostgres(url)
  const mailApi = await startMailApi()
  project.provide('mailApiUrl', mailApi.url)
  return async () => {
    await mailApi.close()
    const cleanup = postgres(server.href, { max: 1, onnotice: () => {} })
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`)
    await cleanup.end()
  }
}
