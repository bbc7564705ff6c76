import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { routeDocs } from '../../src/route-docs.js'
import { problemCodes, type ErrorCode } from '../../src/errors.js'
import { generatedOpenApi } from '../../src/openapi/openapi-document.js'

// ajv-formats is CommonJS: its function is the default export's default under Node's ESM.
const addFormats = addFormatsModule as unknown as { default: typeof addFormatsModule }

interface Header {
  required?: boolean
  schema?: { type?: string }
}
interface DocResponse {
  $ref?: string
  headers?: Record<string, Header>
  content?: Record<string, unknown>
}
interface Operation {
  responses: Record<string, DocResponse>
}
type PathItem = Record<string, Operation>

/** Headers whose presence the document must announce wherever a response carries them. */
const WATCHED = [
  'etag',
  'location',
  'retry-after',
  'set-cookie',
  'content-disposition',
  'cache-control',
  'allow',
  'www-authenticate',
  'content-encoding',
]
const DOC_ID = 'https://parley.test/openapi.json'
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
const mediaOf = (type: string | null) => (type ?? '').split(';')[0]?.trim().toLowerCase() ?? ''

// Compiled once per worker: vitest's `isolate: false` keeps this module for all of a worker's files.
let compiled: ReturnType<typeof load> | undefined

async function load() {
  const doc = (await generatedOpenApi(routeDocs)) as unknown as {
    paths: Record<string, PathItem>
    components: { responses: Record<string, DocResponse> }
  }
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: false })
  addFormats.default(ajv)
  ajv.addSchema(doc as object, DOC_ID)
  // More specific templates first: /comments/bulk before /comments/{id}.
  const templates = Object.keys(doc.paths)
    .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`) }))
    .sort((a, b) => (a.path.match(/\{/g) ?? []).length - (b.path.match(/\{/g) ?? []).length)
  const validators = new Map<string, ValidateFunction>()
  const validator = (at: string) => {
    let validate = validators.get(at)
    if (!validate) validators.set(at, (validate = ajv.compile({ $ref: `${DOC_ID}#${at}` })))
    return validate
  }
  return { doc, templates, validator }
}

/**
 * Checks every response a test file's requests see against the OpenAPI document, as a client
 * written from it would read them: a status, content type or header the document does not
 * announce for that operation, or a body that does not match its schema, is a finding. The
 * document is compiled once per worker, each schema on its first use.
 */
export function contractChecker() {
  const findings: string[] = []
  const pending: Promise<void>[] = []
  async function check(method: string, url: string, res: Response, body: string): Promise<string | undefined> {
    const { doc, templates, validator } = await (compiled ??= load())
    const path = new URL(url).pathname
    const status = String(res.status)
    const type = mediaOf(res.headers.get('content-type'))
    const problem = () => {
      if (type !== 'application/problem+json') return `${status} is not a problem (${type || 'no content type'})`
      const validate = validator(pointer('', 'components', 'schemas', 'Problem'))
      const parsed: unknown = JSON.parse(body)
      if (!validate(parsed)) return `problem body: ${ajvErrors(validate)}`
      const { code, status: said } = parsed as { code: ErrorCode; status: number }
      if (said !== res.status || problemCodes[code] !== res.status) return `problem ${code} with status ${said}, answered ${status}`
      return undefined
    }
    // CORS preflights are the browser's, answered by the API as a whole (the document's introduction).
    if (method === 'OPTIONS' && path.startsWith('/api/')) return undefined
    const template = templates.find(({ pattern }) => pattern.test(path))
    // Outside the document: pages and static files, whose problems (a 404) must still be problems;
    // an API path it does not list may only be refused.
    if (!template) return type === 'application/problem+json' || path.startsWith('/api/') ? problem() : undefined
    const item = doc.paths[template.path] ?? {}
    const operation = item[method === 'HEAD' ? 'get' : method.toLowerCase()]
    if (!operation) {
      if (status !== '405') return `${method} is not documented for ${template.path}, yet answered ${status}`
      return res.headers.get('allow') ? problem() : '405 without Allow'
    }
    let documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`]
    if (!documented) return `status ${status} is not documented for ${method} ${template.path}`
    let at = pointer('', 'paths', template.path, method === 'HEAD' ? 'get' : method.toLowerCase(), 'responses', status)
    if (documented.$ref) {
      const name = documented.$ref.replace('#/components/responses/', '')
      documented = doc.components.responses[name] ?? {}
      at = pointer('', 'components', 'responses', name)
    }
    const headers = Object.fromEntries(Object.entries(documented.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header]))
    for (const [name, header] of Object.entries(headers)) {
      const value = res.headers.get(name)
      if (value === null && header.required) return `${status} without its ${name} header`
      if (value !== null && header.schema?.type === 'integer' && !/^\d+$/.test(value)) return `${name}: ${value} is not an integer`
    }
    for (const name of WATCHED)
      if (res.headers.has(name) && !headers[name]) return `${status} carries ${name}, which the document does not announce`
    if (!documented.content)
      return body === '' || method === 'HEAD' ? undefined : `${status} has a body (${type}) where the document announces none`
    if (!(type in documented.content))
      return `${status} answered ${type || 'no content type'}, documented: ${Object.keys(documented.content).join(', ')}`
    if (method === 'HEAD') return undefined
    if (type === 'application/problem+json') return problem()
    const validate = validator(`${at}/${pointer('content', type, 'schema')}`)
    let value: unknown = body
    if (/json$/.test(type)) {
      try {
        value = JSON.parse(body)
      } catch {
        return `${status} ${type} body is not JSON`
      }
    }
    return validate(value) ? undefined : ajvErrors(validate)
  }

  return {
    /** Checks one response (a clone of it, read alongside the test). */
    record(method: string, url: string, res: Response): void {
      const seen = res.clone()
      pending.push(
        seen
          .arrayBuffer()
          .then((bytes) => decodedText(Buffer.from(bytes), seen.headers.get('content-encoding')))
          .then(
            async (body) => {
              const finding = await check(method.toUpperCase(), url, seen, body)
              if (finding) findings.push(`${method.toUpperCase()} ${new URL(url).pathname} → ${res.status}: ${finding}`)
            },
            (error: unknown) => {
              findings.push(`${method.toUpperCase()} ${new URL(url).pathname} → ${res.status}: body unreadable (${String(error)})`)
            },
          ),
      )
    },
    /** Every finding of the file so far; fails the file when there are any. */
    async verify(): Promise<void> {
      await Promise.all(pending)
      if (findings.length === 0) return
      const shown = [...new Set(findings)]
      throw new Error(`${shown.length} response(s) not as /openapi.json documents them:\n${shown.slice(0, 30).join('\n')}`)
    },
  }
}

export type ContractChecker = ReturnType<typeof contractChecker>

function ajvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 3)
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    )
    .join('; ')
}

/** A body as its client reads it: decompressed per its Content-Encoding (app.request leaves it as sent). */
export function decodedText(bytes: Buffer, coding: string | null): string {
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8')
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8')
  if (coding !== null) throw new Error(`unexpected Content-Encoding ${coding}`)
  return bytes.toString('utf8')
}
