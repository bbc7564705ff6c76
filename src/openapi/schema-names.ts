import type * as core from 'zod/v4/core'
import type { ResponseConfig } from './openapi-routes.js'

const names = new Map<core.$ZodType, string>()
const responseNames = new Map<ResponseConfig, string>()

/**
 * Names a schema for the OpenAPI document: it becomes `components/schemas/{id}` and every use
 * refers to it. Returns the schema itself.
 */
export function named<T extends core.$ZodType>(id: string, schema: T): T {
  names.set(schema, id)
  return schema
}

/** The schemas named so far (all of them once the route modules are loaded). */
export const namedSchemas = (): ReadonlyMap<core.$ZodType, string> => names

/**
 * Names a response that many routes give alike (`components/responses/{id}`), which each of them
 * then refers to. Returns the response itself.
 */
export function namedResponse<T extends ResponseConfig>(id: string, response: T): T {
  responseNames.set(response, id)
  return response
}

/** The responses named so far. */
export const namedResponses = (): ReadonlyMap<ResponseConfig, string> => responseNames
