import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { STATIC_DIR } from '../src/cli/build-static.js'
import type { ClientFilePath } from '../src/http/client-files.js'
import { nodeAppOptions } from '../src/runtime/node-app-options.js'
import { buildWidget } from '../src/widget/build-widget.js'
import { SETTINGS_PLACEHOLDERS } from '../src/widget/widget-settings.js'
import { avatarColors } from '../src/widget/avatar-palette.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

const onDisk = (path: string) => readFile(join(STATIC_DIR, path), 'utf8')

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)))
}

describe('the files Node serves from src/static', () => {
  it("are the dashboard's script and stylesheet byte for byte, with their types and no-cache", async () => {
    for (const [path, type] of [
      ['/admin/admin.js', 'text/javascript; charset=utf-8'],
      ['/admin/admin.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await t.request(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(type)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
      expect(await res.text()).toBe(await onDisk(path))
    }
  })

  it('include the widget as built from src/widget/client, with no settings to fill in (no Turnstile, no mail)', async () => {
    const built = await buildWidget()
    for (const placeholder of Object.values(SETTINGS_PLACEHOLDERS)) expect(built.split(placeholder)).toHaveLength(2)
    expect(await onDisk('/widget.js')).toBe(built)
    expect(await (await t.request('/widget.js')).text()).toBe(built)
  })
})

describe('the ETags of the served files', () => {
  // Node reads each file once per process: an app over files held here stands for a new release.
  const release = async (files: Partial<Record<ClientFilePath, string>>) => {
    const app = createApp(undefined, {
      openApiDocument: nodeAppOptions.openApiDocument,
      docsBody: nodeAppOptions.docsBody,
      clientFiles: {
        text: async (path) => {
          const text = files[path]
          if (text === undefined) throw new Error(`${path} is not in this release`)
          return text
        },
      },
    })
    return async (path: ClientFilePath, etag?: string) =>
      app.request(`http://parley.test${path}`, etag ? { headers: { 'If-None-Match': etag } } : {}, { deps: t.deps })
  }
  const sources = async (): Promise<Record<ClientFilePath, string>> => ({
    '/widget.js': await onDisk('/widget.js'),
    '/admin/admin.js': await onDisk('/admin/admin.js'),
    '/admin/admin.css': await onDisk('/admin/admin.css'),
  })

  it("stay the same for the same bytes, so that a browser's copy is answered 304 after a restart", async () => {
    const [first, again] = [await release(await sources()), await release(await sources())]
    for (const path of ['/widget.js', '/admin/admin.js', '/admin/admin.css'] as const) {
      const etag = (await first(path)).headers.get('etag') ?? ''
      expect((await t.request(path)).headers.get('etag'), path).toBe(etag)
      const revalidated = await again(path, etag)
      expect(revalidated.status, path).toBe(304)
      expect(await revalidated.text()).toBe('')
    }
  })

  it("change when the bytes change, so that the new file replaces a browser's copy", async () => {
    const before = await release(await sources())
    const files = await sources()
    const changed = await release({
      '/widget.js': files['/widget.js'].replace('Leave a Reply', 'Leave a Comment'),
      '/admin/admin.js': `${files['/admin/admin.js']}\n// changed\n`,
      '/admin/admin.css': `${files['/admin/admin.css']}\n.changed{}\n`,
    })
    for (const path of ['/widget.js', '/admin/admin.js', '/admin/admin.css'] as const) {
      const old = (await before(path)).headers.get('etag') ?? ''
      const res = await changed(path, old)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('etag'), path).not.toBe(old)
      expect(await res.text(), path).not.toBe(files[path])
    }
  })
})

describe('the OpenAPI document', () => {
  it('as written for the Worker (`npm run build:static`) is the one Node serves', async () => {
    expect(await (await t.request('/openapi.json')).json()).toEqual(JSON.parse(await onDisk('/openapi.json')))
  })

  it('describes the API with references only to components it defines', async () => {
    const doc: { components: { schemas: Record<string, unknown>; responses: Record<string, unknown> } } = await (
      await t.request('/openapi.json')
    ).json()
    const refs = [...new Set(refsIn(doc))]
    expect(refs).toContain('#/components/schemas/Problem')
    const defined = [
      ...Object.keys(doc.components.schemas).map((id) => `#/components/schemas/${id}`),
      ...Object.keys(doc.components.responses).map((id) => `#/components/responses/${id}`),
    ]
    for (const ref of refs) expect(defined).toContain(ref)
    expect(doc.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']),
    })
  })
})

describe("the dashboard's avatar colours", () => {
  it("are the widget's palette, in its order", async () => {
    const css = await readFile(new URL('../src/static/admin/admin.css', import.meta.url), 'utf8')
    const shown = [...css.matchAll(/\.av(\d) \{\n {2}background: (#[0-9a-f]{6});/g)].map((m) => [Number(m[1]), m[2]])
    expect(shown).toEqual(avatarColors.map((color, i) => [i, color]))
  })
})
