import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, request } from 'node:http'
import { setupTestApp } from './support/test-app.js'
import { serveTestApp } from './support/http-server.js'
import { openSettings, postComment } from './support/seed.js'

// PGlite answers every query within microtasks, and libuv accepts one new connection per turn of
// the event loop: without the start gate a turn runs every ready request to completion, so a
// reader on a new connection waits one whole round of the busy readers per connection ahead of
// it. Measured in requests the busy readers completed meanwhile (a count, not a time): the gate
// bounds it by about one request per connection ahead plus one per request queued.
// Embedded run only (vitest.config.ts): on PostgreSQL the loop turns while queries run.
// setupTestApp gives PGlite apps the Node entry's gate (deps.startGate).
const t = await setupTestApp()
const server = await serveTestApp(t)
afterAll(() => server.close())

const BUSY = 16
const NEWCOMERS = 16
const path = '/api/v1/articles/crowded/comments?limit=100'

beforeAll(async () => {
  await t.setSettings(openSettings)
  for (let i = 0; i < 100; i++)
    await postComment(t, 'crowded', { body: `A reply worth reading, number ${i}, with a little more text to render.` })
})

function get(agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port: server.port, path }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the start gate (Node on PGlite)', () => {
  it('accepts new connections while busy keep-alive readers keep the engine going', async () => {
    let completed = 0
    let running = true
    const agents = Array.from({ length: BUSY }, () => new Agent({ keepAlive: true, maxSockets: 1 }))
    const busy = agents.map(async (agent) => {
      while (running) {
        expect(await get(agent)).toBe(200)
        completed++
      }
    })
    // Every busy reader connected and under way.
    while (completed < BUSY * 3) await new Promise((resolve) => setTimeout(resolve, 10))
    const start = completed
    const waits = await Promise.all(
      Array.from({ length: NEWCOMERS }, async () => {
        expect(await get(false)).toBe(200)
        return completed - start
      }),
    )
    running = false
    await Promise.all(busy)
    for (const agent of agents) agent.destroy()
    // Without the gate the last newcomer waited ~NEWCOMERS rounds of BUSY requests (151 where this was written; 17..32 with it).
    expect(Math.max(...waits)).toBeLessThan(2 * (BUSY + NEWCOMERS))
  })
})
