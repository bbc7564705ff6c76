import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STATIC_DIR, builtStaticFiles } from '../src/cli/write-static.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)))
}

describe('the built files the Worker serves from src/static', () => {
  it('are what the sources build: run `npm run static:write` after changing a route, the widget or the dashboard\'s script or style', async () => {
    const built = await builtStaticFiles()
    expect(Object.keys(built).sort()).toEqual(['/admin/admin.css', '/admin/admin.js', '/openapi.json', '/widget.js'])
    for (const [path, text] of Object.entries(built)) expect({ path, text: await readFile(join(STATIC_DIR, path), 'utf8') }).toEqual({ path, text })
  })

  it('are what Node serves: the document, the dashboard\'s files, and the widget with no Turnstile key to fill in', async () => {
    expect(await (await t.request('/openapi.json')).json()).toEqual(JSON.parse(await readFile(join(STATIC_DIR, 'openapi.json'), 'utf8')))
    for (const path of ['/admin/admin.css', '/admin/admin.js', '/widget.js']) {
      const res = await t.request(path)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(await readFile(join(STATIC_DIR, path), 'utf8'))
    }
  })

  it('describe the API with references only to components the document defines', async () => {
    const doc: { components: { schemas: Record<string, unknown>; responses: Record<string, unknown> } } = await (await t.request('/openapi.json')).json()
    const refs = [...new Set(refsIn(doc))]
    expect(refs).toContain('#/components/schemas/Problem')
    const defined = [
      ...Object.keys(doc.components.schemas).map((id) => `#/components/schemas/${id}`),
      ...Object.keys(doc.components.responses).map((id) => `#/components/responses/${id}`),
    ]
    for (const ref of refs) expect(defined).toContain(ref)
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']) })
  })
})
