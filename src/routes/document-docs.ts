import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { createRoute } from '../openapi/openapi-routes.js'

const noStore = { 'Cache-Control': { description: DOCS ? '`no-store`' : '', required: true } }

/** GET /openapi.json and GET /docs (app.ts serves them), as the document tells them. */
export const documentDocs = [
  createRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Operations',
    database: false,
    responses: {
      200: {
        description: DOCS ? 'The document' : '',
        headers: {
          ETag: { description: DOCS ? "Strong, per content coding: the document's hash" : '', required: true },
          Vary: { description: DOCS ? '`Accept-Encoding`' : '', required: true },
          'Content-Encoding': { description: DOCS ? '`br` or `gzip` when accepted (Node)' : '' },
        },
        content: {
          'application/json': {
            schema: z.looseObject({
              openapi: z.literal('3.1.0'),
              info: z.looseObject({ title: z.string(), version: z.string() }),
              paths: z.record(z.string(), z.unknown()),
            }),
          },
        },
      },
      304: {
        description: DOCS ? 'Not modified since the ETag in `If-None-Match`' : '',
        headers: { ETag: { description: DOCS ? 'The same ETag' : '', required: true } },
      },
    },
  }),
  createRoute({
    method: 'get',
    path: '/docs',
    operationId: 'getDocsPage',
    tag: 'Operations',
    database: false,
    responses: { 200: { description: DOCS ? 'The page' : '', headers: noStore, content: { 'text/html': { schema: z.string() } } } },
  }),
]
