import * as z from 'zod'

export const ProblemSchema = z
  .object({
    type: z.literal('about:blank'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: 'validation_failed' }),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

export const ArticleKeyParam = z.object({
  key: z
    .string()
    .regex(/^[A-Za-z0-9._~:@-]{1,200}$/, 'an article key is 1-200 characters of A-Z a-z 0-9 . _ ~ : @ -')
    .openapi({ param: { name: 'key', in: 'path' }, example: '4821' }),
})

export const CommentIdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '17' }),
})

export const AuthorSchema = z.object({
  name: z.string(),
  url: z.string().nullable(),
  avatar: z.string().nullable().openapi({ description: 'A keyed hash of the email: stable per commenter, useless for recovering it.' }),
  moderator: z.boolean(),
})

const commentFields = {
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  depth: z.number().int(),
  author: AuthorSchema,
  html: z.string().openapi({ description: 'Sanitized HTML, safe to insert as is.' }),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  removed: z.boolean().openapi({ description: 'A placeholder for a comment no longer published that still has published replies.' }),
}

export const PublicCommentSchema = z.object(commentFields).openapi('Comment')

type ThreadNode = z.infer<typeof PublicCommentSchema> & { replies: ThreadNode[] }
export const ThreadCommentSchema: z.ZodType<ThreadNode> = z
  .object({ ...commentFields, replies: z.array(z.lazy(() => ThreadCommentSchema)) })
  .openapi('ThreadComment')

export const AuthorCommentSchema = z
  .object({
    ...commentFields,
    status: z.enum(['approved', 'pending']),
    editableUntil: z.string().optional(),
  })
  .openapi('AuthorComment')

export const ArticleSchema = z
  .object({
    key: z.string(),
    url: z.string().nullable(),
    title: z.string().nullable(),
    open: z.boolean(),
    commentCount: z.number().int(),
  })
  .openapi('Article')

export const ModeratorSchema = z
  .object({ id: z.number().int(), email: z.string(), name: z.string(), role: z.enum(['admin', 'moderator']), disabled: z.boolean() })
  .openapi('Moderator')

export const ModCommentSchema = z
  .object({
    ...commentFields,
    status: z.enum(['pending', 'approved', 'spam', 'trash']),
    email: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    article: z.object({ key: z.string(), url: z.string().nullable(), title: z.string().nullable() }),
    checks: z.array(z.object({ filter: z.string(), verdict: z.enum(['approve', 'hold', 'spam']), reason: z.string() })),
    reports: z.array(z.object({ id: z.number().int(), reason: z.string(), note: z.string().nullable(), createdAt: z.string() })),
  })
  .openapi('ModComment')

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } })
export const jsonContent = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } })

export const authProblems = {
  401: problem('Not signed in'),
  403: problem('Not allowed for this role, or a cookie request from another origin'),
}
