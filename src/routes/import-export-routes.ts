import * as z from 'zod/mini'
import { DOCS } from '../docs-flag.js'
import { OpenApiRoutes, createRoute } from '../openapi/openapi-routes.js'
import type { AppEnv } from '../app-env.js'
import { named } from '../openapi/schema-names.js'
import { AppError, validationError } from '../errors.js'
import { DEFAULT_IMPORT_IDLE_MS, DEFAULT_IMPORT_MAX_BYTES, IMPORT_PATH, limitedBody, uploadBytes } from '../http/import-body.js'
import { ownOrigin } from '../http/origins.js'
import { ImportRefused } from '../importers/import-records.js'
import { gunzipIfCompressed } from '../importers/gzip.js'
import { siteNameMessage, siteNamePattern } from '../importers/source-site.js'
import { keyPrefixPattern } from '../articles/articles.js'
import { jsonExport } from '../exports/json-export.js'
import { wxrExport } from '../exports/wxr-export.js'
import { textStream } from '../exports/text-stream.js'
import { logAction } from '../audit/audit-log.js'
import { authProblems, countSchema, jsonContent, noStore, problem } from './schemas.js'
import { parleyExportSchema } from '../exports/parley-json-format.js'

const problemSchema = z.object({ record: z.string(), id: z.string(), reason: z.string() })
const counts = z.object({ pending: countSchema(), approved: countSchema(), spam: countSchema(), trash: countSchema() })

const ImportSummarySchema = named(
  'ImportSummary',
  z.object({
    format: z.enum(['wxr', 'disqus', 'parley']),
    articles: countSchema().check(z.describe(DOCS ? 'Articles created' : '')),
    comments: countSchema().check(z.describe(DOCS ? 'Comments imported' : '')),
    skipped: countSchema().check(
      z.describe(
        DOCS ? 'Pingbacks and trackbacks (unless `pings=true`), other comment types, comments here already and comments deleted here' : '',
      ),
    ),
    errors: z
      .array(problemSchema)
      .check(z.describe(DOCS ? 'Records not imported (at most 1,000 listed; `details.errorCount` counts all)' : '')),
    warnings: z
      .array(problemSchema)
      .check(
        z.describe(
          DOCS
            ? 'Records imported with a change (no email, a missing parent, a URL dropped, a text cut to 65,525 bytes…) or joined with another (a post id twice, two sites in one article)'
            : '',
        ),
      ),
    details: z.object({
      existingArticles: countSchema(),
      updatedArticles: countSchema(),
      statuses: counts,
      replies: countSchema(),
      longestChain: countSchema(),
      pings: countSchema(),
      otherTypes: countSchema(),
      alreadyImported: countSchema().check(
        z.describe(
          DOCS ? "Comments here already: imported before (same source, site and id), or this Parley's own back from its export" : '',
        ),
      ),
      removedBefore: countSchema().check(
        z.describe(DOCS ? 'Comments deleted here for good (by a moderator, or purged): never brought back' : ''),
      ),
      errorCount: countSchema(),
      warningCount: countSchema(),
    }),
  }),
)

// The files, described but never parsed up front: the importer streams them (`streamed` below).
const xmlExport = z.string().check(z.describe(DOCS ? 'A WordPress export (WXR 1.x) or a Disqus export, as XML' : ''))
const ParleyExportSchema = named('ParleyExport', parleyExportSchema)

const importRoute = createRoute({
  method: 'post',
  path: IMPORT_PATH,
  operationId: 'importComments',
  tag: 'Import/Export',
  request: {
    query: z.object({
      pings: z.optional(z.enum(['true', 'false'])).check(z.describe(DOCS ? 'Import pingbacks and trackbacks too' : '')),
      keyPrefix: z
        .optional(z.string().check(z.regex(keyPrefixPattern, 'must be 1-100 characters of A-Z a-z 0-9 . _ ~ : @ -')))
        .check(
          z.describe(
            DOCS
              ? 'Put before every article key of the file (`blog-b:` makes post 12 the article `blog-b:12`): two sites whose post ids overlap keep their threads apart'
              : '',
          ),
        ),
      site: z
        .optional(z.string().check(z.minLength(1), z.maxLength(2000), z.regex(siteNamePattern, siteNameMessage)))
        .check(
          z.describe(
            DOCS
              ? "The site the file's comments come from, instead of the one it names (a WXR's blog URL, a Disqus forum): a site whose address changed since an earlier import, or two installations at one address"
              : '',
          ),
        ),
    }),
    body: {
      required: true,
      streamed: true,
      content: {
        'application/xml': { schema: xmlExport },
        'text/xml': { schema: xmlExport },
        'application/rss+xml': { schema: xmlExport },
        'application/json': { schema: ParleyExportSchema },
      },
    },
  },
  responses: {
    200: jsonContent(DOCS ? 'What was imported' : '', ImportSummarySchema),
    ...authProblems,
    400: problem(
      DOCS
        ? 'The client closed the connection before the whole file arrived (`client_closed`: an answer nobody reads), or a body that is not the `Content-Encoding` it claims (`malformed_json`)'
        : '',
    ),
    408: problem(DOCS ? 'Nothing of the file arrived for PARLEY_IMPORT_IDLE_SECONDS (`request_timeout`): nothing was imported' : ''),
    413: problem(DOCS ? 'Larger than PARLEY_IMPORT_MAX_MB' : ''),
    415: problem(
      DOCS ? 'Not XML or JSON (`unsupported_media_type`), or a `Content-Encoding` other than gzip or deflate (`unsupported_encoding`)' : '',
      { 'Accept-Encoding': { description: DOCS ? '`gzip, deflate`, on `unsupported_encoding`' : '' } },
    ),
    501: problem(DOCS ? 'Not on Cloudflare Workers: use `npm run import` against the same database' : ''),
    422: problem(DOCS ? 'Not well-formed (the detail gives line and column), or not an export Parley knows' : ''),
  },
})

const exportRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/export',
  operationId: 'exportSite',
  tag: 'Import/Export',
  request: { query: z.object({ format: z._default(z.enum(['json', 'wxr']), 'json') }) },
  responses: {
    200: {
      description: DOCS
        ? "The export, streamed as a download: `format=json` Parley's own (what the import reads back), `format=wxr` WordPress's"
        : '',
      headers: {
        'Content-Disposition': {
          description: DOCS ? '`attachment; filename="parley-export-YYYY-MM-DD.json"` (`.xml` for WXR)' : '',
          required: true,
        },
        ...noStore,
      },
      content: {
        'application/json': { schema: ParleyExportSchema },
        'text/xml': { schema: z.string().check(z.describe(DOCS ? "WXR 1.2, for WordPress's importer" : '')) },
      },
    },
    ...authProblems,
    422: problem(DOCS ? 'Unknown format' : ''),
  },
})

/** POST /api/v1/admin/import, mounted on its own: a streamed file, not a JSON body under 1 MiB. */
export const importRoutes = new OpenApiRoutes<AppEnv>(IMPORT_PATH).openapi(importRoute, async (c) => {
  const { deps } = c.env
  const { importer, config } = deps
  if (!importer) {
    throw new AppError(
      'not_implemented',
      'Imports do not run on this deployment (Cloudflare Workers): run `npm run import -- FILE` with DATABASE_URL set to its database.',
    )
  }
  const body = c.req.raw.body
  if (!body) throw validationError([{ field: 'body', code: 'required', message: 'Send the export file as the request body.' }])
  const query = c.req.valid('query')
  // The whole file first, then the import's transaction: a client sending slowly (or not at all)
  // holds no database connection. A gzip file is decompressed whatever its headers say, as
  // `npm run import` does, so that the limit counts what is imported.
  const received = uploadBytes(body, config.importIdleMs ?? DEFAULT_IMPORT_IDLE_MS, c.req.raw.signal)
  const upload = limitedBody(gunzipIfCompressed(received), config.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES)
  try {
    const summary = await importer.spool(upload, (file) =>
      importer.run(deps.db, deps.secrets, file, {
        moderatorId: c.var.moderator.id,
        now: deps.clock(),
        includePings: query.pings === 'true',
        keyPrefix: query.keyPrefix ?? '',
        site: query.site ?? '',
      }),
    )
    return c.json(summary, 200)
  } catch (error) {
    if (!(error instanceof ImportRefused)) throw error
    const code = error.line === undefined ? 'unknown_format' : 'not_well_formed'
    const message = `The file cannot be imported (nothing was): ${error.message}.`
    throw new AppError('validation_failed', message, { errors: [{ field: 'body', code, message }] })
  }
})

export const exportRoutes = new OpenApiRoutes<AppEnv>('/api/v1/admin').openapi(exportRoute, async (c) => {
  const { deps } = c.env
  const format = c.req.valid('query').format
  const now = deps.clock()
  // Who took everyone's email addresses, and when: the log says so (not what was in it).
  await logAction(deps.db, { at: now, moderatorId: c.var.moderator.id, action: 'export', detail: { format } })
  const day = now.toISOString().slice(0, 10)
  const chunks = format === 'wxr' ? wxrExport(deps.db, deps.secrets, ownOrigin(c), now) : jsonExport(deps.db, deps.secrets, now)
  return c.body(textStream(chunks), 200, {
    'Content-Type': format === 'wxr' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="parley-export-${day}.${format === 'wxr' ? 'xml' : 'json'}"`,
    'Cache-Control': 'no-store',
  })
})
