import type { Env, Handler, MiddlewareHandler, ValidationTargets } from 'hono'
import { Hono } from '../http/hono-app.js'
import { zValidator } from '@hono/zod-validator'
import type * as core from 'zod/v4/core'
import { fromZodError } from '../http/problem-response.js'
import type { OperationTag } from './operation-tags.js'

type Schema = core.$ZodType

/** A request or response body: its media types and the schema of each. */
export interface Content {
  [mediaType: string]: { schema: Schema }
}

/** A response header: `required` when every response of its status carries it. */
export interface HeaderDoc {
  description: string
  required?: boolean
  /** Seconds (Retry-After) are integers; everything else is text. */
  type?: 'string' | 'integer'
}

export interface ResponseConfig {
  description: string
  content?: Content
  headers?: Record<string, HeaderDoc>
}

/**
 * Who may call a route, as OpenAPI's security requirements: each entry one way in (a scheme of
 * security-schemes.ts and the roles it needs), `{}` for anyone; none at all for a public route.
 */
export type Security = readonly Readonly<Record<string, readonly string[]>>[]

/** One route as OpenAPI describes it; the request schemas also validate it. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** OpenAPI's form: `/api/v1/comments/{id}`. */
  path: string
  /** A stable name for clients generated from the document. */
  operationId: string
  /** The group the document files it under (operation-tags.ts). */
  tag: OperationTag
  /** One line; for the API's routes, in operation-descriptions.ts (out of the Worker's bundle). */
  summary?: string
  /**
   * What a caller needs to know beyond the summary: every operation says something, here or, for
   * the API's routes, in operation-descriptions.ts (out of the Worker's bundle).
   */
  description?: string
  /** Set where the route itself checks who calls it; the app's role guards add theirs by path. */
  security?: Security
  /** False for the few routes that never touch the database (so never answer 503). */
  database?: false
  request?: {
    params?: Schema
    query?: Schema
    headers?: Schema
    /** `streamed`: the handler reads the body itself, so nothing validates it up front. */
    body?: { required?: boolean; description?: string; streamed?: true; content: Content }
  }
  responses: Record<number, ResponseConfig>
}

/** A route and what runs before its validation (e.g. a role check), which the document leaves out. */
export interface RouteConfig<E extends Env = Env> extends RouteDoc {
  middleware?: readonly MiddlewareHandler<E>[]
}

/** Keeps a route's literal type, so that its handler sees what it validated. */
export const createRoute = <R extends RouteDoc & { middleware?: readonly unknown[] }>(route: R): R => route

type Part<R extends RouteDoc, Name extends string, Target extends string> =
  NonNullable<R['request']> extends { [K in Name]: infer S extends Schema } ? { [K in Target]: core.output<S> } : Record<never, never>
type BodyPart<R extends RouteDoc, MediaType extends string, Target extends string> =
  NonNullable<R['request']> extends { body: { content: { [K in MediaType]: { schema: infer S extends Schema } } } }
    ? { [K in Target]: core.output<S> }
    : Record<never, never>

/** What `c.req.valid(...)` returns in the route's handler. */
type ValidatedInput<R extends RouteDoc> = {
  out: Part<R, 'params', 'param'> &
    Part<R, 'query', 'query'> &
    Part<R, 'headers', 'header'> &
    BodyPart<R, 'application/json', 'json'> &
    BodyPart<R, 'application/x-www-form-urlencoded', 'form'>
}

// Every validation failure becomes API.md's 422 problem, thrown to the one error handler; the
// value validated tells a missing field from a wrong one.
function validationHook(result: { success: true } | { success: false; error: core.$ZodError; data: unknown; target: string }): undefined {
  if (!result.success) throw fromZodError(result.error, result.target, result.data)
  return undefined
}

/**
 * A group of routes that document themselves: `openapi(route, handler)` validates the route's
 * params, query, headers and JSON or form body with its zod schemas, then hands the handler the
 * parsed values; `docs` feeds the OpenAPI document.
 *
 * A group lives under one prefix (`/api/v1/moderation`), where app.ts mounts it with that prefix's
 * guards: its routes are written with their whole path, as the document shows them, and answered
 * relative to the prefix.
 */
export class OpenApiRoutes<E extends Env> extends Hono<E> {
  readonly docs: RouteDoc[] = []

  constructor(readonly prefix: string) {
    super()
  }

  openapi<R extends RouteConfig<E>>(route: R, handler: Handler<E, string, ValidatedInput<R>>): this {
    const { middleware = [], ...doc } = route
    this.docs.push(doc)
    const { params, query, headers, body } = route.request ?? {}
    const validators: MiddlewareHandler<E>[] = [...middleware]
    const validate = (target: keyof ValidationTargets, schema: Schema | undefined) => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- zValidator's Env is its own; this group's is E
      if (schema) validators.push(zValidator(target, schema, validationHook) as MiddlewareHandler<E>)
    }
    validate('param', params)
    validate('query', query)
    validate('header', headers)
    if (!body?.streamed) {
      validate('json', body?.content['application/json']?.schema)
      validate('form', body?.content['application/x-www-form-urlencoded']?.schema)
    }
    this.on(route.method.toUpperCase(), [this.local(route.path)], ...validators, handler as MiddlewareHandler<E>)
    return this
  }

  /** `/api/v1/moderation/comments/{id}` as this group answers it: `/comments/:id`. */
  private local(path: string): string {
    const inside = path === this.prefix || path.startsWith(`${this.prefix}/`)
    if (!inside) throw new Error(`${path} is not under its group's prefix ${this.prefix}`)
    return (path.slice(this.prefix.length) || '/').replace(/\{(\w+)\}/g, ':$1')
  }
}
