import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { PREBUILT_OPENAPI } from '../src/cli/write-openapi.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

describe('the OpenAPI document', () => {
  it('is the one the Worker serves prebuilt: run `npm run openapi:write` after changing a route', async () => {
    const res = await t.request('/openapi.json')
    expect(res.status).toBe(200)
    const prebuilt: unknown = JSON.parse(await readFile(PREBUILT_OPENAPI, 'utf8'))
    expect(await res.json()).toEqual(prebuilt)
  })
})
