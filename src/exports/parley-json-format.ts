import * as z from 'zod/mini'

/**
 * Parley's own export: everything needed to rebuild the comments elsewhere, emails decrypted.
 * The exporter writes it and the importer reads it back (detected by the `parley` header), so
 * one schema serves both ways.
 */
export const PARLEY_EXPORT_FORMAT = 'parley-export'
export const PARLEY_EXPORT_VERSION = 1

export const exportHeaderSchema = z.object({
  format: z.literal(PARLEY_EXPORT_FORMAT),
  version: z.literal(PARLEY_EXPORT_VERSION),
  exportedAt: z.string(),
})

export const exportedArticleSchema = z.object({
  key: z.string(),
  url: z.nullable(z.string()),
  title: z.nullable(z.string()),
  open: z.boolean(),
  createdAt: z.string(),
})

const checkSchema = z.object({
  filter: z.string(),
  verdict: z.enum(['approve', 'hold', 'spam']),
  reason: z.string(),
  retry: z.optional(z.boolean()),
})

export const exportedCommentSchema = z.object({
  id: z.int().check(z.positive()),
  article: z.string(),
  parentId: z.nullable(z.int().check(z.positive())),
  status: z.enum(['pending', 'approved', 'spam', 'trash']),
  author: z.object({
    name: z.string(),
    url: z.nullable(z.string()),
    email: z.nullable(z.string()),
    /** Set on a moderator's own reply: matched to an account by email on import. */
    moderator: z.nullable(z.object({ email: z.string(), name: z.string() })),
  }),
  ip: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  body: z.string(),
  /** As served; the importer renders the body again rather than trusting it. */
  html: z.string(),
  checks: z.array(checkSchema),
  createdAt: z.string(),
  editedAt: z.nullable(z.string()),
  /**
   * Where the comment first came from: `wordpress` or `disqus`, the site (a blog's URL without
   * scheme, a Disqus forum) and its id there; or `parley`, the instance id of the Parley that
   * took it, and its id there. A re-import skips it. Exports before `sourceSite` existed lack it.
   */
  source: z.nullable(z.string()),
  sourceSite: z.optional(z.nullable(z.string())),
  sourceId: z.nullable(z.string()),
})

/** The whole file, as the OpenAPI document describes it (the importer reads it element by element). */
export const parleyExportSchema = z.object({
  parley: exportHeaderSchema,
  articles: z.array(exportedArticleSchema),
  comments: z.array(exportedCommentSchema),
})

export type ExportedArticle = z.infer<typeof exportedArticleSchema>
export type ExportedComment = z.infer<typeof exportedCommentSchema>
