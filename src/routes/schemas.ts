import * as z from 'zod/mini'
import type * as core from 'zod/v4/core'
import { named } from '../openapi/schema-names.js'
import { articleKeyPattern, articleKeyRule } from '../articles/articles.js'
import '../http/zod-issues.js'

export const ProblemSchema = named('Problem', z.object({
  type: z.literal('about:blank'),
  title: z.string(),
  status: z.int(),
  code: z.string().check(z.meta({ example: 'validation_failed' })),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ field: z.string(), code: z.string(), message: z.string() }))),
}))

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

export const ArticleKeyParam = z.object({
  key: z.string().check(
    z.regex(articleKeyPattern, articleKeyRule),
    z.meta({ example: '4821' }),
  ),
})

export const CommentIdParam = z.object({
  id: z.string().check(z.meta({ example: '17' })),
})

export const AuthorSchema = z.object({
  name: z.string(),
  url: z.nullable(z.string()),
  avatar: z.nullable(z.int().check(z.minimum(0), z.maximum(7))).check(z.describe('The avatar colour, 0 to 7: three keyed bits of the email, stable per commenter, useless for recovering or confirming it. Null without an email.')),
  moderator: z.boolean(),
})

const commentFields = {
  id: z.int(),
  parentId: z.nullable(z.int()),
  depth: z.int(),
  author: AuthorSchema,
  html: z.string().check(z.describe('Sanitized HTML, safe to insert as is.')),
  createdAt: z.string(),
  editedAt: z.nullable(z.string()),
  removed: z.boolean().check(z.describe('A placeholder for a comment no longer published that still has published replies.')),
}

export const PublicCommentSchema = named('Comment', z.object(commentFields))

type ThreadNode = z.infer<typeof PublicCommentSchema> & { replies: ThreadNode[] }
export const ThreadCommentSchema: z.ZodMiniType<ThreadNode> = named('ThreadComment', z.object({
  ...commentFields,
  replies: z.array(z.lazy(() => ThreadCommentSchema)),
}))

export const AuthorCommentSchema = named('AuthorComment', z.object({
  ...commentFields,
  status: z.enum(['approved', 'pending']),
  editableUntil: z.optional(z.string()),
}))

export const ArticleSchema = named('Article', z.object({
  key: z.string(),
  url: z.nullable(z.string()),
  title: z.nullable(z.string()),
  open: z.boolean(),
  commentCount: z.int(),
}))

export const ModeratorSchema = named('Moderator', z.object({
  id: z.int(), email: z.string(), name: z.string(), role: z.enum(['admin', 'moderator']), disabled: z.boolean(),
}))

export const ModCommentSchema = named('ModComment', z.object({
  ...commentFields,
  status: z.enum(['pending', 'approved', 'spam', 'trash']),
  email: z.nullable(z.string()),
  ip: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  article: z.object({ key: z.string(), url: z.nullable(z.string()), title: z.nullable(z.string()) }),
  checks: z.array(z.object({ filter: z.string(), verdict: z.enum(['approve', 'hold', 'spam']), reason: z.string() })),
  reports: z.array(z.object({ id: z.int(), reason: z.string(), note: z.nullable(z.string()), createdAt: z.string() })),
}))

export const jsonBody = <T extends core.$ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } })
export const jsonContent = <T extends core.$ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } })

export const authProblems = {
  401: problem('Not signed in'),
  403: problem('Not allowed for this role, or a cookie request from another origin'),
}
