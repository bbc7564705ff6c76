import * as z from 'zod/mini'
import { createRoute } from '../openapi/openapi-routes.js'

const noStore = { 'Cache-Control': { description: '`no-store`', required: true } }

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
        description: 'The document',
        headers: {
          ETag: { description: "Strong, per content coding: the document's hash", required: true },
          Vary: { description: '`Accept-Encoding`', required: true },
          'Content-Encoding': { description: '`br` or `gzip` when accepted (Node)' },
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
        description: 'Not modified since the ETag in `If-None-Match`',
        headers: { ETag: { description: 'The same ETag', required: true } },
      },
    },
  }),
  createRoute({
    method: 'get',
    path: '/docs',
    operationId: 'getDocsPage',
    tag: 'Operations',
    database: false,
    responses: { 200: { description: 'The page', headers: noStore, content: { 'text/html': { schema: z.string() } } } },
  }),
]
