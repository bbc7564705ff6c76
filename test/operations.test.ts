import { describe, expect, it } from 'vitest'
import { ORIGIN, setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

describe('operations', () => {
  it('reports health and readiness', async () => {
    expect(await (await t.request('/healthz')).json()).toEqual({ status: 'ok' })
    expect(await (await t.request('/readyz')).json()).toEqual({ status: 'ready' })
  })

  it('publishes an OpenAPI 3.1 document of the public routes, from the validating schemas', async () => {
    const doc = await (await t.request('/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/admin/export',
      '/api/v1/admin/import',
      '/api/v1/admin/moderators',
      '/api/v1/admin/moderators/{id}',
      '/api/v1/admin/privacy/erase',
      '/api/v1/admin/privacy/export',
      '/api/v1/admin/settings',
      '/api/v1/admin/webhooks',
      '/api/v1/admin/webhooks/{id}',
      '/api/v1/articles/{key}/comments',
      '/api/v1/articles/{key}/comments.html',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/comments/{id}',
      '/api/v1/comments/{id}/reports',
      '/api/v1/comments/{id}/vote',
      '/api/v1/counts',
      '/api/v1/identity',
      '/api/v1/moderation/articles',
      '/api/v1/moderation/articles/{key}',
      '/api/v1/moderation/articles/{key}/move',
      '/api/v1/moderation/commenter-notes/{id}',
      '/api/v1/moderation/commenter-rules',
      '/api/v1/moderation/commenter-rules/{id}',
      '/api/v1/moderation/comments',
      '/api/v1/moderation/comments/bulk',
      '/api/v1/moderation/comments/undo',
      '/api/v1/moderation/comments/{id}',
      '/api/v1/moderation/comments/{id}/commenter',
      '/api/v1/moderation/comments/{id}/commenter/notes',
      '/api/v1/moderation/comments/{id}/replies',
      '/api/v1/moderation/comments/{id}/reports/dismiss',
      '/api/v1/moderation/log',
      '/api/v1/moderation/notifications',
      '/comment-form',
      '/docs',
      '/healthz',
      '/mail/act',
      '/mail/confirm',
      '/mail/unsubscribe',
      '/openapi.json',
      '/readyz',
    ])
    expect(Object.keys(doc.paths['/api/v1/comments/{id}']).sort()).toEqual(['delete', 'get', 'patch'])
    const limit = doc.paths['/api/v1/articles/{key}/comments'].get.parameters.find((p: { name: string }) => p.name === 'limit')
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 100, default: 20 })
  })

  it('renders the docs as a page under a strict CSP', async () => {
    const res = await t.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'nonce-[^']+'/)
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    const html = await res.text()
    expect(html).toContain('<code>POST /api/v1/articles/{key}/comments</code>')
    expect(html).not.toContain('<script')
    // Descriptions are Markdown: rendered, not shown with their backticks.
    const text = html.replace(/<pre>[\s\S]*?<\/pre>/g, '')
    expect(text).not.toMatch(/`/)
    expect(text).toContain('<code>')
    // Every reference to a named schema leads to it on the page.
    const targets = new Set([...html.matchAll(/id="(schema-[^"]+)"/g)].map((m) => m[1]))
    const links = [...html.matchAll(/href="#(schema-[^"]+)"/g)].map((m) => m[1])
    expect(links.length).toBeGreaterThan(10)
    expect(links.filter((link) => !targets.has(link))).toEqual([])
    expect(html).not.toMatch(/"\$ref": "#\/components\/schemas\/[^<]/)
  })
})

describe('CORS', () => {
  it("lets allowed origins and Parley's own read and post, and no one else", async () => {
    await t.setSettings({ allowedOrigins: ['https://news.example'] })
    for (const origin of ['https://news.example', ORIGIN]) {
      const preflight = await t.request('/api/v1/articles/a/comments', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    }
    // Moderators' tools on an allowed origin register and close articles with PUT.
    const put = await t.request('/api/v1/moderation/articles/a', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://news.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    })
    expect(put.status).toBe(204)
    expect(put.headers.get('access-control-allow-methods')?.split(',')).toContain('PUT')
    const foreign = await t.request('/api/v1/articles/a/comments', { headers: { Origin: 'https://evil.example' } })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const read = await t.request('/api/v1/articles/a/comments', { headers: { Origin: 'https://news.example' } })
    expect(read.headers.get('access-control-allow-origin')).toBe('https://news.example')
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag')
    expect(read.headers.get('vary')).toContain('Origin')
  })
})

describe('client IP', () => {
  it('uses the socket address, and a proxy header only when TRUST_PROXY names it', async () => {
    await t.setSettings({ moderationKeys: ['198.51.100.77'], previouslyApproved: false, floodSeconds: 0 })
    const post = (headers: Record<string, string>, body: string) =>
      t.postJson('/api/v1/articles/ip/comments', { name: 'Ann', email: 'ann@example.com', body }, headers)
    // Untrusted header: ignored, so the key (matching only the forged address) does not hold it.
    expect((await (await post({ 'X-Forwarded-For': '198.51.100.77' }, 'one')).json()).comment.status).toBe('approved')
    t.deps.config.trustProxy = 'x-forwarded-for'
    try {
      expect((await (await post({ 'X-Forwarded-For': '10.0.0.1, 198.51.100.77' }, 'two')).json()).comment.status).toBe('pending')
      expect((await (await post({ 'X-Forwarded-For': '198.51.100.77, 10.0.0.1' }, 'three')).json()).comment.status).toBe('approved')
    } finally {
      t.deps.config.trustProxy = null
    }
  })
})
