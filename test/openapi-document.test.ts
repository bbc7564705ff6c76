import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { PREBUILT_OPENAPI } from '../src/cli/write-openapi.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)))
}

describe('the OpenAPI document', () => {
  it('is the one the Worker serves prebuilt: run `npm run openapi:write` after changing a route', async () => {
    const res = await t.request('/openapi.json')
    expect(res.status).toBe(200)
    const prebuilt: unknown = JSON.parse(await readFile(PREBUILT_OPENAPI, 'utf8'))
    expect(await res.json()).toEqual(prebuilt)
  })

  it('refers only to schemas it defines, and describes the problem shape once', async () => {
    const doc: { components: { schemas: Record<string, unknown> } } = await (await t.request('/openapi.json')).json()
    const refs = [...new Set(refsIn(doc))]
    expect(refs).toContain('#/components/schemas/Problem')
    for (const ref of refs) expect(Object.keys(doc.components.schemas).map((id) => `#/components/schemas/${id}`)).toContain(ref)
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']) })
  })
})
