import type * as core from 'zod/v4/core'

const names = new Map<core.$ZodType, string>()

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
