import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fieldCodes, problemCodes } from '../src/errors.js'
import { setupTestApp } from './support/test-app.js'

const t = await setupTestApp()

interface Schema {
  $ref?: string
  type?: string
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: unknown
  enum?: string[]
  anyOf?: Schema[]
  [key: string]: unknown
}
interface Header {
  required?: boolean
  description?: string
  schema: Schema
}
interface Response {
  $ref?: string
  description?: string
  headers?: Record<string, Header>
  content?: Record<string, { schema: Schema }>
}
interface Operation {
  operationId?: string
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  responses: Record<string, Response>
}
interface Document {
  info: { description?: string }
  paths: Record<string, Record<string, Operation>>
  components: {
    schemas: Record<string, Schema>
    responses: Record<string, Response>
    securitySchemes: Record<string, Record<string, string>>
  }
}

const doc = (await (await t.request('/openapi.json')).json()) as Document
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method, path, op, name: `${method.toUpperCase()} ${path}` })),
)
const operation = (method: string, path: string): Operation => {
  const op = doc.paths[path]?.[method]
  if (!op) throw new Error(`no ${method} ${path}`)
  return op
}
const response = (method: string, path: string, status: number): Response => {
  const found = operation(method, path).responses[status]
  const named = found?.$ref ? doc.components.responses[found.$ref.replace('#/components/responses/', '')] : found
  if (!named) throw new Error(`${method} ${path} documents no ${status}`)
  return named
}
const schema = (s: Schema): Schema => (s.$ref ? (doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s)

describe('the OpenAPI document', () => {
  // The contract changes only on purpose: a change to a route, a schema or a guard that alters the
  // document fails here until the reference is updated with it (`npx vitest run -u`) and reviewed.
  it('is the reviewed reference, byte for byte', async () => {
    // Without the reference, toMatchFileSnapshot would write one and pass.
    expect(existsSync(new URL('fixtures/openapi.json', import.meta.url)), 'test/fixtures/openapi.json is missing').toBe(true)
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot('fixtures/openapi.json')
  })

  it('describes who may call what as security schemes, never as an Authorization parameter', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      moderatorToken: { type: 'http', scheme: 'bearer' },
      moderatorSession: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
      commentToken: { type: 'http', scheme: 'bearer' },
    })
    for (const { op, name } of operations) {
      expect(op.security, name).toBeDefined()
      expect(
        (op.parameters ?? []).filter((p) => p.in === 'header' && p.name.toLowerCase() === 'authorization'),
        name,
      ).toEqual([])
    }
    expect(operation('get', '/api/v1/moderation/comments').security).toEqual([
      { moderatorToken: ['moderator'] },
      { moderatorSession: ['moderator'] },
    ])
    expect(operation('patch', '/api/v1/admin/settings').security).toEqual([{ moderatorToken: ['admin'] }, { moderatorSession: ['admin'] }])
    expect(operation('get', '/api/v1/auth/me').security).toEqual([{ moderatorToken: ['moderator'] }, { moderatorSession: ['moderator'] }])
    expect(operation('patch', '/api/v1/comments/{id}').security).toEqual([{ commentToken: [] }])
    expect(operation('get', '/api/v1/comments/{id}').security).toEqual([{}, { commentToken: [] }])
    expect(operation('post', '/api/v1/articles/{key}/comments').security).toEqual([])
  })

  it('names every operation, each differently', () => {
    const ids = operations.map(({ op }) => op.operationId)
    for (const [i, id] of ids.entries()) expect(id, operations[i]?.name).toMatch(/^[a-z][A-Za-z]+$/)
    expect(new Set(ids).size).toBe(ids.length)
    expect(operation('post', '/api/v1/articles/{key}/comments').operationId).toBe('submitComment')
  })

  it('keeps a request schema as it is read: a submission ignores unknown fields and requires its body', () => {
    const submission = schema(operation('post', '/api/v1/articles/{key}/comments').requestBody?.content['application/json']?.schema ?? {})
    expect(submission.additionalProperties).toBeUndefined()
    expect(submission.required).toEqual(['body'])
    // A refused unknown key stays refused where the route refuses it.
    expect(
      schema(operation('patch', '/api/v1/admin/settings').requestBody?.content['application/json']?.schema ?? {}).additionalProperties,
    ).toBe(false)
  })

  it("lets the settings answer carry the filter's secret once, and types the JSON export as the export it is", () => {
    const filterOf = (status: Response) =>
      schema(status.content?.['application/json']?.schema ?? {}).properties?.filterWebhook?.anyOf?.find((s) => s.type === 'object')
    expect(filterOf(response('patch', '/api/v1/admin/settings', 200))?.properties).toHaveProperty('secret')
    expect(filterOf(response('get', '/api/v1/admin/settings', 200))?.properties).not.toHaveProperty('secret')
    const exported = response('get', '/api/v1/admin/export', 200)
    expect(schema(exported.content?.['application/json']?.schema ?? {})).toMatchObject({
      type: 'object',
      required: ['parley', 'articles', 'comments'],
    })
    expect(exported.headers?.['Content-Disposition']?.required).toBe(true)
  })

  it('lists every status a route can answer: the body guards, the database, the form, login', () => {
    for (const { method, path, op, name } of operations) {
      const statuses = Object.keys(op.responses).map(Number)
      if (path.startsWith('/api/') && ['post', 'put', 'patch'].includes(method) && path !== '/api/v1/admin/import') {
        expect(statuses, name).toEqual(expect.arrayContaining([400, 413, 415]))
      }
      expect(statuses, name).toContain(500)
      if (!['/healthz', '/openapi.json', '/docs'].includes(path)) {
        expect(statuses, name).toContain(503)
        expect(response(method, path, 503).headers?.['Retry-After']).toMatchObject({ required: true, schema: { type: 'integer' } })
      }
      for (const status of statuses.filter((s) => s === 429))
        expect(response(method, path, status).headers?.['Retry-After']?.required, name).toBe(true)
    }
    expect(Object.keys(operation('post', '/api/v1/auth/login').responses)).toEqual(expect.arrayContaining(['401', '422', '429']))
    expect(Object.keys(operation('post', '/comment-form').responses)).toEqual(
      expect.arrayContaining(['201', '303', '400', '403', '404', '409', '413', '415', '422', '429', '503']),
    )
    expect(response('post', '/comment-form', 400).content).toHaveProperty('text/html')
    expect(response('post', '/comment-form', 429).headers?.['Retry-After']?.required).toBe(true)
  })

  it('documents the headers clients rely on', () => {
    expect(operation('get', '/api/v1/articles/{key}/comments').parameters).toContainEqual(
      expect.objectContaining({ name: 'If-None-Match', in: 'header' }),
    )
    for (const status of [200, 304]) {
      const cached = ['ETag', 'Cache-Control', 'Vary', 'Content-Encoding']
      expect(Object.keys(response('get', '/api/v1/articles/{key}/comments', status).headers ?? {})).toEqual(cached)
      expect(Object.keys(response('get', '/api/v1/counts', status).headers ?? {})).toEqual(cached)
    }
    expect(response('post', '/api/v1/articles/{key}/comments', 201).headers?.Location?.required).toBe(true)
    expect(response('post', '/api/v1/auth/login', 200).headers?.['Set-Cookie']?.required).toBe(true)
    expect(response('post', '/api/v1/auth/logout', 204).headers?.['Set-Cookie']?.required).toBe(true)
    expect(response('post', '/comment-form', 303).headers?.Location?.required).toBe(true)
  })

  it("announces each 401's challenge, and tells the author's 403 from the 404 that hides a held comment", () => {
    for (const { method, path, op, name } of operations) {
      if (!op.responses[401]) continue
      expect(response(method, path, 401).headers?.['WWW-Authenticate'], name).toMatchObject({ required: true })
      // A vote's 401 is a refused identity token, as a post's: not a comment's token.
      const realm =
        path.startsWith('/api/v1/comments/') && !path.endsWith('/vote')
          ? 'parley-comment'
          : path === '/api/v1/articles/{key}/comments' || path === '/api/v1/identity' || path.endsWith('/vote')
            ? 'parley-identity'
            : 'parley'
      expect(response(method, path, 401).headers?.['WWW-Authenticate']?.description, name).toContain(`Bearer realm="${realm}"`)
    }
    for (const method of ['patch', 'delete']) {
      expect(response(method, '/api/v1/comments/{id}', 403).description).toContain('published comment')
      expect(response(method, '/api/v1/comments/{id}', 404).description).toContain('a held one this token does not open')
    }
    expect(response('post', '/api/v1/comments/{id}/reports', 403).description).toContain('origin is not allowed')
  })

  it('files every operation under one described tag, and describes each', () => {
    const tags = new Map(
      ((doc as unknown as { tags?: { name: string; description?: string }[] }).tags ?? []).map((tag) => [tag.name, tag.description]),
    )
    expect([...tags.keys()]).toEqual([
      'Comments',
      'Auth',
      'Moderation',
      'Articles',
      'Notifications',
      'Admin',
      'Webhooks',
      'Import/Export',
      'Privacy',
      'Operations',
    ])
    for (const { op, name } of operations) {
      const { tags: own, description } = op as Operation & { tags?: string[]; description?: string }
      expect(own, name).toHaveLength(1)
      expect(tags.get(own?.[0] ?? ''), name).toBeTruthy()
      expect(description?.length ?? 0, name).toBeGreaterThan(20)
    }
    expect((operation('get', '/api/v1/admin/moderators') as { tags?: string[] }).tags).toEqual(['Admin'])
    expect((operation('post', '/api/v1/admin/import') as { tags?: string[] }).tags).toEqual(['Import/Export'])
  })

  it('lists 422 only where validation can refuse something', () => {
    // A path id is read as text and answered 404 when it cannot be one: nothing there is a 422.
    for (const [method, path] of [
      ['get', '/api/v1/comments/{id}'],
      ['delete', '/api/v1/comments/{id}'],
      ['delete', '/api/v1/moderation/comments/{id}'],
      ['post', '/api/v1/moderation/comments/{id}/reports/dismiss'],
      ['delete', '/api/v1/admin/webhooks/{id}'],
      ['get', '/api/v1/admin/settings'],
    ] as const) {
      expect(Object.keys(operation(method, path).responses), `${method} ${path}`).not.toContain('422')
    }
    for (const [method, path] of [
      ['get', '/api/v1/articles/{key}/comments'],
      ['patch', '/api/v1/comments/{id}'],
      ['get', '/api/v1/moderation/log'],
      ['post', '/api/v1/admin/import'],
    ] as const) {
      expect(Object.keys(operation(method, path).responses), `${method} ${path}`).toContain('422')
    }
  })

  it("gives every integer a real range (ids from 1, counts from 0), never JavaScript's -2^53", () => {
    const integers: { at: string; schema: Schema }[] = []
    const walk = (value: unknown, at: string) => {
      if (Array.isArray(value)) value.forEach((inner, i) => walk(inner, `${at}/${i}`))
      else if (value !== null && typeof value === 'object') {
        if ((value as Schema).type === 'integer') integers.push({ at, schema: value as Schema })
        for (const [key, inner] of Object.entries(value)) walk(inner, `${at}/${key}`)
      }
    }
    walk(doc, '')
    expect(integers.length).toBeGreaterThan(50)
    for (const { at, schema: s } of integers) {
      expect(typeof s.minimum === 'number' || typeof s.exclusiveMinimum === 'number', at).toBe(true)
      expect(s.minimum, at).not.toBe(Number.MIN_SAFE_INTEGER)
    }
    expect(schema(doc.components.schemas.CommentView ?? {}).properties?.id).toMatchObject({ minimum: 1, maximum: 2147483647 })
    expect(schema(doc.components.schemas.Article ?? {}).properties?.commentCount).toMatchObject({ minimum: 0 })
    expect(operation('get', '/api/v1/articles/{key}/comments').parameters).toContainEqual(
      expect.objectContaining({ name: 'limit', schema: expect.objectContaining({ minimum: 1, maximum: 100 }) }),
    )
    expect(operation('patch', '/api/v1/admin/moderators/{id}').parameters).toContainEqual(
      expect.objectContaining({ name: 'id', schema: expect.objectContaining({ type: 'integer', minimum: 1 }) }),
    )
  })

  it('states the format of times, URLs and email addresses', () => {
    const view = doc.components.schemas.CommentView?.properties ?? {}
    expect(view.createdAt).toMatchObject({ type: 'string', format: 'date-time' })
    expect(schema(view.author ?? {}).properties?.url?.anyOf?.[0]).toMatchObject({ format: 'uri' })
    // A moderator's sign-in address may be admin@localhost (an embedded install's first admin): no format.
    expect(doc.components.schemas.Moderator?.properties?.email).not.toHaveProperty('format')
    expect(doc.components.schemas.Article?.properties?.url?.anyOf?.[0]).toMatchObject({ format: 'uri' })
    expect(doc.components.schemas.Webhook?.properties?.createdAt).toMatchObject({ format: 'date-time' })
    const submission = schema(operation('post', '/api/v1/articles/{key}/comments').requestBody?.content['application/json']?.schema ?? {})
    expect(submission.properties?.email).toMatchObject({ format: 'email' })
    expect(submission.properties?.url).toMatchObject({ format: 'uri' })
  })

  it("answers a comment read with one schema whose author's view adds optional fields, and documents both form encodings", () => {
    const read = response('get', '/api/v1/comments/{id}', 200).content?.['application/json']?.schema
    expect(read).toEqual({ $ref: '#/components/schemas/CommentView' })
    const view = doc.components.schemas.CommentView ?? {}
    expect(view.properties).toHaveProperty('status')
    expect(view.properties).toHaveProperty('editableUntil')
    expect(view.required).not.toContain('status')
    expect(view.required).not.toContain('editableUntil')
    expect(Object.keys(operation('post', '/comment-form').requestBody?.content ?? {})).toEqual([
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ])
  })

  it('enumerates the stable codes, each described, and says where 405 comes from', () => {
    const problem = doc.components.schemas.Problem?.properties ?? {}
    expect(problem.code?.enum).toEqual(Object.keys(problemCodes))
    expect(Object.keys(problem.code?.['x-enumDescriptions'] as object)).toEqual(Object.keys(problemCodes))
    const field = doc.components.schemas.FieldError?.properties ?? {}
    expect(field.code?.enum).toEqual([...fieldCodes])
    expect(String(field.code?.description)).toContain('`required`: Missing, null or empty, and required.')
    expect(doc.info.description).toContain('405 `method_not_allowed`')
  })
})

describe('the written document (src/static/openapi.json, as `npm run build:static` writes it)', () => {
  it("is lint clean under @redocly/cli's recommended rules", async () => {
    const root = fileURLToPath(new URL('..', import.meta.url))
    const cli = fileURLToPath(new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url))
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', '--extends=recommended', '--format=json', 'src/static/openapi.json'],
      {
        cwd: root,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    )
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number }
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[]
    }
    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([])
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
  })
})
