import { operationDescriptions, operationSummaries } from './operation-descriptions.js'
import { fieldWords, problemWords } from './error-words.js'
import type { ErrorCode, FieldCode } from '../errors.js'
import * as z from 'zod/mini'
import type * as core from 'zod/v4/core'
import type { Content, HeaderDoc, ResponseConfig, RouteDoc } from './openapi-routes.js'
import { namedResponses, namedSchemas } from './schema-names.js'
import { securitySchemes } from './security-schemes.js'
import { documentIntro } from './document-intro.js'
import { operationTags } from './operation-tags.js'
import type { OpenApiDocument } from './docs-page.js'

type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string; [keyword: string]: unknown }
type Registry = core.$ZodRegistry<{ id: string }>
type Media = { type: string; id: string }[]

const SCHEMAS = '#/components/schemas/'

/** Adds a schema to a registry under `id` unless it already has a name there; answers its name. */
function register(registry: Registry, schema: core.$ZodType, id: string): string {
  const known = registry.get(schema)?.id
  if (known) return known
  registry.add(schema, { id })
  return id
}

/**
 * zod writes every `z.int()` with JavaScript's safe-integer bounds, ±(2^53 - 1): not a range of the
 * API but of the language, which read as if an id could be -2^53. Those two go; a schema's own
 * bounds (ids from 1, counts from 0, `limit` 1-100) stay.
 */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'minimum' && inner === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && inner === Number.MAX_SAFE_INTEGER)) continue
    out[key] = withoutSafeIntegerBounds(inner)
  }
  return out
}

function convert(registry: Registry, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `${SCHEMAS}${id}` })
  const components: Record<string, JsonSchema> = {}
  for (const [id, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(schemas))
    components[id] = withoutSafeIntegerBounds(schema) as JsonSchema
  return components
}

/** The names of the components a JSON value refers to. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found)
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMAS)) found.add(inner.slice(SCHEMAS.length))
      else refsIn(inner, found)
    }
  }
  return found
}

/** Every named component `roots` reach, through the components themselves. */
function reachable(roots: unknown[], components: Record<string, JsonSchema>): Set<string> {
  const seen = new Set<string>()
  const queue = [...refsIn(roots)]
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue
    seen.add(id)
    queue.push(...refsIn(components[id]))
  }
  return seen
}

/** A copy of `value` whose references to the components `renamed` names point at their new names. */
function renameRefs<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  if (renamed.size === 0) return value
  return JSON.parse(JSON.stringify(value), (key, inner: unknown) => {
    if (key !== '$ref' || typeof inner !== 'string' || !inner.startsWith(SCHEMAS)) return inner
    const to = renamed.get(inner.slice(SCHEMAS.length))
    return to === undefined ? inner : `${SCHEMAS}${to}`
  }) as T
}

const headersOf = (headers: Record<string, HeaderDoc>) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, { description, required, type }]) => [
      name,
      { description, ...(required ? { required: true } : {}), schema: type === 'integer' ? { type, minimum: 0 } : { type: 'string' } },
    ]),
  )

/** The operation's one line: its own, else the one kept for it in operation-descriptions.ts; none is a mistake. */
function summarize(route: RouteDoc): string {
  const summary = route.summary ?? operationSummaries[route.operationId]
  if (summary === undefined) throw new Error(`${route.method.toUpperCase()} ${route.path} (${route.operationId}) has no summary`)
  return summary
}

/** The operation's description: its own, else the one kept for it in operation-descriptions.ts; none is a mistake. */
function describe(route: RouteDoc): string {
  const description = route.description ?? operationDescriptions[route.operationId]
  if (description === undefined) throw new Error(`${route.method.toUpperCase()} ${route.path} (${route.operationId}) has no description`)
  return description
}

/**
 * The codes' enums of the problem components, each value described (src/openapi/error-words.ts): in
 * the description's list and as `x-enumDescriptions`.
 */
function describeCodes(schemas: Record<string, JsonSchema>): void {
  const words = (values: string[], word: (value: string) => string) => ({
    list: values.map((value) => `- \`${value}\`: ${word(value)}`).join('\n'),
    each: Object.fromEntries(values.map((value) => [value, word(value)])),
  })
  for (const [id, intro, word] of [
    [
      'Problem',
      'A stable machine code (its usual status in brackets):',
      (code: string) => {
        const [status, text] = problemWords[code as ErrorCode]
        return `(${status}) ${text}`
      },
    ],
    ['FieldError', 'What is wrong, from one vocabulary whichever check finds it:', (code: string) => fieldWords[code as FieldCode]],
  ] as const) {
    const code = schemas[id]?.properties?.code
    if (!code || !Array.isArray(code.enum)) throw new Error(`the ${id} component has no code enum`)
    const { list, each } = words(code.enum as string[], word)
    code.description = `${intro}\n\n${list}`
    code['x-enumDescriptions'] = each
  }
}

/**
 * The OpenAPI 3.1 document of the routes, from the same zod schemas that validate them: request
 * schemas as they are read (`io: 'input'`: defaults optional, unknown fields allowed unless
 * refused), response schemas as they are written (`io: 'output'`: exactly the fields sent).
 * A named schema used both ways whose two forms differ is two components, the request's one
 * suffixed `Input`, so that neither overwrites the other.
 */
