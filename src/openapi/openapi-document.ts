import * as z from 'zod/mini'
import type * as core from 'zod/v4/core'
import type { Content, RouteDoc } from './openapi-routes.js'
import { namedSchemas } from './schema-names.js'
import type { OpenApiDocument } from '../routes/docs-page.js'

type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string; [keyword: string]: unknown }
type Registry = core.$ZodRegistry<{ id: string }>

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })

/** `post /api/v1/articles/{key}/comments` → `postArticlesKeyComments`, the stem of its schemas' names. */
function operationName(route: RouteDoc): string {
  const words = route.path.split('/').filter((w) => w !== '' && w !== 'api' && w !== 'v1').map((w) => w.replace(/[{}]/g, ''))
  return route.method + words.map((w) => w.replace(/(^|[-_.])(\w)/g, (_, _sep: string, c: string) => c.toUpperCase())).join('')
}

/** Adds a schema to a registry under `id` unless it already has a name there; answers its name. */
function register(registry: Registry, schema: core.$ZodType, id: string): string {
  const known = registry.get(schema)?.id
  if (known) return known
  registry.add(schema, { id })
  return id
}

function convert(registry: Registry, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` })
  const components: Record<string, JsonSchema> = {}
  for (const [id, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(schemas)) components[id] = schema as JsonSchema
  return components
}

/**
 * The OpenAPI 3.1 document of the routes, from the same zod schemas that validate them: request
 * schemas as they are read (`io: 'input'`), response schemas as they are written.
 */
export function buildOpenApiDocument(routes: readonly RouteDoc[], info: { title: string; version: string }): OpenApiDocument {
  const requests: Registry = z.registry<{ id: string }>()
  const responses: Registry = z.registry<{ id: string }>()
  const names = new Set(namedSchemas().values())
  for (const [schema, id] of namedSchemas()) {
    requests.add(schema, { id })
    responses.add(schema, { id })
  }
  // First every schema goes into a registry, so that one conversion per direction resolves all
  // references between them; the operations are written once the components exist.
  const planned = routes.map((route) => {
    const name = operationName(route)
    const { params, query, headers, body } = route.request ?? {}
    const parts = ([['path', params], ['query', query], ['header', headers]] as const)
      .flatMap(([place, schema]) => (schema ? [{ place, id: register(requests, schema, `${name}_${place}`) }] : []))
    const media = (registry: Registry, stem: string, content: Content) =>
      Object.entries(content).map(([type, { schema }], i) => ({ type, id: register(registry, schema, i ? `${stem}${i}` : stem) }))
    const requestBody = body && { required: body.required, description: body.description, content: media(requests, `${name}_body`, body.content) }
    const answers = Object.entries(route.responses).map(([status, response]) => ({
      status, response, content: response.content && media(responses, `${name}_${status}`, response.content),
    }))
    return { route, parts, requestBody, answers }
  })

  const components = { ...convert(requests, 'input'), ...convert(responses, 'output') }
  // Named schemas are referred to; a route's own schemas are written in place, as they were declared.
  const schemaOf = (id: string) => (names.has(id) ? ref(id) : components[id])
  const contentOf = (entries: { type: string; id: string }[]) => Object.fromEntries(entries.map(({ type, id }) => [type, { schema: schemaOf(id) }]))
  const paths: Record<string, Record<string, unknown>> = {}
  for (const { route, parts, requestBody, answers } of planned) {
    const parameters = parts.flatMap(({ place, id }) => {
      const object = components[id] ?? {}
      return Object.entries(object.properties ?? {}).map(([name, { description, ...schema }]) => ({
        name, in: place, required: place === 'path' || (object.required ?? []).includes(name), ...(description ? { description } : {}), schema,
      }))
    })
    const responsesOf = Object.fromEntries(answers.map(({ status, response, content }) => [status, {
      description: response.description,
      ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([h, d]) => [h, { ...d, schema: { type: 'string' } }])) } : {}),
      ...(content ? { content: contentOf(content) } : {}),
    }]))
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        ...(route.summary ? { summary: route.summary } : {}),
        ...(route.description ? { description: route.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(requestBody ? { requestBody: { required: requestBody.required ?? true, ...(requestBody.description ? { description: requestBody.description } : {}), content: contentOf(requestBody.content) } } : {}),
        responses: responsesOf,
      },
    }
  }
  const schemas = Object.fromEntries(Object.entries(components).filter(([id]) => names.has(id)))
  return { openapi: '3.1.0', info, paths, components: { schemas } }
}

const built = new WeakMap<readonly RouteDoc[], OpenApiDocument>()

/** `createApp`'s document on Node: built from the routes on first use, then kept (routes never change). */
export function generatedOpenApi(routes: readonly RouteDoc[]): Promise<OpenApiDocument> {
  let document = built.get(routes)
  if (!document) built.set(routes, (document = buildOpenApiDocument(routes, { title: 'Parley', version: '1' })))
  return Promise.resolve(document)
}