export function buildOpenApiDocument(routes: readonly RouteDoc[], info: { title: string; version: string }): OpenApiDocument {
  const requests: Registry = z.registry<{ id: string }>()
  const responses: Registry = z.registry<{ id: string }>()
  for (const [schema, id] of namedSchemas()) {
    requests.add(schema, { id })
    responses.add(schema, { id })
  }
  const media = (registry: Registry, stem: string, content: Content): Media =>
    Object.entries(content).map(([type, { schema }], i) => ({ type, id: register(registry, schema, i ? `${stem}${i}` : stem) }))
  const responseNames = namedResponses()
  const shared = new Map<string, { response: ResponseConfig; content?: Media }>()
  // First every schema goes into a registry, so that one conversion per direction resolves all
  // references between them; the operations are written once the components exist.
  const planned = routes.map((route) => {
    const { params, query, headers, body } = route.request ?? {}
    const parts = (
      [
        ['path', params],
        ['query', query],
        ['header', headers],
      ] as const
    ).flatMap(([place, schema]) => (schema ? [{ place, id: register(requests, schema, `${route.operationId}_${place}`) }] : []))
    const requestBody = body && {
      required: body.required,
      description: body.description,
      content: media(requests, `${route.operationId}_body`, body.content),
    }
    const answers = Object.entries(route.responses).map(([status, response]) => {
      const name = responseNames.get(response)
      const content = response.content && media(responses, name ?? `${route.operationId}_${status}`, response.content)
      if (name) shared.set(name, { response, content })
      return { status, response, name, content }
    })
    return { route, parts, requestBody, answers }
  })

  const requestDefs = convert(requests, 'input')
  const responseDefs = convert(responses, 'output')
  const names = new Set(namedSchemas().values())
  // Named schemas are referred to; a route's own schemas are written in place, as they were declared.
  const schemaOf = (defs: Record<string, JsonSchema>, id: string) => (names.has(id) ? { $ref: `${SCHEMAS}${id}` } : defs[id])
  const contentOf = (defs: Record<string, JsonSchema>, entries: Media) =>
    Object.fromEntries(entries.map(({ type, id }) => [type, { schema: schemaOf(defs, id) }]))
  const responseOf = (response: ResponseConfig, content: Media | undefined) => ({
    description: response.description,
    ...(response.headers ? { headers: headersOf(response.headers) } : {}),
    ...(content ? { content: contentOf(responseDefs, content) } : {}),
  })

  const paths: Record<string, Record<string, unknown>> = {}
  for (const { route, parts, requestBody, answers } of planned) {
    const parameters = parts.flatMap(({ place, id }) => {
      const object = requestDefs[id] ?? {}
      return Object.entries(object.properties ?? {}).map(([name, { description, ...schema }]) => ({
        name,
        in: place,
        required: place === 'path' || (object.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema,
      }))
    })
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        operationId: route.operationId,
        tags: [route.tag],
        summary: summarize(route),
        description: describe(route),
        security: route.security ?? [],
        ...(parameters.length ? { parameters } : {}),
        ...(requestBody
          ? {
              requestBody: {
                required: requestBody.required ?? true,
                ...(requestBody.description ? { description: requestBody.description } : {}),
                content: contentOf(requestDefs, requestBody.content),
              },
            }
          : {}),
        responses: Object.fromEntries(
          answers.map(({ status, response, name, content }) => [
            status,
            name ? { $ref: `#/components/responses/${name}` } : responseOf(response, content),
          ]),
        ),
      },
    }
  }
  const sharedResponses = Object.fromEntries(
    [...shared].sort(([a], [b]) => a.localeCompare(b)).map(([name, { response, content }]) => [name, responseOf(response, content)]),
  )

  // Which named schemas each direction uses; one used both ways whose forms differ gets a second name.
  const operations = Object.values(paths).flatMap(
    (item) => Object.values(item) as { parameters?: unknown; requestBody?: unknown; responses: unknown }[],
  )
  const requestUsed = reachable(
    operations.map(({ parameters, requestBody }) => [parameters, requestBody]),
    requestDefs,
  )
  const responseUsed = reachable([...operations.map(({ responses }) => responses), sharedResponses], responseDefs)
  const renamed = new Map(
    [...requestUsed]
      .filter((id) => responseUsed.has(id) && JSON.stringify(requestDefs[id]) !== JSON.stringify(responseDefs[id]))
      .map((id) => [id, `${id}Input`]),
  )
  const schemas: Record<string, JsonSchema> = {}
  for (const id of [...responseUsed].sort()) schemas[id] = responseDefs[id] ?? {}
  for (const id of [...requestUsed].sort()) schemas[renamed.get(id) ?? id] = renameRefs(requestDefs[id] ?? {}, renamed)
  describeCodes(schemas)
  for (const op of operations) {
    if (op.parameters) op.parameters = renameRefs(op.parameters, renamed)
    if (op.requestBody) op.requestBody = renameRefs(op.requestBody, renamed)
  }

  return {
    openapi: '3.1.0',
    info: { ...info, description: documentIntro },
    servers: [{ url: '/', description: 'This Parley: the document is served by the instance it describes' }],
    tags: Object.entries(operationTags).map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas, responses: sharedResponses, securitySchemes },
  }
}

const built = new WeakMap<readonly RouteDoc[], OpenApiDocument>()

/** `createApp`'s document on Node: built from the routes on first use, then kept (routes never change). */
export function generatedOpenApi(routes: readonly RouteDoc[]): Promise<OpenApiDocument> {
  let document = built.get(routes)
  if (!document) built.set(routes, (document = buildOpenApiDocument(routes, { title: 'Parley', version: '1' })))
  return Promise.resolve(document)
}
